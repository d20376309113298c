import type { PriceCatalog } from "../src/catalog/catalog.js";
import { DEFAULT_MAX_CATALOG_AGE_DAYS, stalenessWarning } from "../src/catalog/staleness.js";
import { UsageError } from "./errors.js";
import type { Cli } from "./io.js";

/** COMPUTEGUARD_MAX_CATALOG_AGE_DAYS (default 90): how old the catalog may be before a warning. */
export function maxCatalogAgeDays(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.COMPUTEGUARD_MAX_CATALOG_AGE_DAYS;
  if (raw === undefined || raw === "") return DEFAULT_MAX_CATALOG_AGE_DAYS;
  const days = Number(raw);
  if (!Number.isInteger(days) || days <= 0) {
    throw new UsageError(`COMPUTEGUARD_MAX_CATALOG_AGE_DAYS must be a whole number of days, got "${raw}"`);
  }
  return days;
}

/** Prices go stale (AWS cut P4/P5 by up to 44 % in June 2025): say so on stderr, never in the output. */
export function warnIfStale(cli: Cli, catalog: PriceCatalog, now = new Date()): void {
  const warning = stalenessWarning(catalog, now, maxCatalogAgeDays(cli.env));
  if (warning) cli.err(`computeguard: warning: ${warning}\n`);
}
