import type { EconomicsTags } from "../estimate/economics-tags.js";
import { type Money, money } from "../money.js";

const MILLION = 1_000_000;

export interface InferenceEconomics {
  tokensPerMonth: Money;
  pricePer1mTokensUsd: Money;
  revenueMonthly: Money;
  /** Cost to serve 1M tokens at the given monthly cost. */
  costPer1mTokensUsd: Money;
  /** (revenue - cost) / revenue x 100; negative when serving loses money. */
  grossMarginPercent: Money;
  /** Tokens the capacity can serve in a month at 100 % utilisation, when throughput is declared. */
  capacityTokensPerMonth?: Money;
  /** tokensPerMonth / capacityTokensPerMonth x 100. */
  utilizationPercent?: Money;
}

/**
 * Margin of serving declared traffic at a declared price, given the monthly cost of the capacity.
 * Undefined when the resource does not declare both traffic and price.
 */
export function inferenceEconomics(
  monthlyCost: Money,
  economics: EconomicsTags,
  capacity?: { instances: number; hoursPerMonth: Money },
): InferenceEconomics | undefined {
  const { tokensPerMonth, pricePer1mTokensUsd } = economics;
  if (tokensPerMonth === undefined || pricePer1mTokensUsd === undefined || tokensPerMonth.isZero())
    return undefined;
  const millions = tokensPerMonth.dividedBy(MILLION);
  const revenue = millions.times(pricePer1mTokensUsd);
  const costPer1m = monthlyCost.dividedBy(millions);
  const margin = revenue.isZero() ? money(-100) : revenue.minus(monthlyCost).dividedBy(revenue).times(100);
  const result: InferenceEconomics = {
    tokensPerMonth,
    pricePer1mTokensUsd,
    revenueMonthly: revenue,
    costPer1mTokensUsd: costPer1m,
    grossMarginPercent: margin,
  };
  if (economics.throughputTokensPerSecond !== undefined && capacity && capacity.instances > 0) {
    const max = economics.throughputTokensPerSecond
      .times(3600)
      .times(capacity.hoursPerMonth)
      .times(capacity.instances);
    result.capacityTokensPerMonth = max;
    if (!max.isZero()) result.utilizationPercent = tokensPerMonth.dividedBy(max).times(100);
  }
  return result;
}
