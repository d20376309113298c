import { readFileSync } from "node:fs";
import { dirname } from "node:path";
import { FAIL_ON, type FailOn } from "../src/policy/enforcement.js";
import { resolveSettings, type Settings, SettingsError } from "../src/settings/resolve.js";
import { UsageError } from "./errors.js";
import type { Cli } from "./io.js";

export interface PricingFlags {
  region?: string;
  priceSheet?: string;
  hoursPerMonth?: string;
  catalog?: string;
}

/**
 * The settings a command prices with, from the one resolver every front door shares: its flags,
 * then the environment (only where stricter when a policy config gates the run), then
 * computeguard-settings in the policy config, then the defaults. A bad setting is a usage error
 * naming it (exit 2).
 */
export function commandSettings(
  cli: Cli,
  flags: PricingFlags,
  policy?: { config: unknown; path: string | undefined },
): Settings {
  try {
    return resolveSettings({
      explicit: {
        ...(flags.region !== undefined ? { region: flags.region } : {}),
        ...(flags.priceSheet !== undefined ? { priceSheet: flags.priceSheet } : {}),
        ...(flags.hoursPerMonth !== undefined ? { hoursPerMonth: flags.hoursPerMonth } : {}),
        ...(flags.catalog !== undefined ? { catalog: flags.catalog } : {}),
      },
      ...(policy ? { policy: policy.config } : {}),
      ...(policy?.path
        ? { policyOrigin: `policy config ${policy.path}`, policyDir: dirname(policy.path) }
        : {}),
      env: cli.env,
      // Relative paths in flags are read from the run's directory.
      readFile: (path) => readFileSync(cli.path(path), "utf8"),
    });
  } catch (error) {
    if (error instanceof SettingsError) throw new UsageError(error.message);
    throw error;
  }
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
