import {
  createContext,
  type EstimatorOptions,
  estimateResource,
  isNotPriced,
  type StackEstimate,
  stackLinks,
  totalsOf,
} from "../../../src/estimate/estimator.js";
import type { ResourceInput } from "../../../src/estimate/types.js";

/**
 * Per-resource analysis as the policy engine runs it: resources arrive one at a time and each is
 * priced knowing only those that came before it.
 */
export function estimateIncrementally(
  inputs: readonly ResourceInput[],
  options: EstimatorOptions = {},
): StackEstimate {
  const links = stackLinks(false);
  const ctx = createContext(options, links);
  const resources = inputs.map((input) => {
    links.add(input);
    return estimateResource(input, ctx);
  });
  return {
    resources,
    totals: totalsOf(resources),
    notPriced: resources.filter(isNotPriced).length,
    catalogVersion: ctx.pricer.catalog.version,
    hoursPerMonth: ctx.hoursPerMonth,
  };
}
