import { acceleratorTypes } from "../pricing/accelerator-types.js";
import type { Purchase, Service, UnpricedRate } from "../pricing/pricer.js";
import { isSecret } from "../unknown.js";
import { unpricedAs, unpricedBy, withStatus } from "./build.js";
import {
  breakdown,
  type CapacityPool,
  type Dearest,
  dearest,
  hoursAssumptions,
  lineItem,
  priceCapacity,
} from "./capacity.js";
import { describeRegion, inResolvedRegion } from "./region.js";
import type {
  CostCategory,
  EstimateContext,
  RegionChoice,
  ResourceEstimate,
  ResourceInput,
  ScalingBounds,
} from "./types.js";

/** Instances an adapter found in its props; an empty `instanceTypes` means the type is unknown. */
export interface PoolSpec {
  label?: string;
  /** Candidates; the first accelerator is the baseline type, the dearest prices the worst case. */
  instanceTypes: string[];
  /** Property path of the instance type, named when it is unknown. */
  typeField: string;
  /** Why the type is unknown, when the generic "unknown until created" is not the reason. */
  unknownReason?: string;
  /** When the type is unknown: types it must be one of (e.g. the launch templates seen so far). */
  boundingTypes?: string[];
  /**
   * The candidates are the catalog types a rule allows (Karpenter requirements), not a list the
   * program wrote: types not sold on demand in the region are passed over.
   */
  offeredOnly?: boolean;
  purchase: Purchase;
  baselineCount: number;
  worstCaseCount: number;
  /** Per-type counts when capacity is bought in units (vCPUs, weights, limits): overrides the counts above. */
  countsFor?: (instanceType: string) => { baseline: number; worstCase: number };
}

export interface ComputeSpec {
  service: Service;
  category: CostCategory;
  pools: PoolSpec[];
  availabilityZone?: unknown;
  scaling?: ScalingBounds;
  assumptions?: string[];
  /** Count fields that are unknown: the estimate cannot be bounded without them. */
  unknownCountFields?: string[];
  /** Those of unknownCountFields that are a scaler's maximum. */
  unknownMaxima?: string[];
  linkedTo?: string;
}

/**
 * Shared path for every resource that runs instances: resolve region and hours, bound unknown
 * instance types, price the pools, and add a declared training run as one-time spend.
 */
export function estimateCompute(
  input: ResourceInput,
  base: ResourceEstimate,
  spec: ComputeSpec,
  ctx: EstimateContext,
): ResourceEstimate {
  return inResolvedRegion(input, ctx, spec.availabilityZone, (choice) =>
    computeIn(choice, input, base, spec, ctx),
  );
}

/** Every pool's candidate types, each once, in order (usually one or two: a Set only for many). */
function distinctTypes(pools: readonly PoolSpec[]): string[] {
  if (pools.reduce((n, p) => n + p.instanceTypes.length, 0) > 16)
    return [...new Set(pools.flatMap((p) => p.instanceTypes))];
  const types: string[] = [];
  for (const pool of pools) for (const t of pool.instanceTypes) if (!types.includes(t)) types.push(t);
  return types;
}

/** Whether the value at a property path (`a.b`, `a[].b`) is, or holds, a secret. */
function secretAt(value: unknown, path: readonly string[]): boolean {
  if (isSecret(value)) return true;
  if (path.length === 0 || value === null || typeof value !== "object") return false;
  const [head, ...rest] = path;
  const list = head!.endsWith("[]");
  const next = (value as Record<string, unknown>)[list ? head!.slice(0, -2) : head!];
  if (list) return Array.isArray(next) && next.some((v) => secretAt(v, rest));
  if (Array.isArray(next) && rest.length === 0) return next.some(isSecret) || isSecret(next);
  return secretAt(next, rest);
}

/** "is a secret" or "is unknown ...": a secret never reads as something the deploy will reveal. */
function unknownOrSecret(input: ResourceInput, field: string, unknown: string): string {
  return secretAt(input.props, field.split(".")) ? "is a secret" : unknown;
}

function computeIn(
  regionChoice: RegionChoice,
  input: ResourceInput,
  base: ResourceEstimate,
  spec: ComputeSpec,
  ctx: EstimateContext,
): ResourceEstimate {
  let estimate: ResourceEstimate = {
    ...base,
    category: spec.category,
    region: regionChoice,
    instanceTypes: distinctTypes(spec.pools),
    assumptions: [describeRegion(regionChoice, ctx), ...(spec.assumptions ?? [])],
  };
  // Set on the copy rather than spread in: this runs for every priced resource, twice.
  if (spec.scaling) estimate.scaling = spec.scaling;
  if (spec.linkedTo) estimate.linkedTo = spec.linkedTo;
  const region = regionChoice.region;
  const accelerators = acceleratorTypes(ctx.pricer.catalog);
  const isAccelerator = (t: string) => accelerators.isAccelerator(t) || ctx.pricer.catalog.knowsType(t);

  // A type unknown during preview but known to be one of non-accelerator types (this deployment's
  // launch templates, say) runs no accelerator either.
  const knownTypes = estimate.instanceTypes;
  const unboundedPools = spec.pools.filter(
    (p) => p.instanceTypes.length === 0 && !(p.boundingTypes?.length && !p.boundingTypes.some(isAccelerator)),
  );
  const applicable =
    spec.category === "inference-endpoint" || unboundedPools.length > 0 || knownTypes.some(isAccelerator);
  if (!applicable) {
    const bounded = [
      ...new Set(spec.pools.flatMap((p) => (p.instanceTypes.length ? [] : (p.boundingTypes ?? [])))),
    ];
    const what = [...knownTypes, ...bounded].join(", ") || "no instance type";
    return withStatus(
      { ...estimate, category: "none" },
      "not-applicable",
      `no accelerator: ${what}${bounded.length ? ` (${spec.pools.find((p) => p.boundingTypes?.length)?.typeField} is one of this deployment's)` : ""}`,
    );
  }

  if (spec.unknownCountFields && spec.unknownCountFields.length > 0) {
    return withStatus(
      estimate,
      "unknown",
      `${spec.unknownCountFields.join(", ")} unknown: the instance count cannot be bounded`,
      spec.unknownCountFields,
      spec.unknownMaxima,
    );
  }

  const pools: CapacityPool[] = [];
  for (const pool of spec.pools) {
    let types = pool.instanceTypes;
    // A pool of types without an accelerator (an EMR cluster's m5 primary node) is not GPU spend.
    const known = types.length > 0 ? types : (pool.boundingTypes ?? []);
    if (spec.category !== "inference-endpoint" && known.length > 0 && !known.some(isAccelerator)) {
      estimate.assumptions.push(
        `${pool.label ? `${pool.label}: ` : ""}${known.join(", ")} has no accelerator: not priced`,
      );
      continue;
    }
    let offeredOnly = pool.offeredOnly ?? false;
    if (types.length === 0) {
      const declared = pool.boundingTypes?.length ? pool.boundingTypes : undefined;
      const candidates = declared ?? ctx.boundingInstanceTypes;
      const why = declared ? "of the candidates seen so far" : "allowed type";
      // The allowlist's families are a universe from the catalog; the deployment's templates are declared.
      const found: Dearest = candidates?.length
        ? dearest(candidates, region, spec.service, ctx, { offeredOnly: !declared })
        : { found: false };
      if (!found.found && found.unpriced) return unpricedWorstCase(estimate, found.unpriced, pool.typeField);
      if (!found.found) {
        const reason =
          pool.unknownReason ??
          `${pool.typeField} ${unknownOrSecret(input, pool.typeField, "is unknown until the resource is created")}`;
        return withStatus(estimate, "unknown", reason, [pool.typeField]);
      }
      estimate = {
        ...estimate,
        status: "unknown",
        reason: `${pool.typeField} ${unknownOrSecret(input, pool.typeField, "is unknown")}; bounded by the most expensive ${why} ${found.type}`,
        unknownFields: [...estimate.unknownFields, pool.typeField],
      };
      estimate.assumptions.push(
        `${pool.typeField} ${unknownOrSecret(input, pool.typeField, "unknown during preview")}: priced as ${found.type}, the most expensive ${why}`,
      );
      types = [found.type];
      offeredOnly = false;
    }
    const worstCount = (t: string) => pool.countsFor?.(t).worstCase ?? pool.worstCaseCount;
    let worstType = types[0]!;
    if (types.length > 1) {
      const found = dearest(types, region, spec.service, ctx, { countOf: worstCount, offeredOnly });
      if (!found.found && found.unpriced) return unpricedWorstCase(estimate, found.unpriced, pool.typeField);
      if (!found.found) {
        return unpricedAs(
          estimate,
          `none of ${pool.typeField} (${types.join(", ")}) has a price in ${region}`,
          {
            kind: "instance-rate",
            instanceType: types[0]!,
          },
        );
      }
      worstType = found.type;
    }
    // Baseline: the first candidate that runs an accelerator (what the program lists first).
    const baselineType = types.find(isAccelerator) ?? types[0]!;
    if (types.length > 1) {
      estimate.assumptions.push(
        `${pool.label ? `${pool.label}: ` : ""}baseline runs ${baselineType} (first listed), worst case ${worstType} (most expensive of ${types.join(", ")})`,
      );
    }
    pools.push({
      ...(pool.label ? { label: pool.label } : {}),
      instanceType: baselineType,
      ...(worstType !== baselineType ? { worstCaseInstanceType: worstType } : {}),
      purchase: pool.purchase,
      baselineCount: pool.countsFor?.(baselineType).baseline ?? pool.baselineCount,
      worstCaseCount: worstCount(worstType),
    });
  }

  const hours = hoursAssumptions(ctx, estimate.economics.hoursPerMonth);
  estimate.assumptions.push(...hours.assumptions);
  // A malformed schedule or training tag is ignored (the always-on month is the upper bound), visibly.
  estimate.assumptions.push(...estimate.economics.problems.map((p) => `ignored malformed tag ${p}`));
  const priced = priceCapacity({ service: spec.service, region, pools, ...hours }, ctx);
  if (!priced.priced) return unpricedBy(estimate, priced);
  estimate.assumptions.push(...priced.adjustments);
  // `estimate` is this function's own copy (never `base`).
  estimate.monthly = priced.monthly;
  if (priced.accelerators) estimate.accelerators = priced.accelerators;
  return addDeclaredTraining(estimate, pools);
}

/** An accelerator candidate without a price: the worst case is unknown, never the next dearest. */
function unpricedWorstCase(
  estimate: ResourceEstimate,
  unpriced: { type: string; quote: UnpricedRate },
  field: string,
): ResourceEstimate {
  return {
    ...unpricedAs(
      estimate,
      `the worst case is unknown: ${unpriced.type} (one of ${field}) cannot be priced (${unpriced.quote.reason})`,
      unpriced.quote.missing,
    ),
    unpricedTypes: [unpriced.type],
  };
}

/** A cluster that declares `computeguard:training-hours` also reports that run as one-time spend. */
function addDeclaredTraining(estimate: ResourceEstimate, pools: CapacityPool[]): ResourceEstimate {
  const hours = estimate.economics.trainingHours;
  if (hours === undefined || !estimate.monthly) return estimate;
  const items = estimate.monthly.worstCase.lineItems.map((item, i) =>
    lineItem(
      `training run: ${pools[i]?.worstCaseInstanceType ?? pools[i]?.instanceType}`,
      "on-demand",
      item.unitPrice,
      hours,
      "hour",
      item.count,
      item.price,
    ),
  );
  return {
    ...estimate,
    oneTime: breakdown(items),
    assumptions: [
      ...estimate.assumptions,
      `one-time training run of ${hours.toFixed()} hours at the worst-case count (computeguard:training-hours)`,
    ],
  };
}
