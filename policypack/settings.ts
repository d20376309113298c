import { readFileSync } from "node:fs";
import type { GateOptions } from "../src/policy/session.js";
import { parsePriceSheet } from "../src/pricing/price-sheet.js";

/**
 * Pack-wide settings come from the environment: the engine hands each policy only its own config,
 * and a price sheet must be the same for every policy.
 *   COMPUTEGUARD_PRICE_SHEET     path to a price sheet JSON
 *   COMPUTEGUARD_DEFAULT_REGION  region for resources whose own and provider region are unknown
 *   COMPUTEGUARD_HOURS_PER_MONTH hours in a month (default 730)
 */
export function packSettings(env: NodeJS.ProcessEnv = process.env): GateOptions {
  const options: GateOptions = {
    stack: env.PULUMI_NODEJS_STACK ?? env.PULUMI_STACK ?? "unknown-stack",
    // Set by the engine from the authenticated backend: waivers scoped to an organization rely on it.
    organization: env.PULUMI_NODEJS_ORGANIZATION ?? env.PULUMI_ORGANIZATION,
  };
  const sheetPath = env.COMPUTEGUARD_PRICE_SHEET;
  if (sheetPath) {
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(sheetPath, "utf8"));
    } catch (error) {
      throw new Error(`COMPUTEGUARD_PRICE_SHEET ${sheetPath}: ${(error as Error).message}`);
    }
    options.priceSheet = parsePriceSheet(json, `COMPUTEGUARD_PRICE_SHEET ${sheetPath}`);
  }
  const region = env.COMPUTEGUARD_DEFAULT_REGION ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  if (region) {
    options.defaultRegion = region;
    options.defaultRegionSource = env.COMPUTEGUARD_DEFAULT_REGION
      ? "COMPUTEGUARD_DEFAULT_REGION"
      : "AWS_REGION";
  }
  if (env.COMPUTEGUARD_HOURS_PER_MONTH) {
    const hours = Number(env.COMPUTEGUARD_HOURS_PER_MONTH);
    if (!Number.isFinite(hours) || hours <= 0 || hours > 744) {
      throw new Error(
        `COMPUTEGUARD_HOURS_PER_MONTH must be a number in (0, 744], got "${env.COMPUTEGUARD_HOURS_PER_MONTH}"`,
      );
    }
    options.hoursPerMonth = hours;
  }
  return options;
}
