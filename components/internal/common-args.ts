import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { EstimatorOptions } from "../../src/estimate/estimator.js";
import { reconcilePackConfig } from "../../src/policy/gate.js";
import type { PriceSheet } from "../../src/pricing/price-sheet.js";
import { resolveSettings, SETTINGS_POLICY, type SettingsRequest } from "../../src/settings/resolve.js";
import { settingsWarnings } from "../../src/settings/warnings.js";
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

/** The variable naming the policy config the pack is given (`--policy-pack-config`), for the components. */
export const POLICY_CONFIG_VARIABLE = "COMPUTEGUARD_POLICY_CONFIG";

/**
 * computeguard-settings from the policy config COMPUTEGUARD_POLICY_CONFIG names, reconciled as the
 * engine and `check` reconcile it, so a component prices with the settings the gate prices with
 * (the environment then only tightens them, as in the pack). Without the variable: no policy.
 */
function policySettings(
  env: NodeJS.ProcessEnv,
): Pick<SettingsRequest, "policy" | "policyOrigin" | "policyDir"> {
  const given = env[POLICY_CONFIG_VARIABLE]?.trim();
  if (!given) return {};
  const path = resolve(given);
  const origin = `${POLICY_CONFIG_VARIABLE} ${given}`;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`${origin}: cannot read the policy config: ${(error as Error).message}`);
  }
  const policy = reconcilePackConfig(raw, origin).find((p) => p.rule.name === SETTINGS_POLICY)?.config ?? {};
  return { policy, policyOrigin: origin, policyDir: dirname(path) };
}

/** The argument (or environment variable) a settings message is about: the one to change. */
function settingField(message: string): string {
  if (message.startsWith(POLICY_CONFIG_VARIABLE) || message.startsWith(SETTINGS_POLICY))
    return POLICY_CONFIG_VARIABLE;
  const named =
    /^(catalogPath|priceSheetPath|priceSheet|COMPUTEGUARD_[A-Z_]+|AWS_REGION|AWS_DEFAULT_REGION)\b/.exec(
      message,
    );
  return named?.[1] ?? "settings";
}

/**
 * The checks every component starts with: an args object, then its pricing settings through the
 * one resolver (its own arguments first, then COMPUTEGUARD_* from the environment, then
 * computeguard-settings of the policy config COMPUTEGUARD_POLICY_CONFIG names, then the defaults;
 * the components judge nothing, the pack is the gate) and its region. A setting that cannot be used
 * is an argument problem naming it; where each setting came from, or that it is missing, is said in
 * costAssumptions.
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
    const policy = policySettings(process.env);
    const settings = resolveSettings({
      ...policy,
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
      policy.policyOrigin
        ? `settings of the policy config (${policy.policyOrigin})`
        : `no policy config (set ${POLICY_CONFIG_VARIABLE} to the pack's policy config file so these figures follow its ${SETTINGS_POLICY})`,
      // Refused environment variables and a stale catalog, as the pack and the CLI say them.
      ...settingsWarnings(settings, new Date()),
    ].join("; ");
    return { problems, priceSheet: settings.priceSheet, region, pricing, settingsNote };
  } catch (error) {
    // The message names the argument or variable: "priceSheetPath: cannot read ...".
    const message = (error as Error).message;
    problems.addRelation(settingField(message), message);
    return { problems, priceSheet: undefined, region, pricing: {}, settingsNote: "" };
  }
}
