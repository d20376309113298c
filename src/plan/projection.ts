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

function series(
  estimates: readonly ResourceEstimate[],
  rates: DeflationRates,
  months: number,
): MonthlySeries {
  const project = (pick: (e: ResourceEstimate) => Money | undefined): Money[] => {
    const gpu = sum(estimates.filter((e) => !isTokenPriced(e)).flatMap((e) => pick(e) ?? []));
    const tokens = sum(estimates.filter(isTokenPriced).flatMap((e) => pick(e) ?? []));
    const a = projectMonthly(gpu, rates.gpuPercentPerYear, months);
    const b = projectMonthly(tokens, rates.tokenPercentPerYear, months);
    return a.map((x, i) => x.plus(b[i] ?? ZERO));
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
