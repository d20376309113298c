import { isAcceleratorInstanceType, type Purchase, type Service } from "../pricing/pricer.js";
import { describeRegion, resolveRegion } from "../resources/region.js";
import { withStatus } from "./build.js";
import {
  breakdown,
  type CapacityPool,
  hoursAssumptions,
  lineItem,
  mostExpensive,
  priceCapacity,
} from "./capacity.js";
import type {
  CostCategory,
  EstimateContext,
  ResourceEstimate,
  ResourceInput,
  ScalingBounds,
} from "./types.js";

/** Instances an adapter found in its props; an empty `instanceTypes` means the type is unknown. */
export interface PoolSpec {
  label?: string;
  /** Candidates; the first is the baseline type, the most expensive prices the worst case. */
  instanceTypes: string[];
  /** Property path of the instance type, named when it is unknown. */
  typeField: string;
  /** Why the type is unknown, when the generic "unknown until created" is not the reason. */
  unknownReason?: string;
  /** When the type is unknown: types it must be one of (e.g. the launch templates seen so far). */
  boundingTypes?: string[];
  purchase: Purchase;
  baselineCount: number;
  worstCaseCount: number;
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
) {
  const regionChoice = resolveRegion(input, ctx, spec.availabilityZone);
  let estimate: ResourceEstimate = {
    ...base,
    category: spec.category,
    region: regionChoice,
    instanceTypes: [...new Set(spec.pools.flatMap((p) => p.instanceTypes))],
    assumptions: [describeRegion(regionChoice, ctx), ...(spec.assumptions ?? [])],
    ...(spec.scaling ? { scaling: spec.scaling } : {}),
    ...(spec.linkedTo ? { linkedTo: spec.linkedTo } : {}),
  };
  const region = regionChoice.region;

  if (spec.unknownCountFields && spec.unknownCountFields.length > 0) {
    return withStatus(
      estimate,
      "unknown",
      `${spec.unknownCountFields.join(", ")} unknown: the instance count cannot be bounded`,
      spec.unknownCountFields,
    );
  }

  const knownTypes = estimate.instanceTypes;
  const unknownPools = spec.pools.filter((p) => p.instanceTypes.length === 0);
  const applicable =
    spec.category === "inference-endpoint" ||
    unknownPools.length > 0 ||
    knownTypes.some((t) => isAcceleratorInstanceType(t) || ctx.pricer.catalog.knowsType(t));
  if (!applicable) {
    return withStatus(
      { ...estimate, category: "none" },
      "not-applicable",
      `no accelerator: ${knownTypes.join(", ") || "no instance type"}`,
    );
  }

  const pools: CapacityPool[] = [];
  for (const pool of spec.pools) {
    let types = pool.instanceTypes;
    if (types.length === 0) {
      const candidates = pool.boundingTypes?.length ? pool.boundingTypes : ctx.boundingInstanceTypes;
      const why = pool.boundingTypes?.length ? "of the candidates seen so far" : "allowed type";
      const bound = candidates?.length ? mostExpensive(candidates, region, spec.service, ctx) : undefined;
      if (!bound) {
        const reason = pool.unknownReason ?? `${pool.typeField} is unknown until the resource is created`;
        return withStatus(estimate, "unknown", reason, [pool.typeField]);
      }
      estimate = {
        ...estimate,
        status: "unknown",
        reason: `${pool.typeField} is unknown; bounded by the most expensive ${why} ${bound}`,
        unknownFields: [...estimate.unknownFields, pool.typeField],
      };
      estimate.assumptions.push(
        `${pool.typeField} unknown during preview: priced as ${bound}, the most expensive ${why}`,
      );
      types = [bound];
    }
    const worstType = types.length > 1 ? mostExpensive(types, region, spec.service, ctx) : types[0];
    if (types.length > 1) {
      estimate.assumptions.push(
        `${pool.label ? `${pool.label}: ` : ""}baseline runs ${types[0]} (first listed), worst case ${worstType ?? types[0]} (most expensive of ${types.join(", ")})`,
      );
    }
    pools.push({
      ...(pool.label ? { label: pool.label } : {}),
      instanceType: types[0]!,
      ...(worstType && worstType !== types[0] ? { worstCaseInstanceType: worstType } : {}),
      purchase: pool.purchase,
      baselineCount: pool.baselineCount,
      worstCaseCount: pool.worstCaseCount,
    });
  }

  const hours = hoursAssumptions(ctx, estimate.economics.hoursPerMonth);
  estimate.assumptions.push(...hours.assumptions);
  // A malformed schedule or training tag is ignored (the always-on month is the upper bound), visibly.
  estimate.assumptions.push(...estimate.economics.problems.map((p) => `ignored malformed tag ${p}`));
  const priced = priceCapacity({ service: spec.service, region, pools, ...hours }, ctx);
  if (!priced.priced) return withStatus(estimate, "unpriced", priced.reason);
  estimate.assumptions.push(...priced.adjustments);
  estimate = {
    ...estimate,
    monthly: priced.monthly,
    ...(priced.accelerators ? { accelerators: priced.accelerators } : {}),
  };
  return addDeclaredTraining(estimate, pools);
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
