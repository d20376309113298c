import { Decimal } from "decimal.js";
import { type Money, money } from "../money.js";
import type { CatalogEntry } from "./schema.js";

export interface PriceRow {
  instanceType: string;
  region: string;
  usdPerHour: string | null;
  priceAsOf: string;
}

export interface PriceChange {
  instanceType: string;
  region: string;
  oldUsdPerHour: string | null;
  newUsdPerHour: string | null;
  /** new − old, exact; null when either side is unpriced. */
  changeUsdPerHour: string | null;
  /** Percent of the old price to one decimal place ("-44.0"); null when either side is unpriced or old is 0. */
  changePercent: string | null;
  oldPriceAsOf: string;
  newPriceAsOf: string;
}

export interface CatalogDiff {
  changed: PriceChange[];
  added: PriceRow[];
  removed: PriceRow[];
  unchangedCount: number;
}

const naturalOrder = new Intl.Collator("en", { numeric: true });

/** Entries are matched by region and instance type; a price that becomes unpriced (or priced) is a change. */
export function diffCatalogs(
  before: { readonly entries: readonly CatalogEntry[] },
  after: { readonly entries: readonly CatalogEntry[] },
): CatalogDiff {
  const keyOf = (e: CatalogEntry) => `${e.region}|${e.instanceType}`;
  const old = new Map(before.entries.map((e) => [keyOf(e), e]));
  const next = new Map(after.entries.map((e) => [keyOf(e), e]));
  const diff: CatalogDiff = { changed: [], added: [], removed: [], unchangedCount: 0 };
  for (const [key, entry] of next) {
    const previous = old.get(key);
    if (previous === undefined) diff.added.push(rowOf(entry));
    else if (samePrice(previous.usdPerHour, entry.usdPerHour)) diff.unchangedCount++;
    else diff.changed.push(changeOf(previous, entry));
  }
  for (const [key, entry] of old) if (!next.has(key)) diff.removed.push(rowOf(entry));
  const byRegionAndType = (a: { region: string; instanceType: string }, b: typeof a) =>
    a.region.localeCompare(b.region) || naturalOrder.compare(a.instanceType, b.instanceType);
  diff.changed.sort(byRegionAndType);
  diff.added.sort(byRegionAndType);
  diff.removed.sort(byRegionAndType);
  return diff;
}

/** (after − before) / before as a percentage, rounded half away from zero to one decimal place. */
export function percentChange(before: Money, after: Money): string | null {
  if (before.isZero()) return null;
  const percent = after.minus(before).div(before).times(100).toDecimalPlaces(1, Decimal.ROUND_HALF_UP);
  return percent.isZero() ? "0.0" : percent.toFixed(1);
}

function samePrice(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return a === b;
  return money(a).equals(money(b));
}

function rowOf(e: CatalogEntry): PriceRow {
  return { instanceType: e.instanceType, region: e.region, usdPerHour: e.usdPerHour, priceAsOf: e.priceAsOf };
}

function changeOf(before: CatalogEntry, after: CatalogEntry): PriceChange {
  const bothPriced = before.usdPerHour !== null && after.usdPerHour !== null;
  const oldPrice = bothPriced ? money(before.usdPerHour!) : undefined;
  const newPrice = bothPriced ? money(after.usdPerHour!) : undefined;
  return {
    instanceType: after.instanceType,
    region: after.region,
    oldUsdPerHour: before.usdPerHour,
    newUsdPerHour: after.usdPerHour,
    changeUsdPerHour: oldPrice && newPrice ? newPrice.minus(oldPrice).toFixed() : null,
    changePercent: oldPrice && newPrice ? percentChange(oldPrice, newPrice) : null,
    oldPriceAsOf: before.priceAsOf,
    newPriceAsOf: after.priceAsOf,
  };
}
