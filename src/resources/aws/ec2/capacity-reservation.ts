import { z } from "zod";
import { blankEstimate, malformed } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { Count, isKnown, orUnknown, readProps, Text } from "../../props.js";

export const TYPE = "aws:ec2/capacityReservation:CapacityReservation";

const CapacityReservationProps = z.object({
  instanceType: orUnknown(Text),
  instanceCount: orUnknown(Count.min(1, "must be at least 1")),
  availabilityZone: orUnknown(Text).optional(),
  instancePlatform: orUnknown(Text).optional(),
});

/** An On-Demand Capacity Reservation bills at the on-demand rate while it exists, used or not. */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(CapacityReservationProps, input.props);
  if (!read.ok) return malformed(input, "capacity-reservation", read.problem);
  const props = read.value;
  const count = props.instanceCount;
  const platform = isKnown(props.instancePlatform) ? props.instancePlatform : "Linux/UNIX";
  return estimateCompute(
    input,
    blankEstimate(input, "capacity-reservation"),
    {
      service: "ec2",
      category: "capacity-reservation",
      availabilityZone: props.availabilityZone,
      pools: [
        {
          instanceTypes: isKnown(props.instanceType) ? [props.instanceType] : [],
          typeField: "instanceType",
          purchase: "on-demand",
          baselineCount: isKnown(count) ? count : 0,
          worstCaseCount: isKnown(count) ? count : 0,
        },
      ],
      unknownCountFields: isKnown(count) ? [] : ["instanceCount"],
      assumptions: [
        "reserved capacity bills every hour it exists, whether instances run in it or not",
        ...(platform === "Linux/UNIX"
          ? []
          : [`platform ${platform}: priced at the Linux rate (a lower bound for licensed platforms)`]),
      ],
    },
    ctx,
  );
}
