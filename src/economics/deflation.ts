import { type Money, money } from "../money.js";

/**
 * Two deflators, not one: per-token API prices fall ~10x a year (a16z "LLMflation", 2024-11;
 * Epoch 9x-900x/yr, 2025-03) while AWS GPU-hour prices fall slowly and in steps (P5 -44 % after
 * 23 months, June 2025: about 26 % a year).
 */
export const DEFAULT_GPU_HOUR_DEFLATION_PERCENT_PER_YEAR = 26;
export const DEFAULT_TOKEN_PRICE_DEFLATION_PERCENT_PER_YEAR = 90;

/** Monthly amounts for months 1..n, deflating at `percentPerYear` compounded monthly. */
export function projectMonthly(monthly: Money, percentPerYear: number, months = 12): Money[] {
  const yearly = 1 - percentPerYear / 100;
  return Array.from({ length: months }, (_, i) => {
    // Fractional powers are irrational in general: compute in binary, then snap to the cent.
    const factor = yearly <= 0 ? 0 : yearly ** (i / 12);
    return monthly.times(money(factor.toFixed(12))).toDecimalPlaces(2);
  });
}
