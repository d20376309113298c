import { Decimal } from "decimal.js";

/**
 * Exact money. Every amount is a decimal.js value (base-10, no binary drift).
 * Line items are rounded to the cent once, and totals are sums of rounded line items,
 * so a report's line items always add up to its total exactly.
 */
export type Money = Decimal;

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

export const ZERO: Money = new D(0);

/** Parses a decimal string or a finite number. Throws on anything else (NaN, Infinity, "12abc"). */
export function money(value: string | number | Decimal): Money {
  if (value instanceof Decimal) return new D(value);
  if (typeof value === "number" && !Number.isFinite(value)) {
    throw new RangeError(`not a finite amount: ${value}`);
  }
  if (typeof value === "string" && !/^-?\d+(\.\d+)?$/.test(value.trim())) {
    throw new RangeError(`not a decimal amount: ${JSON.stringify(value)}`);
  }
  // Numbers go through their shortest round-trip string form, so 0.1 stays 0.1.
  return new D(typeof value === "number" ? String(value) : value.trim());
}

/** Rounds to whole cents, half away from zero. */
export function toCents(value: Money): Money {
  return value.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
}

export function sum(values: readonly Money[]): Money {
  let total = ZERO;
  for (const v of values) total = total.plus(v);
  return total;
}

/** Decimal string with exactly two places, the form money takes in JSON output. */
export function formatAmount(value: Money): string {
  return toCents(value).toFixed(2);
}

/** Human form: "$80,358.40" (negative as "-$12.00"). */
export function formatUsd(value: Money): string {
  const fixed = formatAmount(value.abs());
  const [whole, cents] = fixed.split(".") as [string, string];
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${value.isNegative() && !toCents(value).isZero() ? "-" : ""}$${grouped}.${cents}`;
}

/** Hourly rates keep their published precision ("$21.957642/h"). */
export function formatRate(value: Money): string {
  return `$${value.toFixed()}/h`;
}

export function maxMoney(a: Money, b: Money): Money {
  return a.greaterThanOrEqualTo(b) ? a : b;
}
