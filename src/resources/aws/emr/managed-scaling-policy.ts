import { z } from "zod";
import { blankEstimate, malformed, notApplicable, withStatus } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { UNDECIDABLE, type Undecidable } from "../../../unknown.js";
import { Count, isKnown, orUnknown, readProps, shown, Text } from "../../props.js";
import { coreTypes } from "./cluster.js";
import { EMR_CLUSTER, EMR_FEE_NOTE } from "./emr-capacity.js";
import { TYPE as INSTANCE_FLEET } from "./instance-fleet.js";
import { TYPE as INSTANCE_GROUP } from "./instance-group.js";

export const TYPE = "aws:emr/managedScalingPolicy:ManagedScalingPolicy";
export const REFERENCES = { clusterId: [EMR_CLUSTER] };

const PolicyProps = z.object({
  clusterId: z.unknown().optional(),
  computeLimits: orUnknown(
    z
      .array(
        z
          .object({
            unitType: orUnknown(Text),
            minimumCapacityUnits: orUnknown(Count),
            maximumCapacityUnits: orUnknown(Count),
          })
          .passthrough(),
      )
      .min(1, "needs a compute limit"),
  ),
});

/** The core count a cluster's instance group already prices (a fleet's units are not instances: 0). */
function pricedCore(cluster: ResourceInput): number {
  const group = cluster.props.coreInstanceGroup as { instanceCount?: unknown } | undefined;
  if (!group) return 0;
  return typeof group.instanceCount === "number" ? group.instanceCount : 1;
}

/**
 * EMR managed scaling lets a cluster's core and task nodes grow to maximumCapacityUnits (instances,
 * vCPUs or fleet units). The cluster prices its declared core nodes; this policy carries the nodes
 * it may add on top, at the dearest of the cluster's core and task instance types.
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(PolicyProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const props = read.value;
  const base = blankEstimate(input, "gpu-compute");
  if (!isKnown(props.computeLimits))
    return withStatus(base, "unknown", "computeLimits is unknown", ["computeLimits"]);
  const limit = props.computeLimits[0]!;
  const cluster = ctx.links.referenced(input, EMR_CLUSTER, { id: props.clusterId });
  const clusters = cluster ? [cluster] : ctx.links.complete ? [] : ctx.links.ofType(EMR_CLUSTER);
  const types: string[] = [];
  for (const c of clusters) {
    const core = coreTypes(c);
    if (!core)
      return withStatus(base, "unknown", `the core instance types of EMR cluster ${c.name} are unknown`, [
        "clusterId",
      ]);
    types.push(...core);
    for (const task of [
      ...ctx.links.referencing(INSTANCE_GROUP, c),
      ...ctx.links.referencing(INSTANCE_FLEET, c),
    ]) {
      const t = task.props.instanceType;
      const configs = task.props.instanceTypeConfigs;
      if (typeof t === "string") types.push(t);
      if (Array.isArray(configs))
        for (const x of configs) if (typeof x?.instanceType === "string") types.push(x.instanceType);
    }
  }
  if (clusters.length === 0) {
    return withStatus(
      base,
      "unknown",
      `the EMR cluster it scales is ${ctx.links.complete ? "not in this stack" : "not known yet"}: the instance types it adds are unknown`,
      ["clusterId"],
    );
  }
  if (types.length === 0) return notApplicable(input, "its cluster names no core or task instance types");
  const unknownCountFields = (["minimumCapacityUnits", "maximumCapacityUnits"] as const)
    .filter((f) => limit[f] === UNDECIDABLE)
    .map((f) => `computeLimits[0].${f}`);
  const unit = isKnown(limit.unitType) ? limit.unitType : "Instances";
  const per = (type: string) => (unit === "VCPU" ? (ctx.pricer.catalog.specs(type)?.vcpu ?? 1) : 1);
  const already = cluster ? pricedCore(cluster) : 0;
  const extra = (units: number | Undecidable, type: string) =>
    typeof units === "number" ? Math.max(0, Math.ceil(units / per(type)) - already) : 0;
  return estimateCompute(
    input,
    base,
    {
      service: "ec2",
      category: "gpu-compute",
      pools: [
        {
          instanceTypes: [...new Set(types)],
          typeField: "clusterId",
          purchase: "on-demand",
          baselineCount: 0,
          worstCaseCount: 0,
          countsFor: (type) => ({
            baseline: extra(limit.minimumCapacityUnits, type),
            worstCase: extra(limit.maximumCapacityUnits, type),
          }),
        },
      ],
      assumptions: [
        `managed scaling between ${shown(limit.minimumCapacityUnits)} and ${shown(limit.maximumCapacityUnits)} ${unit} (fleet units counted as one instance each), less the ${already} core node(s) its cluster prices`,
        EMR_FEE_NOTE,
      ],
      unknownCountFields,
      ...(cluster ? { linkedTo: cluster.urn } : {}),
    },
    ctx,
  );
}
