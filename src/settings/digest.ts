import { configDigest } from "../audit/config-digest.js";
import type { PriceCatalog } from "../catalog/catalog.js";
import type { PriceSheet } from "../pricing/price-sheet.js";

/** What priced a decision, as every audit record carries it. */
export interface PricingFacts {
  /** SHA-256 of the canonical JSON of the catalog in use (the embedded one, or it with an overlay). */
  catalogDigest: string;
  /** SHA-256 of the canonical JSON of the price sheet in use (defaults filled in); null without one. */
  priceSheetDigest: string | null;
  hoursPerMonth: number;
}

const catalogDigests = new WeakMap<PriceCatalog, string>();

/** Computed once per catalog: key order and whitespace of its file do not change it, any value does. */
export function catalogDigest(catalog: PriceCatalog): string {
  let digest = catalogDigests.get(catalog);
  if (digest === undefined) {
    digest = configDigest({
      catalogVersion: catalog.version,
      sources: catalog.sources,
      entries: catalog.entries,
      bedrockRates: catalog.bedrockRates,
    });
    catalogDigests.set(catalog, digest);
  }
  return digest;
}

export function pricingFacts(
  catalog: PriceCatalog,
  priceSheet: PriceSheet | undefined,
  hoursPerMonth: number,
): PricingFacts {
  return {
    catalogDigest: catalogDigest(catalog),
    priceSheetDigest: priceSheet ? configDigest(priceSheet) : null,
    hoursPerMonth,
  };
}
