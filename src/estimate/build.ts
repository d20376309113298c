import { parseEconomicsTags, readTags } from "./economics-tags.js";
import type { CostCategory, EstimateStatus, ResourceEstimate, ResourceInput } from "./types.js";

/** The skeleton every adapter fills in: identity, tags and declared economics. */
export function blankEstimate(input: ResourceInput, category: CostCategory): ResourceEstimate {
  const tags = readTags(input.props);
  const economics = parseEconomicsTags(tags);
  return {
    urn: input.urn,
    type: input.type,
    name: input.name,
    status: "priced",
    category,
    instanceTypes: [],
    unknownFields: [],
    assumptions: [],
    economics,
    tags,
  };
}

export function withStatus(
  estimate: ResourceEstimate,
  status: Exclude<EstimateStatus, "priced">,
  reason: string,
  unknownFields: string[] = [],
): ResourceEstimate {
  return { ...estimate, status, reason, unknownFields: [...estimate.unknownFields, ...unknownFields] };
}

export function notApplicable(input: ResourceInput, reason: string): ResourceEstimate {
  return withStatus(blankEstimate(input, "none"), "not-applicable", reason);
}

export function malformed(input: ResourceInput, category: CostCategory, problem: string): ResourceEstimate {
  return withStatus(blankEstimate(input, category), "unknown", `malformed properties: ${problem}`);
}
