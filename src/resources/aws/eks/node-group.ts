import { z } from "zod";
import { blankEstimate, malformed, notApplicable } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { Count, isKnown, orUnknown, readProps, Text } from "../../props.js";
import { readScaling } from "../../scaling.js";
import {
  fromLaunchTemplate,
  LAUNCH_TEMPLATE,
  TemplateRef,
  unknownTypeDetails,
} from "../ec2/launch-source.js";

export const TYPE = "aws:eks/nodeGroup:NodeGroup";
export const REFERENCES = { launchTemplate: [LAUNCH_TEMPLATE] };

const NodeGroupProps = z.object({
  instanceTypes: orUnknown(z.array(orUnknown(Text))).optional(),
  capacityType: orUnknown(z.enum(["ON_DEMAND", "SPOT", "CAPACITY_BLOCK"])).optional(),
  scalingConfig: orUnknown(
    z.object({
      minSize: orUnknown(Count),
      maxSize: orUnknown(Count),
      desiredSize: orUnknown(Count).optional(),
    }),
  ),
  launchTemplate: orUnknown(TemplateRef).optional(),
});

/** An EKS managed node group: scalingConfig min/desired/max of its instance types. */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(NodeGroupProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const props = read.value;
  const base = blankEstimate(input, "gpu-compute");
  const sc = isKnown(props.scalingConfig) ? props.scalingConfig : undefined;
  const scaling = sc
    ? readScaling(
        { min: "scalingConfig.minSize", desired: "scalingConfig.desiredSize", max: "scalingConfig.maxSize" },
        sc.minSize,
        sc.desiredSize,
        sc.maxSize,
      )
    : { unknownFields: ["scalingConfig"], unknownMaxima: [], problems: [], assumptions: [] };
  if (scaling.problems.length > 0) return malformed(input, "gpu-compute", scaling.problems.join("; "));

  let types: string[] = [];
  let typeField = "instanceTypes";
  let linkedTo: string | undefined;
  let templateDetails: ReturnType<typeof unknownTypeDetails> = {};
  const assumptions = [...scaling.assumptions];
  // Outputs list no types (`[]`) when the launch template sets them.
  const listed =
    isKnown(props.instanceTypes) && props.instanceTypes.length > 0 ? props.instanceTypes : undefined;
  const unset = props.instanceTypes === undefined || (isKnown(props.instanceTypes) && !listed);
  if (listed) {
    if (listed.every(isKnown)) types = listed as string[];
  } else if (unset && isKnown(props.launchTemplate)) {
    const found = fromLaunchTemplate(props.launchTemplate, input, ctx);
    typeField = found.field;
    linkedTo = found.urn;
    templateDetails = unknownTypeDetails(found);
    assumptions.push(...found.assumptions);
    if (found.instanceType) types = [found.instanceType];
  } else if (unset) {
    return notApplicable(input, "no instanceTypes: EKS defaults to t3.medium, which has no accelerator");
  }

  const capacity = isKnown(props.capacityType) ? props.capacityType : "ON_DEMAND";
  const bounds = "bounds" in scaling ? scaling.bounds : undefined;
  if (props.capacityType === undefined) assumptions.push("capacityType not set: ON_DEMAND (the EKS default)");
  if (capacity === "CAPACITY_BLOCK")
    assumptions.push(
      "CAPACITY_BLOCK nodes: the block's fee is billed on its reservation; priced here at on-demand as an upper bound",
    );
  return estimateCompute(
    input,
    base,
    {
      service: "ec2",
      category: "gpu-compute",
      pools: [
        {
          instanceTypes: types,
          ...templateDetails,
          typeField,
          purchase: capacity === "SPOT" ? "spot" : "on-demand",
          baselineCount: bounds?.desired ?? 0,
          worstCaseCount: bounds ? (bounds.max ?? bounds.desired) : 0,
        },
      ],
      ...(bounds ? { scaling: bounds } : {}),
      assumptions,
      unknownCountFields: scaling.unknownFields,
      unknownMaxima: scaling.unknownMaxima,
      ...(linkedTo ? { linkedTo } : {}),
    },
    ctx,
  );
}
