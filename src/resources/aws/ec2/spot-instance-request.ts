import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { estimateInstance } from "./instance.js";
import { LAUNCH_TEMPLATE } from "./launch-source.js";

export const TYPE = "aws:ec2/spotInstanceRequest:SpotInstanceRequest";
export const REFERENCES = { launchTemplate: [LAUNCH_TEMPLATE] };

/**
 * A spot instance request launches one instance of its type (or its launch template's). Spot can
 * be reclaimed and re-bought at up to on-demand, so the worst case is on-demand.
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  return estimateInstance(input, ctx, true);
}
