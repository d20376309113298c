import { type Money, money } from "../money.js";

/**
 * Two deflators, not one: per-token API prices fall ~10x a year (a16z "LLMflation", 2024-11;
 * Epoch 9x-900x/yr, 2025-03) while AWS GPU-hour prices fall slowly and in steps (P5 -44 % after
 * 23 months, June 2025: about 26 % a year).
 */
export const DEFAULT_GPU_HOUR_DEFLATION_PERCENT_PER_YEAR = 26;
export const DEFAULT_TOKEN_PRICE_DEFLATION_PERCENT_PER_YEAR = 90;

/**
 * Monthly amounts for months 1..n, deflating at `percentPerYear` compounded monthly. Spend bought
 * for a term of `termMonths` (a commitment) keeps the price of the month its term began: a 6-month
 * term pays month 1's price for months 1-6 and month 7's deflated price for months 7-12.
 */
export function projectMonthly(monthly: Money, percentPerYear: number, months = 12, termMonths = 1): Money[] {
  const yearly = 1 - percentPerYear / 100;
  const term = Math.max(1, Math.floor(termMonths));
  return Array.from({ length: months }, (_, i) => {
    const priced = i - (i % term);
    // Fractional powers are irrational in general: compute in binary, then snap to the cent.
    const factor = yearly <= 0 ? 0 : yearly ** (priced / 12);
    return monthly.times(money(factor.toFixed(12))).toDecimalPlaces(2);
  });
}
