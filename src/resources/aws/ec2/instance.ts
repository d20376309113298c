import { z } from "zod";
import { blankEstimate, malformed } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { isKnown, orUnknown, readProps, Text } from "../../props.js";
import { launchTemplateInstanceType, unknownTypeDetails } from "./launch-template.js";

export const TYPE = "aws:ec2/instance:Instance";

const InstanceProps = z.object({
  instanceType: orUnknown(Text).optional(),
  availabilityZone: orUnknown(Text).optional(),
  instanceMarketOptions: orUnknown(
    z.object({ marketType: orUnknown(Text).optional() }).passthrough(),
  ).optional(),
  launchTemplate: orUnknown(
    z.object({ id: z.unknown().optional(), name: z.unknown().optional() }).passthrough(),
  ).optional(),
});

/** One EC2 instance: its type (or its launch template's), on-demand or spot. */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(InstanceProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const props = read.value;
  const base = blankEstimate(input, "gpu-compute");

  let instanceType = isKnown(props.instanceType) ? props.instanceType : undefined;
  let typeField = "instanceType";
  let linkedTo: string | undefined;
  let templateDetails: ReturnType<typeof unknownTypeDetails> = {};
  if (instanceType === undefined && props.launchTemplate !== undefined && props.instanceType === undefined) {
    const fromTemplate = launchTemplateInstanceType(props.launchTemplate, input, ctx);
    if (fromTemplate.instanceType) instanceType = fromTemplate.instanceType;
    typeField = fromTemplate.field;
    linkedTo = fromTemplate.urn;
    templateDetails = unknownTypeDetails(fromTemplate);
  } else if (props.instanceType === undefined) {
    return malformed(input, "gpu-compute", "instanceType: required (no launch template either)");
  }

  const market = props.instanceMarketOptions;
  const spot = isKnown(market) && isKnown(market.marketType) && market.marketType === "spot";
  const assumptions = spot ? ["spot instance (instanceMarketOptions.marketType = spot)"] : [];
  return estimateCompute(
    input,
    base,
    {
      service: "ec2",
      category: "gpu-compute",
      availabilityZone: props.availabilityZone,
      pools: [
        {
          instanceTypes: instanceType ? [instanceType] : [],
          typeField,
          ...templateDetails,
          purchase: spot ? "spot" : "on-demand",
          baselineCount: 1,
          worstCaseCount: 1,
        },
      ],
      assumptions,
      ...(linkedTo ? { linkedTo } : {}),
    },
    ctx,
  );
}
