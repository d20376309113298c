import type { UnpricedRate } from "../pricing/pricer.js";
import { parseEconomicsTags, readTags } from "./economics-tags.js";
import type { CostCategory, ResourceEstimate, ResourceInput, Unpriced } from "./types.js";

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

/** `unknownMaxima`: those of `unknownFields` that are a scaler's maximum. */
export function withStatus(
  estimate: ResourceEstimate,
  status: "unknown" | "not-applicable",
  reason: string,
  unknownFields: string[] = [],
  unknownMaxima: string[] = [],
): ResourceEstimate {
  const { unpriced: _priced, ...rest } = estimate;
  const maxima = [...(estimate.unknownMaxima ?? []), ...unknownMaxima];
  return {
    ...rest,
    status,
    reason,
    unknownFields: [...estimate.unknownFields, ...unknownFields],
    ...(maxima.length > 0 ? { unknownMaxima: maxima } : {}),
  };
}

/** Unpriced, saying why in words and as a kind (the only way an estimate becomes unpriced). */
export function unpricedAs(estimate: ResourceEstimate, reason: string, why: Unpriced): ResourceEstimate {
  return { ...estimate, status: "unpriced", reason, unpriced: why };
}

/** Unpriced for the reason a price quote gives. */
export function unpricedBy(estimate: ResourceEstimate, quote: UnpricedRate): ResourceEstimate {
  return unpricedAs(estimate, quote.reason, quote.missing);
}

export function notApplicable(input: ResourceInput, reason: string): ResourceEstimate {
  return withStatus(blankEstimate(input, "none"), "not-applicable", reason);
}

export function malformed(input: ResourceInput, category: CostCategory, problem: string): ResourceEstimate {
  return withStatus(blankEstimate(input, category), "unknown", `malformed properties: ${problem}`);
}
