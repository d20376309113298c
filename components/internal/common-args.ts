import type { EstimatorOptions } from "../../src/estimate/estimator.js";
import type { PriceSheet } from "../../src/pricing/price-sheet.js";
import { resolveSettings } from "../../src/settings/resolve.js";
import { checkRegion } from "./checks.js";
import { ArgumentProblems, requireArgumentsObject } from "./invalid-arguments.js";
import { priceSheetChoice } from "./price-sheet.js";
import type { CostArgs } from "./shared-args.js";

/** What a component prices with: the settings every front door resolves (src/settings/resolve.ts). */
export interface ComponentPricing {
  problems: ArgumentProblems;
  priceSheet: PriceSheet | undefined;
  region: string | undefined;
  /** Catalog, price sheet, default region and hours per month, for the pricer and the estimate. */
  pricing: EstimatorOptions;
  /** Where each setting came from (or that it is missing): said in the component's costAssumptions. */
  settingsNote: string;
}

/**
 * The checks every component starts with: an args object, then its pricing settings through the
 * one resolver (its own arguments first, then COMPUTEGUARD_* from the environment, then the
 * defaults; nothing is gated here, the pack is the gate) and its region.
 */
export function checkCommonArgs(component: string, name: string, args: CostArgs): ComponentPricing {
  requireArgumentsObject(component, name, args);
  const problems = new ArgumentProblems();
  const sheet = priceSheetChoice(problems, args);
  const region = checkRegion(problems, "region", args.region) ? args.region : undefined;
  let catalog: string | undefined;
  if (args.catalogPath != null) {
    if (typeof args.catalogPath === "string" && args.catalogPath.trim() !== "") catalog = args.catalogPath;
    else problems.add("catalogPath", `expected a file path, got ${JSON.stringify(args.catalogPath)}`);
  }
  try {
    const settings = resolveSettings({
      explicit: {
        ...(sheet ? { priceSheet: sheet.value } : {}),
        ...(catalog ? { catalog } : {}),
        names: { priceSheet: sheet?.name ?? "priceSheet", catalog: "catalogPath" },
      },
    });
    const pricing: EstimatorOptions = {
      ...(settings.catalog ? { catalog: settings.catalog } : {}),
      ...(settings.priceSheet ? { priceSheet: settings.priceSheet } : {}),
      defaultRegion: settings.defaultRegion,
      defaultRegionSource: settings.defaultRegionSource,
      hoursPerMonth: settings.hoursPerMonth,
    };
    const settingsNote = [
      `price catalog: ${settings.catalogSource}`,
      settings.priceSheet
        ? `price sheet "${settings.priceSheet.name}" (${settings.priceSheetSource})`
        : "no price sheet (give priceSheet, priceSheetPath or COMPUTEGUARD_PRICE_SHEET for negotiated prices): public on-demand prices",
      `${settings.hoursPerMonth} hours per month (${settings.hoursPerMonthSource})`,
      `default region ${settings.defaultRegion} (${settings.defaultRegionSource})`,
    ].join("; ");
    return { problems, priceSheet: settings.priceSheet, region, pricing, settingsNote };
  } catch (error) {
    // The resolver's message names the argument or variable: "priceSheetPath: cannot read ...".
    const message = (error as Error).message;
    const field = /^(catalogPath|COMPUTEGUARD_CATALOG)\b/.test(message)
      ? "catalogPath"
      : /^priceSheetPath\b/.test(message)
        ? "priceSheetPath"
        : "priceSheet";
    problems.addRelation(field, message);
    return { problems, priceSheet: undefined, region, pricing: {}, settingsNote: "" };
  }
}
