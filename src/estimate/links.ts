import { isUndecidable } from "../unknown.js";
import type { LinkResolver, ResourceInput } from "./types.js";

const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
const ENDPOINT_CONFIGURATION = "aws:sagemaker/endpointConfiguration:EndpointConfiguration";
const ENDPOINT = "aws:sagemaker/endpoint:Endpoint";
const SCALING_TARGET = "aws:appautoscaling/target:Target";

/**
 * The resources of one stack, indexed for the references adapters follow. `complete` is true when
 * every resource is known (a stack export, AnalyzeStack); during per-resource analysis it grows as
 * resources arrive, and a missing link is "not yet known" rather than "not in the stack".
 */
export class StackLinks implements LinkResolver {
  private readonly byUrn = new Map<string, ResourceInput>();
  private readonly byTypeAndKey = new Map<string, ResourceInput>();
  private readonly templates = new Map<string, ResourceInput>();
  // Indexed, not scanned: a stack of thousands of endpoints would otherwise be quadratic to price.
  private readonly targetsByResourceId = new Map<string, ResourceInput[]>();
  private readonly endpointsByConfigName = new Map<string, Array<{ seq: number; endpoint: ResourceInput }>>();
  private readonly endpointsByConfigUrn = new Map<string, Array<{ seq: number; endpoint: ResourceInput }>>();
  private endpointCount = 0;

  constructor(
    readonly complete: boolean,
    resources: Iterable<ResourceInput> = [],
  ) {
    for (const r of resources) this.add(r);
  }

  add(resource: ResourceInput): void {
    this.byUrn.set(resource.urn, resource);
    const name = resource.props?.name;
    if (typeof name === "string" && !isUndecidable(name))
      this.byTypeAndKey.set(`${resource.type}|name|${name}`, resource);
    if (resource.id) this.byTypeAndKey.set(`${resource.type}|id|${resource.id}`, resource);
    if (resource.type === LAUNCH_TEMPLATE) this.templates.set(resource.urn, resource);
    if (resource.type === SCALING_TARGET) {
      const id = resource.props?.resourceId;
      if (typeof id === "string") pushTo(this.targetsByResourceId, id, resource);
    }
    if (resource.type === ENDPOINT) {
      const entry = { seq: this.endpointCount++, endpoint: resource };
      const configName = resource.props?.endpointConfigName;
      if (typeof configName === "string") pushTo(this.endpointsByConfigName, configName, entry);
      for (const urn of new Set(resource.propertyDependencies?.endpointConfigName ?? []))
        pushTo(this.endpointsByConfigUrn, urn, entry);
    }
  }

  get(urn: string): ResourceInput | undefined {
    return this.byUrn.get(urn);
  }

  private find(type: string, key: "id" | "name", value: unknown): ResourceInput | undefined {
    if (typeof value !== "string" || isUndecidable(value)) return undefined;
    return this.byTypeAndKey.get(`${type}|${key}|${value}`);
  }

  /** A computed reference (unknown id in preview) still names its source in propertyDependencies. */
  private viaDependencies(
    from: ResourceInput,
    type: string,
    properties: string[],
  ): ResourceInput | undefined {
    for (const property of properties) {
      for (const urn of from.propertyDependencies?.[property] ?? []) {
        const dep = this.byUrn.get(urn);
        if (dep?.type === type) return dep;
      }
    }
    return undefined;
  }

  launchTemplate(ref: { id?: unknown; name?: unknown }, from: ResourceInput): ResourceInput | undefined {
    return (
      this.find(LAUNCH_TEMPLATE, "id", ref.id) ??
      this.find(LAUNCH_TEMPLATE, "name", ref.name) ??
      this.viaDependencies(from, LAUNCH_TEMPLATE, ["launchTemplate", "mixedInstancesPolicy"])
    );
  }

  /** Every launch template known so far: an unknown template reference is one of these. */
  launchTemplates(): ResourceInput[] {
    return [...this.templates.values()];
  }

  endpointConfiguration(name: unknown, from: ResourceInput): ResourceInput | undefined {
    return (
      this.find(ENDPOINT_CONFIGURATION, "name", name) ??
      this.viaDependencies(from, ENDPOINT_CONFIGURATION, ["endpointConfigName"])
    );
  }

  endpoint(name: unknown, from: ResourceInput): ResourceInput | undefined {
    return this.find(ENDPOINT, "name", name) ?? this.viaDependencies(from, ENDPOINT, ["resourceId"]);
  }

  endpointsUsingConfiguration(configName: unknown, configUrn?: string): ResourceInput[] {
    const known = typeof configName === "string" && !isUndecidable(configName);
    const byName = known ? (this.endpointsByConfigName.get(configName) ?? []) : [];
    const byUrn = configUrn !== undefined ? (this.endpointsByConfigUrn.get(configUrn) ?? []) : [];
    // In the order the endpoints were added, each once.
    const found = new Map([...byName, ...byUrn].map((e) => [e.seq, e.endpoint]));
    return [...found.entries()].sort((a, b) => a[0] - b[0]).map(([, endpoint]) => endpoint);
  }

  scalingTargetsFor(endpointName: string, variantName: string): ResourceInput[] {
    return [...(this.targetsByResourceId.get(`endpoint/${endpointName}/variant/${variantName}`) ?? [])];
  }
}

function pushTo<K, V>(index: Map<K, V[]>, key: K, value: V): void {
  const list = index.get(key);
  if (list) list.push(value);
  else index.set(key, [value]);
}
