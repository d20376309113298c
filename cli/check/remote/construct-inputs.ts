import * as pulumi from "@pulumi/pulumi";
import type { RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb.js";

type Sig = Record<string, unknown>;

function signature(value: unknown): unknown {
  return value !== null && typeof value === "object"
    ? (value as Sig)[pulumi.runtime.specialSigKey]
    : undefined;
}

/**
 * The wire form of a remote component's inputs, turned back into what a provider's Construct hands
 * the component (as the SDK's provider server does): plain values, unknowns, resources rebuilt from
 * their references, each input carrying the resources it came from. Secrets are unwrapped: only cost
 * is computed from them. A reference to a component this check expanded itself resolves to that
 * local component, so node groups can read their cluster. `plain` holds the same values without
 * their dependencies, to look things up in them without waiting.
 */
export function constructInputs(
  request: RegisterResourceRequest,
  resolveReference: (mockUrn: string, reference: unknown) => unknown,
): { inputs: Record<string, unknown>; plain: Record<string, unknown> } {
  const walk = (value: unknown): unknown => {
    const sig = signature(value);
    if (sig === pulumi.runtime.specialSecretSig) return walk((value as Sig).value);
    if (sig === pulumi.runtime.specialResourceSig) return resolveReference(String((value as Sig).urn), value);
    if (Array.isArray(value)) return value.map(walk);
    if (sig === undefined && value !== null && typeof value === "object") {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v)]));
    }
    return pulumi.runtime.deserializeProperty(value, true);
  };

  const wire = request.getObject()?.toJavaScript() ?? {};
  const dependencies = request.getPropertydependenciesMap();
  const inputs: Record<string, unknown> = {};
  const plain: Record<string, unknown> = {};
  for (const [key, raw] of Object.entries(wire)) {
    if (raw === undefined) continue;
    const value = walk(raw);
    plain[key] = value;
    const from = dependencies.get(key)?.getUrnsList() ?? [];
    // A resource is passed as itself; anything else that came from other resources remembers them,
    // so the resources built from it record the same property dependencies the engine would.
    if (pulumi.Resource.isInstance(value) || from.length === 0) {
      inputs[key] = value;
    } else {
      const sources = from.map((urn) => new pulumi.DependencyResource(urn).urn);
      inputs[key] = pulumi.all([value, ...sources]).apply(([v]) => v);
    }
  }
  return { inputs, plain };
}
