import type { BedrockRateEntry, CatalogEntry, CatalogSource } from "./schema.js";

/** What staleness needs from a catalog: a `PriceCatalog` and a parsed `CatalogFile` both fit. */
export interface DatedCatalog {
  readonly entries: readonly CatalogEntry[];
  readonly bedrockRates?: readonly BedrockRateEntry[];
  readonly sources: Readonly<Record<string, CatalogSource>>;
  /** An overlaid catalog is as fresh as the overlay the user chose (see overlay.ts). */
  readonly datedBy?: DatedCatalog | undefined;
}

type Dated = { priceAsOf: string; sourceId: string };

export interface CatalogAge {
  /** Whole days from the newest priced entry's date to `now` (0 if that date is in the future). */
  days: number;
  /** The newest `priceAsOf` among priced entries: a catalog is as fresh as its freshest price. */
  newestPriceDate: string;
  sourceId: string;
  sourceReference: string;
}

export const DEFAULT_MAX_CATALOG_AGE_DAYS = 90;
const DAY_MS = 86_400_000;

/** The catalog's age, judged by its newest priced entry or rate; undefined when nothing in it is priced. */
export function catalogAge(given: DatedCatalog, now: Date): CatalogAge | undefined {
  const catalog = given.datedBy ?? given;
  let newest: Dated | undefined;
  const priced: Dated[] = [
    ...catalog.entries.filter((e) => e.usdPerHour !== null),
    ...(catalog.bedrockRates ?? []).filter((r) => r.usdPerModelUnitHour !== null),
  ];
  for (const entry of priced) {
    if (newest === undefined || entry.priceAsOf > newest.priceAsOf) newest = entry;
  }
  if (newest === undefined) return undefined;
  const days = Math.floor((now.getTime() - Date.parse(`${newest.priceAsOf}T00:00:00Z`)) / DAY_MS);
  return {
    days: Math.max(0, days),
    newestPriceDate: newest.priceAsOf,
    sourceId: newest.sourceId,
    sourceReference: catalog.sources[newest.sourceId]?.reference ?? newest.sourceId,
  };
}

/** A one-line warning when the catalog's newest price is older than the limit, else undefined. */
export function stalenessWarning(
  catalog: DatedCatalog,
  now: Date,
  maxCatalogAgeDays: number = DEFAULT_MAX_CATALOG_AGE_DAYS,
): string | undefined {
  const age = catalogAge(catalog, now);
  if (age === undefined) return "the price catalog has no priced entries, so every GPU price is unknown";
  if (age.days <= maxCatalogAgeDays) return undefined;
  return (
    `the price catalog is ${age.days} days old (its newest price is dated ${age.newestPriceDate}, ` +
    `source ${age.sourceId}), over the ${maxCatalogAgeDays}-day limit: AWS prices may have changed; ` +
    "refresh it with `computeguard prices refresh --region REGION`"
  );
}
