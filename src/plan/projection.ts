import {
  DEFAULT_GPU_HOUR_DEFLATION_PERCENT_PER_YEAR,
  DEFAULT_TOKEN_PRICE_DEFLATION_PERCENT_PER_YEAR,
  projectMonthly,
} from "../economics/deflation.js";
import type { ResourceEstimate } from "../estimate/types.js";
import { type Money, sum, ZERO } from "../money.js";

export interface DeflationRates {
  /** GPU-hour prices (instances, endpoints, reservations), percent per year. */
  gpuPercentPerYear: number;
  /** Per-token prices (Bedrock throughput), percent per year. */
  tokenPercentPerYear: number;
}

export const DEFAULT_DEFLATION: DeflationRates = {
  gpuPercentPerYear: DEFAULT_GPU_HOUR_DEFLATION_PERCENT_PER_YEAR,
  tokenPercentPerYear: DEFAULT_TOKEN_PRICE_DEFLATION_PERCENT_PER_YEAR,
};

export interface MonthlySeries {
  baseline: Money[];
  worstCase: Money[];
}

export interface SpendProjection {
  months: number;
  rates: DeflationRates;
  past: MonthlySeries;
  new: MonthlySeries;
}

/** Token-priced spend deflates at the token rate; every other run-rate at the GPU-hour rate. */
function isTokenPriced(e: ResourceEstimate): boolean {
  return e.category === "bedrock-throughput";
}

/**
 * Spend is grouped by the rate it deflates at and the term its price is held for: a Bedrock
 * provisioned-throughput commitment keeps its price for each 1- or 6-month term, whatever the rate.
 */
function series(
  estimates: readonly ResourceEstimate[],
  rates: DeflationRates,
  months: number,
): MonthlySeries {
  const groups = new Map<string, { rate: number; term: number; members: ResourceEstimate[] }>();
  for (const e of estimates) {
    const rate = isTokenPriced(e) ? rates.tokenPercentPerYear : rates.gpuPercentPerYear;
    const term = e.commitment?.months ?? 1;
    const key = `${rate}/${term}`;
    const group = groups.get(key) ?? { rate, term, members: [] };
    group.members.push(e);
    groups.set(key, group);
  }
  const project = (pick: (e: ResourceEstimate) => Money | undefined): Money[] => {
    const total = Array.from({ length: months }, () => ZERO);
    for (const g of groups.values()) {
      const amounts = projectMonthly(sum(g.members.flatMap((e) => pick(e) ?? [])), g.rate, months, g.term);
      for (let i = 0; i < months; i++) total[i] = total[i]!.plus(amounts[i] ?? ZERO);
    }
    return total;
  };
  return {
    baseline: project((e) => e.monthly?.baseline.total),
    worstCase: project((e) => e.monthly?.worstCase.total),
  };
}

/** Month-by-month run-rate of both sides of a plan over the coming months, deflated. */
export function projectSpend(
  past: readonly ResourceEstimate[],
  next: readonly ResourceEstimate[],
  rates: DeflationRates = DEFAULT_DEFLATION,
  months = 12,
): SpendProjection {
  return { months, rates, past: series(past, rates, months), new: series(next, rates, months) };
}
