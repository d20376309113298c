import { embeddedCatalog } from "../catalog/catalog.js";
import { stalenessWarning } from "../catalog/staleness.js";
import type { Settings } from "./resolve.js";

/**
 * What every front door says about its settings, the same way and once per run: each refused
 * environment variable, and a catalog older than the staleness limit. Lines without a prefix; the
 * CLI writes them to stderr as warnings, the pack ends its summary with them.
 */
export function settingsWarnings(settings: Settings, now: Date): string[] {
  const stale = stalenessWarning(settings.catalog ?? embeddedCatalog(), now, settings.maxCatalogAgeDays);
  return [...settings.refused, ...(stale ? [stale] : [])];
}
