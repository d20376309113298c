import { z } from "zod";
import { blankEstimate, malformed } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { readProps } from "../../props.js";
import { EMR_CLUSTER, EMR_FEE_NOTE, fleetPoolsOf, InstanceFleetShape } from "./emr-capacity.js";

export const TYPE = "aws:emr/instanceFleet:InstanceFleet";
export const REFERENCES = { clusterId: [EMR_CLUSTER] };

const InstanceFleetProps = InstanceFleetShape.extend({ clusterId: z.unknown().optional() });

/** An EMR task instance fleet: its on-demand and spot target units, filled by its weighted instance type configs. */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(InstanceFleetProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const fleet = fleetPoolsOf(read.value, "task", "", ctx);
  return estimateCompute(
    input,
    blankEstimate(input, "gpu-compute"),
    {
      service: "ec2",
      category: "gpu-compute",
      pools: fleet.pools,
      assumptions: [...fleet.assumptions, EMR_FEE_NOTE],
      unknownCountFields: fleet.unknownCountFields,
    },
    ctx,
  );
}
