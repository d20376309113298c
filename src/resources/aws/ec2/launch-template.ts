import { notApplicable } from "../../../estimate/build.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { LAUNCH_TEMPLATE } from "./launch-source.js";

export const TYPE = LAUNCH_TEMPLATE;

/** A launch template runs nothing by itself; the group, instance or fleet that uses it is priced. */
export function estimate(input: ResourceInput, _ctx: EstimateContext): ResourceEstimate {
  return notApplicable(input, "a launch template costs nothing until a group or instance launches it");
}
