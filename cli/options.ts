import type { EstimatorOptions } from "../src/estimate/estimator.js";
import { FAIL_ON, type FailOn } from "../src/policy/enforcement.js";
import { parsePriceSheet } from "../src/pricing/price-sheet.js";
import { UsageError } from "./errors.js";
import { readJsonFile } from "./files.js";
import type { Cli } from "./io.js";

export interface PricingFlags {
  region?: string;
  priceSheet?: string;
  hoursPerMonth?: string;
}

/** Region, price sheet and hours from flags and the environment, each saying where it came from. */
export function estimatorOptions(
  cli: Cli,
  flags: PricingFlags,
): EstimatorOptions & { priceSheetName?: string } {
  const options: EstimatorOptions & { priceSheetName?: string } = {};
  if (flags.region) {
    options.defaultRegion = flags.region;
    options.defaultRegionSource = "--region";
  } else if (cli.env.AWS_REGION || cli.env.AWS_DEFAULT_REGION) {
    const env = cli.env.AWS_REGION ? "AWS_REGION" : "AWS_DEFAULT_REGION";
    options.defaultRegion = cli.env[env]!;
    options.defaultRegionSource = `environment ${env}`;
  }
  if (flags.priceSheet) {
    try {
      options.priceSheet = parsePriceSheet(
        readJsonFile(flags.priceSheet, "price sheet", cli.io.cwd),
        flags.priceSheet,
      );
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    options.priceSheetName = options.priceSheet.name;
  }
  if (flags.hoursPerMonth !== undefined) {
    const hours = Number(flags.hoursPerMonth);
    if (!Number.isFinite(hours) || hours <= 0 || hours > 744) {
      throw new UsageError(`--hours-per-month must be a number in (0, 744], got "${flags.hoursPerMonth}"`);
    }
    options.hoursPerMonth = hours;
  }
  return options;
}

/** `--fail-on blocked|warning|never` (default blocked): the outcome at which a command exits 1. */
export function failOnFlag(value: string | undefined): FailOn {
  if (value === undefined) return "blocked";
  if (!(FAIL_ON as readonly string[]).includes(value)) {
    throw new UsageError(`--fail-on must be ${FAIL_ON.join(", ")}, got "${value}"`);
  }
  return value as FailOn;
}

/** A --format value from the command's list, or a one-line usage error naming them. */
export function formatFlag<T extends string>(value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    const list =
      allowed.length > 2 ? `${allowed.slice(0, -1).join(", ")} or ${allowed.at(-1)}` : allowed.join(" or ");
    throw new UsageError(`--format must be ${list}, got "${value}"`);
  }
  return value as T;
}
