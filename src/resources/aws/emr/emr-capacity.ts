import { z } from "zod";
import type { PoolSpec } from "../../../estimate/compute.js";
import type { EstimateContext } from "../../../estimate/types.js";
import { UNDECIDABLE, type Undecidable } from "../../../unknown.js";
import { Count, isKnown, orUnknown, Text } from "../../props.js";
import { type FleetCandidate, fleetPools, weightOf } from "../ec2/fleet-capacity.js";

export const EMR_CLUSTER = "aws:emr/cluster:Cluster";

/** Said by every EMR estimate: the catalog holds EC2 rates, not EMR's per-instance fee on top. */
export const EMR_FEE_NOTE =
  "EMR instances at their EC2 rate: EMR's per-instance service fee is not in the price catalog (a lower bound for it)";

export const InstanceGroupShape = z
  .object({
    instanceType: orUnknown(Text),
    instanceCount: orUnknown(Count).optional(),
    bidPrice: orUnknown(Text).optional(),
    autoscalingPolicy: orUnknown(Text).optional(),
  })
  .passthrough();

export const InstanceFleetShape = z
  .object({
    instanceTypeConfigs: orUnknown(
      z.array(
        z.object({ instanceType: orUnknown(Text), weightedCapacity: z.unknown().optional() }).passthrough(),
      ),
    ).optional(),
    targetOnDemandCapacity: orUnknown(Count).optional(),
    targetSpotCapacity: orUnknown(Count).optional(),
  })
  .passthrough();

type Group = z.infer<typeof InstanceGroupShape>;
type Fleet = z.infer<typeof InstanceFleetShape>;

export interface EmrPools {
  pools: PoolSpec[];
  assumptions: string[];
  unknownCountFields: string[];
  /** Malformed properties, each naming its path. */
  problems: string[];
}

/**
 * The maximum of an instance group's automatic scaling policy (a JSON document whose
 * Constraints.MaxCapacity bounds the group), or why it cannot be read.
 */
export function autoscalingMax(policy: string): number | { problem: string } {
  try {
    const max = (JSON.parse(policy) as { Constraints?: { MaxCapacity?: unknown } })?.Constraints?.MaxCapacity;
    return typeof max === "number" && Number.isInteger(max) && max >= 0
      ? max
      : { problem: "has no whole Constraints.MaxCapacity" };
  } catch {
    return { problem: "is not JSON" };
  }
}

/** `prefix.field`, or the field alone for the resource's own top-level properties (prefix ""). */
const pathIn = (prefix: string) => (field: string) => (prefix ? `${prefix}.${field}` : field);

/** An instance group (master, core or task): its count, or its automatic scaling maximum at worst. */
export function groupPools(group: Group, label: string | undefined, prefix: string): EmrPools {
  const at = pathIn(prefix);
  const assumptions: string[] = [];
  const unknownCountFields: string[] = [];
  const problems: string[] = [];
  const count = group.instanceCount === undefined ? 1 : group.instanceCount;
  if (count === UNDECIDABLE) unknownCountFields.push(at("instanceCount"));
  const known = typeof count === "number" ? count : 0;
  let worst = known;
  if (group.autoscalingPolicy === UNDECIDABLE) unknownCountFields.push(at("autoscalingPolicy"));
  else if (group.autoscalingPolicy !== undefined) {
    const max = autoscalingMax(group.autoscalingPolicy);
    if (typeof max === "number") {
      worst = Math.max(known, max);
      assumptions.push(`${label ?? "group"}: worst case at its autoscaling policy's MaxCapacity ${max}`);
    } else {
      problems.push(`${at("autoscalingPolicy")}: ${max.problem}`);
    }
  }
  const spot = group.bidPrice !== undefined && group.bidPrice !== "";
  return {
    pools: [
      {
        ...(label ? { label } : {}),
        instanceTypes: isKnown(group.instanceType) ? [group.instanceType] : [],
        typeField: at("instanceType"),
        purchase: spot ? "spot" : "on-demand",
        baselineCount: known,
        worstCaseCount: worst,
      },
    ],
    assumptions,
    unknownCountFields,
    problems,
  };
}

/** An instance fleet: its on-demand and spot target units, filled by its weighted instance type configs. */
export function fleetPoolsOf(fleet: Fleet, label: string, prefix: string, ctx: EstimateContext): EmrPools {
  const at = pathIn(prefix);
  const unknownCountFields: string[] = [];
  const configs = isKnown(fleet.instanceTypeConfigs) ? fleet.instanceTypeConfigs : [];
  if (fleet.instanceTypeConfigs === UNDECIDABLE) unknownCountFields.push(at("instanceTypeConfigs"));
  const candidates: FleetCandidate[] = configs.map((c, i) => ({
    instanceType: isKnown(c.instanceType) ? c.instanceType : undefined,
    weight: weightOf(c.weightedCapacity),
    field: at(`instanceTypeConfigs[${i}].instanceType`),
  }));
  const units = (v: number | Undecidable | undefined, name: string) => {
    if (v === UNDECIDABLE) unknownCountFields.push(at(name));
    return typeof v === "number" ? v : 0;
  };
  const onDemand = units(fleet.targetOnDemandCapacity, "targetOnDemandCapacity");
  const spot = units(fleet.targetSpotCapacity, "targetSpotCapacity");
  const pools = fleetPools(
    candidates,
    [
      { label: `${label} on-demand`, purchase: "on-demand", units: onDemand },
      { label: `${label} spot`, purchase: "spot", units: spot },
    ],
    "units",
    ctx,
  ).map((p) => ({ ...p, label: p.label ?? label }));
  return {
    pools,
    assumptions: [
      `${label}: ${onDemand} on-demand and ${spot} spot units, each instance counting for its weightedCapacity`,
    ],
    unknownCountFields,
    problems: [],
  };
}

export function merged(parts: readonly EmrPools[]): EmrPools {
  return {
    pools: parts.flatMap((p) => p.pools),
    assumptions: parts.flatMap((p) => p.assumptions),
    unknownCountFields: parts.flatMap((p) => p.unknownCountFields),
    problems: parts.flatMap((p) => p.problems),
  };
}
