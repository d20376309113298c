import { notApplicable } from "../../../estimate/build.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { LAUNCH_CONFIGURATION } from "./launch-source.js";

export const TYPE = LAUNCH_CONFIGURATION;

/**
 * A launch configuration runs nothing by itself: the Auto Scaling group that names it (directly, or
 * in a CloudFormation template as @pulumi/eks NodeGroup does) is priced with its instance type.
 */
export function estimate(input: ResourceInput, _ctx: EstimateContext): ResourceEstimate {
  return notApplicable(input, "a launch configuration costs nothing until a group launches it");
}
