import { PriceCatalog } from "./catalog.js";
import type { CatalogFile, CatalogSource } from "./schema.js";

/**
 * A catalog written by `prices import` / `prices refresh` laid over another (the embedded one):
 * its entries replace the base's by (service, instance type, region) and its Bedrock rates by
 * (model, term, region); everything else of the base stays. Each entry keeps its own source and
 * date. A source id the overlay shares with the base but describes differently is renamed, so no
 * base entry is credited to the overlay's source (or the reverse). Staleness is judged by the
 * overlay alone: it is the refresh the user chose, and its date says how fresh the prices are.
 */
export function overlayCatalog(base: PriceCatalog, overlay: PriceCatalog, origin: string): PriceCatalog {
  const sources: Record<string, CatalogSource> = { ...base.sources };
  const renamed = new Map<string, string>();
  for (const [id, source] of Object.entries(overlay.sources)) {
    const existing = sources[id];
    const same =
      existing &&
      existing.title === source.title &&
      existing.reference === source.reference &&
      existing.date === source.date;
    const target = existing && !same ? `${id} (${origin})` : id;
    renamed.set(id, target);
    sources[target] = source;
  }
  const sourceOf = (id: string) => renamed.get(id) ?? id;
  const entryKey = (e: { service: string; instanceType: string; region: string }) =>
    `${e.service}|${e.instanceType}|${e.region}`;
  const rateKey = (r: { modelId: string; commitment: string; region: string }) =>
    `${r.modelId}|${r.commitment}|${r.region}`;

  const entries = new Map(base.entries.map((e) => [entryKey(e), e]));
  for (const e of overlay.entries) entries.set(entryKey(e), { ...e, sourceId: sourceOf(e.sourceId) });
  const rates = new Map(base.bedrockRates.map((r) => [rateKey(r), r]));
  for (const r of overlay.bedrockRates) rates.set(rateKey(r), { ...r, sourceId: sourceOf(r.sourceId) });

  const file: CatalogFile = {
    schemaVersion: 1,
    // Starts with the overlay's version (a date), which audit records read as the catalog's date.
    catalogVersion: `${overlay.version}+embedded-${base.version}`,
    currency: "USD",
    sources,
    entries: [...entries.values()],
    bedrockRates: [...rates.values()],
  };
  return new PriceCatalog(file, { datedBy: overlay.datedBy ?? overlay });
}
