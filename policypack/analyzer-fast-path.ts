import { RULES } from "../src/policy/rules/index.js";
import { type GateSession, parseRuleConfig } from "../src/policy/session.js";
import { isPricedType } from "../src/resources/registry.js";
import { acceleratorMentions } from "../src/resources/tripwire.js";
import { wrapAnalyzerService } from "./policy-sdk.js";

interface Struct {
  toJavaScript(): unknown;
}
interface ConfigureRequest {
  getPolicyconfigMap(): { entries(): Iterable<[string, { getProperties(): Struct | undefined }]> };
}
/** An Analyze request, and each resource of an AnalyzeStack request. */
interface AnalyzeRequest {
  getType(): string;
  getProperties(): Struct | undefined;
  getProvider(): unknown;
}
interface AnalyzeStackRequest {
  getResourcesList(): AnalyzeRequest[];
  setResourcesList(resources: AnalyzeRequest[]): void;
}
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
}

/** Each Analyze request's bytes as text, for a cheap look before its properties are deserialized. */
const wireText = new WeakMap<object, string>();

/** The service with Analyze requests keeping their bytes (read once more as latin1 text). */
function keepingWireText<S>(service: S): S {
  const analyze = (service as Record<string, MethodDefinition | undefined>).analyze;
  if (!analyze) return service;
  const requestDeserialize = (bytes: Buffer) => {
    const request = analyze.requestDeserialize(bytes);
    if (request && typeof request === "object") wireText.set(request, bytes.toString("latin1"));
    return request;
  };
  return { ...service, analyze: { ...analyze, requestDeserialize } };
}

/**
 * Whether any policy has something to say about the resource: its type has an adapter, or it is a
 * custom resource (the engine names its provider) whose properties name an accelerator instance
 * type (the tripwire). The same question as `GateSession.isCandidate`, asked of the wire form: a
 * request whose bytes hold nothing shaped like an accelerator type is answered without
 * deserializing its properties.
 */
function isCandidate(resource: AnalyzeRequest, session: GateSession): boolean {
  const type = resource.getType();
  if (isPricedType(type)) return true;
  if (!resource.getProvider() || type.startsWith("pulumi:")) return false;
  const types = session.acceleratorTypes();
  const text = wireText.get(resource);
  if (text !== undefined && !types.mayMention(text)) return false;
  return acceleratorMentions(resource.getProperties()?.toJavaScript(), types).length > 0;
}

/**
 * The SDK runs every policy for every resource and deserializes its properties once per policy,
 * yet no computeguard policy has anything to say about a resource no cost adapter prices and the
 * tripwire does not catch (a bucket, a role): answer those Analyze calls with the empty response
 * the SDK would build, and hand the SDK's AnalyzeStack only the others (the rest are not
 * applicable to every policy and link nothing). Invalid policy config keeps the SDK's path, so
 * every resource reports it as before. Must run before `new PolicyPack`.
 */
export function skipResourcesNoPolicyPrices(session: GateSession): void {
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
          if (everyConfigParses() && !isCandidate(call.request, session)) {
            callback(null, new EmptyResponse());
            return;
          }
          return analyze(call, callback);
        },
        analyzeStack(call: { request: AnalyzeStackRequest }, callback: (error: unknown) => void) {
          if (everyConfigParses()) {
            const resources = call.request.getResourcesList();
            const priced = resources.filter((r) => isCandidate(r, session));
            if (priced.length < resources.length) call.request.setResourcesList(priced);
          }
          return analyzeStack(call, callback);
        },
      };
      implementation = wrapped as typeof implementation;
      service = keepingWireText(service);
    }
    return { service, implementation };
  });
}
