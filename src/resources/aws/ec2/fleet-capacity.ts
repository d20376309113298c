import type { PoolSpec } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceInput } from "../../../estimate/types.js";
import type { Purchase } from "../../../pricing/pricer.js";
import { isUndecidable } from "../../../unknown.js";
import { fromLaunchTemplate, unknownTypeDetails } from "./launch-source.js";

/** One instance type a fleet may launch, and the capacity units one instance of it counts for. */
export interface FleetCandidate {
  /** Undefined when the type is unknown (preview) or comes from a launch template that could not be read. */
  instanceType: string | undefined;
  /** Units per instance (weightedCapacity); undefined: the unit's default (1, or the type's vCPUs or MiB). */
  weight: number | undefined;
  /** Property path of the type, named when it is unknown. */
  field: string;
  /** Why the type is unknown, and what bounds it, when it is. */
  unknown?: Pick<PoolSpec, "boundingTypes" | "unknownReason">;
}

/** A launch template config of a fleet: the template, and overrides of its type and weight. */
export interface TemplateConfig {
  template: { id?: unknown; name?: unknown; version?: unknown };
  overrides: ReadonlyArray<{
    instanceType?: unknown;
    instanceRequirements?: unknown;
    weightedCapacity?: unknown;
  }>;
}

/**
 * The candidates of a fleet's launch template configs: each override's type (or, when it names
 * none, its template's), or the template's alone. An override that selects types by attributes
 * (instanceRequirements) may launch any type: its type is unknown.
 */
export function templateConfigCandidates(
  configs: readonly TemplateConfig[],
  at: (i: number) => string,
  input: ResourceInput,
  ctx: EstimateContext,
): { candidates: FleetCandidate[]; assumptions: string[]; linkedTo?: string } {
  const candidates: FleetCandidate[] = [];
  const assumptions: string[] = [];
  let linkedTo: string | undefined;
  configs.forEach((config, i) => {
    const needsTemplate =
      config.overrides.length === 0 ||
      config.overrides.some((o) => o.instanceType === undefined && o.instanceRequirements === undefined);
    const source = needsTemplate
      ? fromLaunchTemplate(config.template, input, ctx, `${at(i)}.launchTemplateSpecification`)
      : undefined;
    if (source) {
      assumptions.push(...source.assumptions);
      linkedTo ??= source.urn;
    }
    const fromTemplate = (): FleetCandidate => ({
      instanceType: source!.instanceType,
      weight: undefined,
      field: source!.field,
      unknown: unknownTypeDetails(source!),
    });
    if (config.overrides.length === 0) candidates.push(fromTemplate());
    config.overrides.forEach((o, j) => {
      const field = `${at(i)}.overrides[${j}]`;
      const weight = weightOf(o.weightedCapacity);
      if (o.instanceType === undefined && o.instanceRequirements === undefined) {
        candidates.push({ ...fromTemplate(), weight });
      } else if (o.instanceType === undefined) {
        candidates.push({
          instanceType: undefined,
          weight,
          field: `${field}.instanceRequirements`,
          unknown: {
            unknownReason: `${field}.instanceRequirements selects instance types by attributes: any type may launch`,
          },
        });
      } else {
        const known = typeof o.instanceType === "string" && !isUndecidable(o.instanceType);
        candidates.push({
          instanceType: known ? (o.instanceType as string) : undefined,
          weight,
          field: `${field}.instanceType`,
        });
      }
    });
  });
  return { candidates, assumptions, ...(linkedTo ? { linkedTo } : {}) };
}

export type CapacityUnit = "units" | "vcpu" | "memory-mib";

/** A weight as the provider writes it: a number, or a numeric string (spot fleet launch specifications). */
export function weightOf(value: unknown): number | undefined {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
  return typeof n === "number" && Number.isFinite(n) && n > 0 ? n : undefined;
}

/**
 * Pools for capacity bought in units from weighted candidates (spot fleets, EC2 fleets, EMR
 * instance fleets): each candidate type fills the target with ceil(units / its weight) instances,
 * the dearest such fill is the worst case. A fleet holds its target, so baseline equals worst
 * case, at the first accelerator candidate.
 */
export function fleetPools(
  candidates: readonly FleetCandidate[],
  targets: ReadonlyArray<{ label: string; purchase: Purchase; units: number }>,
  unit: CapacityUnit,
  ctx: EstimateContext,
): PoolSpec[] {
  const unknown = candidates.find((c) => c.instanceType === undefined);
  const weights = new Map<string, number>();
  for (const c of candidates) {
    if (c.instanceType === undefined) continue;
    const w = c.weight ?? defaultWeight(c.instanceType, unit, ctx);
    // The same type listed twice at different weights: the smaller weight launches more of it.
    weights.set(c.instanceType, Math.min(w, weights.get(c.instanceType) ?? w));
  }
  const base = {
    instanceTypes: unknown ? [] : [...weights.keys()],
    typeField: unknown?.field ?? candidates[0]?.field ?? "instanceType",
    ...(unknown?.unknown ?? {}),
    baselineCount: 0,
    worstCaseCount: 0,
  };
  const pools: PoolSpec[] = targets
    .filter((t) => t.units > 0)
    .map((t) => {
      const count = (type: string) => Math.ceil(t.units / (weights.get(type) ?? 1));
      return {
        ...base,
        label: t.label,
        purchase: t.purchase,
        countsFor: (type: string) => ({ baseline: count(type), worstCase: count(type) }),
      };
    });
  if (pools.length === 1) delete pools[0]!.label;
  // A target of 0 (or unknown) still says which types the fleet would launch.
  return pools.length > 0 ? pools : [{ ...base, purchase: "on-demand" }];
}

/** Without weightedCapacity, an instance counts for one unit, or its vCPUs or memory (MiB) when the target is in those. */
function defaultWeight(instanceType: string, unit: CapacityUnit, ctx: EstimateContext): number {
  const specs = ctx.pricer.catalog.specs(instanceType);
  if (unit === "vcpu" && specs) return specs.vcpu;
  if (unit === "memory-mib" && specs) return specs.memoryGiB * 1024;
  return 1;
}

/** "units" unless the fleet counts capacity in vCPUs or memory. */
export function capacityUnit(value: unknown): CapacityUnit {
  return value === "vcpu" || value === "memory-mib" ? value : "units";
}
