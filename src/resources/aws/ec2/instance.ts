import { z } from "zod";
import { blankEstimate, malformed } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { isKnown, orUnknown, readProps, Text } from "../../props.js";
import { fromLaunchTemplate, LAUNCH_TEMPLATE, TemplateRef, unknownTypeDetails } from "./launch-source.js";

export const TYPE = "aws:ec2/instance:Instance";
export const REFERENCES = { launchTemplate: [LAUNCH_TEMPLATE] };

const InstanceProps = z.object({
  instanceType: orUnknown(Text).optional(),
  availabilityZone: orUnknown(Text).optional(),
  instanceMarketOptions: orUnknown(
    z.object({ marketType: orUnknown(Text).optional() }).passthrough(),
  ).optional(),
  launchTemplate: orUnknown(TemplateRef).optional(),
});

/** One EC2 instance: its type (or its launch template's), on-demand or spot. */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  return estimateInstance(input, ctx, false);
}

/** One instance of the props' (or launch template's) type; `spotRequest`: bought as a spot request. */
export function estimateInstance(
  input: ResourceInput,
  ctx: EstimateContext,
  spotRequest: boolean,
): ResourceEstimate {
  const read = readProps(InstanceProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const props = read.value;
  const base = blankEstimate(input, "gpu-compute");

  let instanceType = isKnown(props.instanceType) ? props.instanceType : undefined;
  let typeField = "instanceType";
  let linkedTo: string | undefined;
  let templateDetails: ReturnType<typeof unknownTypeDetails> = {};
  const assumptions: string[] = [];
  if (instanceType === undefined && props.launchTemplate !== undefined && props.instanceType === undefined) {
    const ref = isKnown(props.launchTemplate) ? props.launchTemplate : {};
    const fromTemplate = fromLaunchTemplate(ref, input, ctx);
    if (fromTemplate.instanceType) instanceType = fromTemplate.instanceType;
    typeField = fromTemplate.field;
    linkedTo = fromTemplate.urn;
    templateDetails = unknownTypeDetails(fromTemplate);
    assumptions.push(...fromTemplate.assumptions);
  } else if (props.instanceType === undefined) {
    return malformed(input, "gpu-compute", "instanceType: required (no launch template either)");
  }

  const market = props.instanceMarketOptions;
  const spot = spotRequest || (isKnown(market) && isKnown(market.marketType) && market.marketType === "spot");
  if (spotRequest) assumptions.push("spot instance request: baseline at the spot rate, worst case on demand");
  else if (spot) assumptions.push("spot instance (instanceMarketOptions.marketType = spot)");
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
