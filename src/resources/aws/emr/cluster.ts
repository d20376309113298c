import { z } from "zod";
import { blankEstimate, malformed } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { UNDECIDABLE } from "../../../unknown.js";
import { isKnown, orUnknown, readProps } from "../../props.js";
import {
  EMR_CLUSTER,
  EMR_FEE_NOTE,
  type EmrPools,
  fleetPoolsOf,
  groupPools,
  InstanceFleetShape,
  InstanceGroupShape,
  merged,
} from "./emr-capacity.js";

export const TYPE = EMR_CLUSTER;

const ClusterProps = z.object({
  masterInstanceGroup: orUnknown(InstanceGroupShape).optional(),
  coreInstanceGroup: orUnknown(InstanceGroupShape).optional(),
  masterInstanceFleet: orUnknown(InstanceFleetShape).optional(),
  coreInstanceFleet: orUnknown(InstanceFleetShape).optional(),
});

/**
 * An EMR cluster: its primary (master) and core nodes, as instance groups (count, or the core
 * group's autoscaling maximum at worst) or instance fleets (on-demand and spot target units).
 * Task nodes are their own resources (aws:emr/instanceGroup, aws:emr/instanceFleet), and managed
 * scaling (aws:emr/managedScalingPolicy) prices what it may add.
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(ClusterProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const props = read.value;
  const parts: EmrPools[] = [];
  const unknown: string[] = [];
  const roles = [
    ["master", "masterInstanceGroup", "masterInstanceFleet"],
    ["core", "coreInstanceGroup", "coreInstanceFleet"],
  ] as const;
  for (const [role, groupField, fleetField] of roles) {
    const group = props[groupField];
    const fleet = props[fleetField];
    if (group === UNDECIDABLE) unknown.push(groupField);
    else if (group) parts.push(groupPools(group, role, groupField));
    else if (fleet === UNDECIDABLE) unknown.push(fleetField);
    else if (fleet) parts.push(fleetPoolsOf(fleet, role, fleetField, ctx));
  }
  if (parts.length === 0 && unknown.length === 0)
    return malformed(
      input,
      "gpu-compute",
      "masterInstanceGroup: a cluster needs a master instance group or fleet",
    );
  const all = merged(parts);
  if (all.problems.length > 0) return malformed(input, "gpu-compute", all.problems.join("; "));
  return estimateCompute(
    input,
    blankEstimate(input, "gpu-compute"),
    {
      service: "ec2",
      category: "gpu-compute",
      // An unknown group or fleet: its type is unknown too.
      pools: [
        ...all.pools,
        ...unknown.map((field) => ({
          label: field,
          instanceTypes: [],
          typeField: field,
          purchase: "on-demand" as const,
          baselineCount: 0,
          worstCaseCount: 0,
        })),
      ],
      assumptions: [...all.assumptions, EMR_FEE_NOTE],
      unknownCountFields: all.unknownCountFields,
    },
    ctx,
  );
}

/** The instance types a cluster's core nodes run (what managed scaling adds more of). */
export function coreTypes(cluster: ResourceInput): string[] | undefined {
  const read = readProps(ClusterProps, cluster.props);
  if (!read.ok) return undefined;
  const { coreInstanceGroup: group, coreInstanceFleet: fleet } = read.value;
  if (group !== undefined)
    return isKnown(group) && isKnown(group.instanceType) ? [group.instanceType] : undefined;
  if (fleet !== undefined && isKnown(fleet) && isKnown(fleet.instanceTypeConfigs)) {
    const types = fleet.instanceTypeConfigs.map((c) => c.instanceType);
    return types.every(isKnown) ? (types as string[]) : undefined;
  }
  return fleet === undefined ? [] : undefined;
}
