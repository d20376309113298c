import { z } from "zod";
import { blankEstimate, malformed } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { readProps } from "../../props.js";
import { EMR_CLUSTER, EMR_FEE_NOTE, groupPools, InstanceGroupShape } from "./emr-capacity.js";

export const TYPE = "aws:emr/instanceGroup:InstanceGroup";
export const REFERENCES = { clusterId: [EMR_CLUSTER] };

const InstanceGroupProps = InstanceGroupShape.extend({ clusterId: z.unknown().optional() });

/** An EMR task instance group: instanceCount (default 1) of its type, its autoscaling maximum at worst. */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(InstanceGroupProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const group = groupPools(read.value, undefined, "");
  if (group.problems.length > 0) return malformed(input, "gpu-compute", group.problems.join("; "));
  return estimateCompute(
    input,
    blankEstimate(input, "gpu-compute"),
    {
      service: "ec2",
      category: "gpu-compute",
      pools: group.pools,
      assumptions: [...group.assumptions, EMR_FEE_NOTE],
      unknownCountFields: group.unknownCountFields,
    },
    ctx,
  );
}
