import * as pulumi from "@pulumi/pulumi";
import type { RegisterResourceRequest, RegisterResourceResponse } from "@pulumi/pulumi/proto/resource_pb.js";
import type { PriceSheet } from "../../src/pricing/price-sheet.js";
import type { ProviderRegion, RegisteredResource } from "../../src/report/check-report.js";
import { answerDataSource, checkedInputs, mockResourceState } from "./mock-answers.js";
import { RemoteComponentHost, type UnexpandedComponent } from "./remote/host.js";

export type { ProviderRegion, RegisteredResource };

export interface MockRuntimeOptions {
  project: string;
  stack: string;
  config: Record<string, string>;
  secretKeys: string[];
  /** Region for data sources and ARNs when neither a provider nor aws:region says (the CLI's default). */
  fallbackRegion: string;
  priceSheet?: PriceSheet;
  onRegister?: (resource: RegisteredResource) => void;
}

export interface MockRuntime {
  resources: RegisteredResource[];
  /** Data sources answered with their own arguments: no offline answer is known for them. */
  placeholderDataSources: Set<string>;
  /** Remote components registered as they are, with the engine URN each got. */
  unexpanded: Array<UnexpandedComponent & { urn: string }>;
}

type Callback = (error: unknown, response?: RegisterResourceResponse) => void;
interface MonitorLike {
  registerResource(request: RegisterResourceRequest, callback: Callback): unknown;
}

const STACK_TYPE = "pulumi:pulumi:Stack";
const AWS_PROVIDER = "pulumi:providers:aws";

/**
 * Plain values from the wire form: secrets unwrapped (the engine hands policies plaintext), resource
 * references as their URN, assets and archives as a marker.
 */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== "object") return value;
  const record = value as Record<string, unknown>;
  const sig = record[pulumi.runtime.specialSigKey];
  if (sig === pulumi.runtime.specialSecretSig) return plain(record.value);
  if (sig === pulumi.runtime.specialResourceSig) return record.urn;
  if (sig === pulumi.runtime.specialAssetSig) return "[asset]";
  if (sig === pulumi.runtime.specialArchiveSig) return "[archive]";
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, plain(v)]));
}

/** Region of an AWS provider from its inputs (AWS v7 providers carry `region`). */
function regionInput(inputs: Record<string, unknown>): string | undefined {
  return typeof inputs.region === "string" && inputs.region !== "" ? inputs.region : undefined;
}

/**
 * Installs the SDK's mock runtime as a preview (`pulumi preview`: what a provider computes is unknown,
 * so programs that read it do not fail) with the stack's config, and records each registration the
 * way the engine sees it. Remote components of @pulumi/eks and @pulumi/awsx are constructed here, as
 * their providers would (see RemoteComponentHost). The SDK's mock monitor numbers URNs with the
 * parent's own type only and gives the root stack's children a `pulumi:pulumi:Stack$` prefix; the
 * recorded URNs are the engine's.
 */
export function installMockRuntime(options: MockRuntimeOptions): MockRuntime {
  const runtime: MockRuntime = { resources: [], placeholderDataSources: new Set(), unexpanded: [] };
  const host = new RemoteComponentHost();
  const stackRegion = options.config["aws:region"];
  /** Mock monitor URN -> what we recorded, so parents and providers can be looked up. */
  const byMockUrn = new Map<string, { urn: string; qualifiedType: string }>();
  /** Mock URN of an AWS provider -> its region (references add `::<id>`, unknown in a preview). */
  const providerRegions = new Map<string, { region: string | undefined }>();
  const mockUrnOf = (ref: string) => ref.slice(0, ref.lastIndexOf("::"));

  const regionOf = (providerRef: string | undefined): ProviderRegion | undefined => {
    const explicit = providerRef ? providerRegions.get(mockUrnOf(providerRef))?.region : undefined;
    if (explicit) return { region: explicit, from: "provider" };
    return stackRegion ? { region: stackRegion, from: "stack config" } : undefined;
  };

  pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        return mockResourceState(args.type, args.name, args.inputs);
      },
      call(args: pulumi.runtime.MockCallArgs) {
        const region = regionOf(args.provider)?.region ?? options.fallbackRegion;
        const answer = answerDataSource(args.token, args.inputs, region, options.priceSheet);
        if (answer) return answer;
        runtime.placeholderDataSources.add(args.token);
        return { id: args.token, ...args.inputs };
      },
    },
    options.project,
    options.stack,
    true,
  );
  pulumi.runtime.setAllConfig(options.config, options.secretKeys);

  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (request, callback) => {
    const type = request.getType();
    if (request.getRemote() && host.canExpand(type)) {
      // The expansion registers the component itself (through here) and its children.
      host.construct(request).then(
        (response) => callback(null, response),
        (error: unknown) => callback(error),
      );
      return;
    }
    const name = request.getName();
    const parent = byMockUrn.get(request.getParent());
    const qualifiedType =
      parent && parent.qualifiedType !== STACK_TYPE ? `${parent.qualifiedType}$${type}` : type;
    const urn = `urn:pulumi:${options.stack}::${options.project}::${qualifiedType}::${name}`;
    const inputs = plain(request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
    const providerRef = request.getProvider() || undefined;
    const providerMockUrn = providerRef ? mockUrnOf(providerRef) : undefined;
    // Only AWS resources deploy to the AWS provider's region; the stack and components have none.
    const providerRegion = type.startsWith("aws:") ? regionOf(providerRef) : undefined;
    const propertyDependencies: Record<string, string[]> = {};
    request.getPropertydependenciesMap().forEach((deps, key) => {
      propertyDependencies[key] = deps.getUrnsList().map((u) => byMockUrn.get(u)?.urn ?? u);
    });
    const resource: RegisteredResource = {
      urn,
      type,
      name,
      custom: request.getCustom(),
      ...(parent && type !== STACK_TYPE ? { parent: parent.urn } : {}),
      ...(providerMockUrn ? { provider: byMockUrn.get(providerMockUrn)?.urn ?? providerMockUrn } : {}),
      ...(providerRegion ? { providerRegion } : {}),
      inputs,
      props: checkedInputs(type, name, inputs),
      propertyDependencies,
    };
    runtime.resources.push(resource);
    options.onRegister?.(resource);
    return register(request, (error, response) => {
      if (!error && response) {
        byMockUrn.set(response.getUrn(), { urn, qualifiedType });
        if (type === AWS_PROVIDER) providerRegions.set(response.getUrn(), { region: regionInput(inputs) });
        if (request.getRemote()) runtime.unexpanded.push({ ...host.unexpandedComponent(type, name), urn });
      }
      callback(error, response);
    });
  };
  return runtime;
}
