import type { ResourceInput } from "../src/estimate/types.js";
import { RULES } from "../src/policy/rules/index.js";
import { type GateSession, parseRuleConfig } from "../src/policy/session.js";
import { isPricedType } from "../src/resources/registry.js";
import { acceleratorMentions, describesOthers } from "../src/resources/tripwire.js";
import { requestStack, resourceInput } from "./policy-from-rule.js";
import { deserializeProperties, requireAsPolicySdk, wrapAnalyzerService } from "./policy-sdk.js";

interface Struct {
  toJavaScript(): unknown;
}
interface ConfigureRequest {
  getPolicyconfigMap(): { entries(): Iterable<[string, { getProperties(): Struct | undefined }]> };
}
interface ProviderResource {
  getType(): string;
  getUrn(): string;
  getName(): string;
  getProperties(): (Struct & object) | undefined;
}
/** An Analyze request, and each resource of an AnalyzeStack request. */
interface AnalyzeRequest {
  getUrn(): string;
  getName(): string;
  getType(): string;
  getProperties(): (Struct & object) | undefined;
  getProvider(): ProviderResource | undefined;
}
interface StackResource extends AnalyzeRequest {
  getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> } | undefined;
}
interface AnalyzeStackRequest {
  getResourcesList(): StackResource[];
  setResourcesList(resources: StackResource[]): void;
}

/** The resource of an Analyze request as the SDK hands it to each policy (the same deserializer). */
export type ResourceArgs = Parameters<typeof resourceInput>[0];

function resourceArgs(request: AnalyzeRequest): ResourceArgs {
  const provider = request.getProvider();
  return {
    urn: request.getUrn(),
    type: request.getType(),
    name: request.getName(),
    props: deserializeProperties(request.getProperties()),
    provider: provider && {
      type: provider.getType(),
      urn: provider.getUrn(),
      name: provider.getName(),
      props: deserializeProperties(provider.getProperties()),
    },
  };
}

/** A resource of an AnalyzeStack request with its property dependencies, which link unknown ids. */
function stackResourceInput(resource: StackResource): ResourceInput {
  const propertyDependencies: Record<string, string[]> = {};
  for (const [property, deps] of resource.getPropertydependenciesMap()?.entries() ?? [])
    propertyDependencies[property] = deps.getUrnsList();
  return { ...resourceInput(resourceArgs(resource)), propertyDependencies };
}

/** Whether every policy passes the resource without a word (policy-from-rule.ts passesEveryPolicy). */
export type PassesEveryPolicy = (args: ResourceArgs, configOf: (policy: string) => unknown) => boolean;
type Handler<R> = (call: { request: R }, callback: (error: unknown, response?: unknown) => void) => unknown;

/** Configs as the last Configure sent them (none yet: every policy at its defaults). */
let configs: Record<string, unknown> = {};
let configsValid: boolean | undefined;

/** Parsing them here also warms parseRuleConfig's cache for the first resource. */
function everyConfigParses(): boolean {
  configsValid ??= RULES.every((rule) => {
    try {
      parseRuleConfig(rule, configs[rule.name] ?? {});
      return true;
    } catch {
      return false;
    }
  });
  return configsValid;
}

interface MethodDefinition {
  requestDeserialize(bytes: Buffer): unknown;
  requestType?: new () => object;
  responseType?: new () => unknown;
}

/** The wire reader of google-protobuf, the library the SDK's own request classes decode with. */
interface BinaryReader {
  nextField(): boolean;
  getFieldNumber(): number;
  getWireType(): number;
  getFieldCursor(): number;
  getCursor(): number;
  readString(): string;
  skipField(): void;
  readMessage<M>(message: M, read: (message: M, reader: BinaryReader) => void): void;
}
const { BinaryReader } = requireAsPolicySdk("google-protobuf") as {
  BinaryReader: new (bytes: Uint8Array) => BinaryReader;
};

/** AnalyzeRequest and each AnalyzerResource of an AnalyzeStackRequest number these fields alike. */
const TYPE_FIELD = 1;
const PROVIDER_FIELD = 6;
/** AnalyzeStackRequest.resources. */
const RESOURCES_FIELD = 1;
const LENGTH_DELIMITED = 2;

interface WireResource {
  type: string;
  provider: boolean;
}

function readWireResource(resource: WireResource, reader: BinaryReader): void {
  while (reader.nextField()) {
    const field = reader.getFieldNumber();
    if (field === TYPE_FIELD) resource.type = reader.readString();
    else {
      if (field === PROVIDER_FIELD) resource.provider = true;
      reader.skipField();
    }
  }
}

/**
 * `isCandidate` asked of a resource's wire form (`bytes[start, end)`): false only when no policy
 * can have anything to say about it, so it need not be deserialized at all; true when it may.
 */
function mayBeCandidate(
  resource: WireResource,
  bytes: Buffer,
  start: number,
  end: number,
  session: GateSession,
): boolean {
  if (isPricedType(resource.type)) return true;
  if (describesOthers({ type: resource.type, custom: resource.provider })) return false;
  return session.acceleratorTypes().mayMention(bytes.toString("latin1", start, end));
}

/** Analyze requests answered from their wire form: nothing in them any policy judges. */
const notCandidates = new WeakSet<object>();

/** `isCandidate` asked of an Analyze request's bytes: false when it can be answered unread. */
export function mayBeCandidateRequest(bytes: Buffer, session: GateSession): boolean {
  const resource: WireResource = { type: "", provider: false };
  readWireResource(resource, new BinaryReader(bytes));
  return mayBeCandidate(resource, bytes, 0, bytes.length, session);
}

/** An AnalyzeStack request's bytes without the resources that cannot be candidates. */
export function withoutNonCandidates(bytes: Buffer, session: GateSession): Buffer {
  const reader = new BinaryReader(bytes);
  const kept: Buffer[] = [];
  let dropped = false;
  while (reader.nextField()) {
    const start = reader.getFieldCursor();
    let keep = true;
    if (reader.getFieldNumber() === RESOURCES_FIELD && reader.getWireType() === LENGTH_DELIMITED) {
      const resource: WireResource = { type: "", provider: false };
      reader.readMessage(resource, readWireResource);
      keep = mayBeCandidate(resource, bytes, start, reader.getCursor(), session);
    } else reader.skipField();
    if (keep) kept.push(bytes.subarray(start, reader.getCursor()));
    else dropped = true;
  }
  return dropped ? Buffer.concat(kept) : bytes;
}

/**
 * The service with requests looked at on the wire before they are deserialized: an Analyze
 * request that cannot be a candidate becomes an empty request its handler answers at once, and an
 * AnalyzeStack request loses such resources. Invalid policy config keeps every request whole.
 */
function deserializingOnlyCandidates<S>(service: S, session: GateSession): S {
  const methods = service as Record<string, MethodDefinition | undefined>;
  const { analyze, analyzeStack } = methods;
  const Request = analyze?.requestType;
  if (!analyze || !analyzeStack || !Request) return service;
  return {
    ...service,
    analyze: {
      ...analyze,
      requestDeserialize(bytes: Buffer) {
        if (everyConfigParses() && !mayBeCandidateRequest(bytes, session)) {
          const empty = new Request();
          notCandidates.add(empty);
          return empty;
        }
        return analyze.requestDeserialize(bytes);
      },
    },
    analyzeStack: {
      ...analyzeStack,
      requestDeserialize: (bytes: Buffer) =>
        analyzeStack.requestDeserialize(everyConfigParses() ? withoutNonCandidates(bytes, session) : bytes),
    },
  };
}

/**
 * Whether any policy has something to say about the resource: its type has an adapter, or it is a
 * custom resource (the engine names its provider) whose properties name an accelerator instance
 * type (the tripwire). The same question as `GateSession.isCandidate`, asked of the request.
 */
function isCandidate(resource: AnalyzeRequest, session: GateSession): boolean {
  const type = resource.getType();
  if (isPricedType(type)) return true;
  if (describesOthers({ type, custom: resource.getProvider() !== undefined })) return false;
  return acceleratorMentions(resource.getProperties()?.toJavaScript(), session.acceleratorTypes()).length > 0;
}

/**
 * The SDK runs every policy for every resource and deserializes its properties once per policy,
 * yet no computeguard policy has anything to say about a resource no cost adapter prices and the
 * tripwire does not catch (a bucket, a role): answer those Analyze calls with the empty response
 * the SDK would build. AnalyzeStack judges only the others (the rest are not applicable to every
 * policy and link nothing), converted once for all the stack policies (`requestStack`): the SDK
 * is handed none, as it would rebuild each of them for every policy. An Analyze request whose
 * resource every policy passes without a word (`passesEveryPolicy`: a CPU instance, a GPU within
 * every budget) is answered empty too, once judged. Invalid policy config keeps the SDK's path,
 * so every resource reports it as before. Must run before `new PolicyPack`.
 */
export function skipResourcesNoPolicyPrices(
  session: GateSession,
  passesEveryPolicy?: PassesEveryPolicy,
): void {
  wrapAnalyzerService((service, implementation) => {
    const handlers = implementation as unknown as Record<string, Handler<never> | undefined>;
    const configure = handlers.configure as Handler<ConfigureRequest> | undefined;
    const analyze = handlers.analyze as Handler<AnalyzeRequest> | undefined;
    const analyzeStack = handlers.analyzeStack as Handler<AnalyzeStackRequest> | undefined;
    const EmptyResponse = (service as { analyze?: { responseType?: new () => unknown } }).analyze
      ?.responseType;
    if (configure && analyze && analyzeStack && EmptyResponse) {
      const wrapped: Record<string, unknown> = {
        ...implementation,
        configure(call: { request: ConfigureRequest }, callback: (error: unknown) => void) {
          configs = {};
          for (const [name, entry] of call.request.getPolicyconfigMap().entries()) {
            configs[name] = entry.getProperties()?.toJavaScript() ?? {};
          }
          configsValid = undefined;
          return configure(call, callback);
        },
        analyze(call: { request: AnalyzeRequest }, callback: (error: unknown, response?: unknown) => void) {
          if (
            notCandidates.has(call.request) ||
            (everyConfigParses() &&
              (!isCandidate(call.request, session) ||
                passesEveryPolicy?.(resourceArgs(call.request), (policy) => configs[policy])))
          ) {
            callback(null, new EmptyResponse());
            return;
          }
          return analyze(call, callback);
        },
        analyzeStack(call: { request: AnalyzeStackRequest }, callback: (error: unknown) => void) {
          if (!everyConfigParses()) return analyzeStack(call, callback);
          const inputs = call.request
            .getResourcesList()
            .filter((r) => isCandidate(r, session))
            .map(stackResourceInput);
          call.request.setResourcesList([]);
          return requestStack.run(inputs, () => analyzeStack(call, callback));
        },
      };
      implementation = wrapped as typeof implementation;
      service = deserializingOnlyCandidates(service, session);
    }
    return { service, implementation };
  });
}
