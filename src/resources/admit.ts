import type { ResourceInput } from "../estimate/types.js";
import { isSecret } from "../unknown.js";

/**
 * Pulumi and the AWS provider write `null` for every unset nested block in outputs
 * (`launchTemplate`, `instanceMarketOptions`, `mixedInstancesPolicy`, `warmPool`, ...) and in
 * some inputs. For pricing, null is "not set": it is dropped at any depth, inside arrays too.
 * Values without a null are returned as they are (no copy), which is nearly every value.
 */
export function withoutNulls<T>(value: T): T {
  return hasNull(value) ? (strip(value) as T) : value;
}

function hasNull(value: unknown): boolean {
  if (value === null) return true;
  if (typeof value !== "object" || isSecret(value)) return false;
  if (Array.isArray(value)) return value.some(hasNull);
  return Object.values(value).some(hasNull);
}

function strip(value: unknown): unknown {
  if (typeof value !== "object" || value === null || isSecret(value)) return value;
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(strip);
  // fromEntries defines own keys, so a `__proto__` key from JSON stays a key.
  return Object.fromEntries(
    Object.entries(value).flatMap(([key, v]) => (v === null ? [] : [[key, strip(v)]])),
  );
}

const admitted = new WeakMap<ResourceInput, ResourceInput>();

/**
 * The adapter registry's entrance: every resource an adapter reads (its own, and the ones it
 * links to) passes here once, so each adapter, `check`, `estimate` and the pack see nulls as
 * absence. Older Pulumi also writes `null` for a property with no dependencies.
 */
export function admit(input: ResourceInput): ResourceInput {
  let found = admitted.get(input);
  if (found) return found;
  const props = withoutNulls(input.props ?? {});
  const deps = input.propertyDependencies;
  const cleanDeps = deps && hasNull(deps) ? withoutNulls(deps) : deps;
  found =
    props === input.props && cleanDeps === deps
      ? input
      : { ...input, props, ...(cleanDeps ? { propertyDependencies: cleanDeps } : {}) };
  admitted.set(input, found);
  if (found !== input) admitted.set(found, found);
  return found;
}
