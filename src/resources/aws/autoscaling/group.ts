import { z } from "zod";
import { blankEstimate, malformed } from "../../../estimate/build.js";
import { estimateCompute, type PoolSpec } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { UNDECIDABLE } from "../../../unknown.js";
import { Count, isKnown, orUnknown, readProps, Text } from "../../props.js";
import { readScaling } from "../../scaling.js";
import {
  fromLaunchConfiguration,
  fromLaunchTemplate,
  LAUNCH_CONFIGURATION,
  LAUNCH_TEMPLATE,
  type LaunchSource,
  TemplateRef,
  TemplateSpecification,
  unknownTypeDetails,
} from "../ec2/launch-source.js";

export const TYPE = "aws:autoscaling/group:Group";
export const REFERENCES = {
  launchTemplate: [LAUNCH_TEMPLATE],
  mixedInstancesPolicy: [LAUNCH_TEMPLATE],
  launchConfiguration: [LAUNCH_CONFIGURATION],
};

const GroupProps = z.object({
  minSize: orUnknown(Count),
  maxSize: orUnknown(Count),
  desiredCapacity: orUnknown(Count).optional(),
  availabilityZones: orUnknown(z.array(z.unknown())).optional(),
  launchConfiguration: z.unknown().optional(),
  launchTemplate: orUnknown(TemplateRef).optional(),
  mixedInstancesPolicy: orUnknown(
    z
      .object({
        launchTemplate: z
          .object({
            launchTemplateSpecification: orUnknown(TemplateSpecification).optional(),
            overrides: orUnknown(
              z.array(z.object({ instanceType: orUnknown(Text).optional() }).passthrough()),
            ).optional(),
          })
          .passthrough(),
        instancesDistribution: orUnknown(
          z
            .object({
              onDemandBaseCapacity: orUnknown(Count).optional(),
              onDemandPercentageAboveBaseCapacity: orUnknown(Count.max(100)).optional(),
            })
            .passthrough(),
        ).optional(),
      })
      .passthrough(),
  ).optional(),
  warmPool: orUnknown(
    z
      .object({
        // -1 resets it to the default (the group's maxSize).
        maxGroupPreparedCapacity: orUnknown(z.number().int().min(-1).max(100_000)).optional(),
        minSize: orUnknown(Count).optional(),
        poolState: orUnknown(Text).optional(),
      })
      .passthrough(),
  ).optional(),
});

type Props = z.infer<typeof GroupProps>;

/** On-demand instances out of `n`, the way EC2 Auto Scaling splits a mixed group. */
export function onDemandShare(n: number, base: number, percentAbove: number): number {
  const fixed = Math.min(n, base);
  return fixed + Math.ceil(((n - fixed) * percentAbove) / 100);
}

/**
 * Warm-pool instances on top of the group's: the pool holds what maxGroupPreparedCapacity (default
 * maxSize) leaves above the group's capacity, at least its minSize. A `Running` pool is billed like
 * in-service instances, even with maxSize 0; stopped and hibernated ones bill their volumes only.
 */
export function warmPoolCounts(
  group: { desired: number; max: number },
  pool: { prepared?: number; minSize: number },
): { baseline: number; worstCase: number } {
  const prepared = pool.prepared ?? group.max;
  const warmAt = (inService: number) => Math.max(pool.minSize, prepared - inService);
  return { baseline: warmAt(group.desired), worstCase: warmAt(group.max) };
}

/** Where the group's instance types come from: overrides, a launch template, or a launch configuration. */
function instanceTypes(
  props: Props,
  input: ResourceInput,
  ctx: EstimateContext,
): { types: string[]; field: string; source?: LaunchSource } | { problem: string } {
  const mixed = isKnown(props.mixedInstancesPolicy) ? props.mixedInstancesPolicy : undefined;
  const overrides = mixed && isKnown(mixed.launchTemplate.overrides) ? mixed.launchTemplate.overrides : [];
  if (overrides.length > 0) {
    const field = "mixedInstancesPolicy.launchTemplate.overrides[].instanceType";
    return overrides.every((o) => isKnown(o.instanceType))
      ? { types: overrides.map((o) => o.instanceType as string), field }
      : { types: [], field };
  }
  const spec = mixed?.launchTemplate.launchTemplateSpecification;
  if (isKnown(spec)) {
    const ref = { id: spec.launchTemplateId, name: spec.launchTemplateName, version: spec.version };
    const source = fromLaunchTemplate(ref, input, ctx, "mixedInstancesPolicy.launchTemplate");
    return { types: source.instanceType ? [source.instanceType] : [], field: source.field, source };
  }
  if (props.launchTemplate !== undefined) {
    const ref = isKnown(props.launchTemplate) ? props.launchTemplate : {};
    const source = fromLaunchTemplate(ref, input, ctx);
    return { types: source.instanceType ? [source.instanceType] : [], field: source.field, source };
  }
  if (props.launchConfiguration !== undefined) {
    const source = fromLaunchConfiguration(props.launchConfiguration, input, ctx);
    return { types: source.instanceType ? [source.instanceType] : [], field: source.field, source };
  }
  if (props.mixedInstancesPolicy !== undefined) return { types: [], field: "mixedInstancesPolicy" };
  return {
    problem:
      "launchTemplate: a group needs a launch template, a mixed instances policy or a launch configuration",
  };
}

/**
 * An EC2 Auto Scaling group: min/desired/max of its launch template's, overrides' or launch
 * configuration's instance types, plus a running warm pool.
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(GroupProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const props = read.value;
  const base = blankEstimate(input, "gpu-compute");
  const scaling = readScaling(
    { min: "minSize", desired: "desiredCapacity", max: "maxSize" },
    props.minSize,
    props.desiredCapacity,
    props.maxSize,
  );
  if (scaling.problems.length > 0) return malformed(input, "gpu-compute", scaling.problems.join("; "));
  const found = instanceTypes(props, input, ctx);
  if ("problem" in found) return malformed(input, "gpu-compute", found.problem);
  const { types, field, source } = found;
  const spotSource = source?.spot === true;

  const bounds = scaling.bounds;
  const desired = bounds?.desired ?? 0;
  const worst = bounds ? (bounds.max ?? bounds.desired) : 0;
  const assumptions = [...scaling.assumptions, ...(source?.assumptions ?? [])];
  const unknownCountFields = [...scaling.unknownFields];
  const mixed = isKnown(props.mixedInstancesPolicy) ? props.mixedInstancesPolicy : undefined;
  const dist = mixed && isKnown(mixed.instancesDistribution) ? mixed.instancesDistribution : undefined;
  const odBase = dist && isKnown(dist.onDemandBaseCapacity) ? dist.onDemandBaseCapacity : 0;
  const odPct = spotSource
    ? 0
    : dist && isKnown(dist.onDemandPercentageAboveBaseCapacity)
      ? dist.onDemandPercentageAboveBaseCapacity
      : 100;
  const odBaseline = onDemandShare(desired, odBase, odPct);
  const odWorst = onDemandShare(worst, odBase, odPct);
  if (!spotSource && (odPct < 100 || odBase > 0)) {
    assumptions.push(`on-demand base ${odBase} + ${odPct}% above base; the rest spot`);
  }
  const pool = (
    label: string,
    purchase: PoolSpec["purchase"],
    baselineCount: number,
    worstCaseCount: number,
  ) => ({
    label,
    instanceTypes: types,
    ...(source ? unknownTypeDetails(source) : {}),
    typeField: field,
    purchase,
    baselineCount,
    worstCaseCount,
  });
  const pools: PoolSpec[] = [];
  if (odWorst > 0 || odBaseline > 0 || worst === 0)
    pools.push(pool("on-demand", "on-demand", odBaseline, odWorst));
  if (odWorst < worst) pools.push(pool("spot", "spot", desired - odBaseline, worst - odWorst));

  const warm = isKnown(props.warmPool) ? props.warmPool : undefined;
  if (warm) {
    const state = warm.poolState ?? "Stopped";
    const prepared = warm.maxGroupPreparedCapacity;
    const minSize = warm.minSize ?? 0;
    if (!isKnown(state) || state === "Running") {
      if (!isKnown(state))
        assumptions.push("warmPool.poolState unknown: priced as Running (billed like in-service instances)");
      else assumptions.push("warm pool Running: its instances are billed like in-service instances");
      if (prepared === UNDECIDABLE) unknownCountFields.push("warmPool.maxGroupPreparedCapacity");
      if (minSize === UNDECIDABLE) unknownCountFields.push("warmPool.minSize");
      const counts = warmPoolCounts(
        { desired, max: worst },
        {
          ...(typeof prepared === "number" && prepared >= 0 ? { prepared } : {}),
          minSize: typeof minSize === "number" ? minSize : 0,
        },
      );
      if (counts.worstCase > 0) pools.push(pool("warm pool", "on-demand", counts.baseline, counts.worstCase));
    } else {
      assumptions.push(`warm pool ${state}: its instances bill their volumes only (not priced)`);
    }
  }
  // A pool that never runs an instance (in service at maxSize 0 beside a warm pool) adds no line.
  const running = pools.filter((p) => p.baselineCount > 0 || p.worstCaseCount > 0);
  if (running.length > 0 && running.length < pools.length) pools.splice(0, pools.length, ...running);
  if (pools.length === 1 && pools[0]!.label !== "warm pool") delete (pools[0] as { label?: string }).label;
  return estimateCompute(
    input,
    base,
    {
      service: "ec2",
      category: "gpu-compute",
      pools,
      ...(bounds ? { scaling: bounds } : {}),
      assumptions,
      unknownCountFields,
      unknownMaxima: scaling.unknownMaxima,
      ...(source?.urn ? { linkedTo: source.urn } : {}),
    },
    ctx,
  );
}
