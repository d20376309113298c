import { resolve } from "node:path";
import type { Command } from "commander";
import { type EffectivePolicy, reconcilePackConfig } from "../../src/policy/gate.js";
import { SETTINGS_POLICY } from "../../src/settings/resolve.js";
import { UsageError } from "../errors.js";
import { readJsonFile } from "../files.js";
import type { Cli } from "../io.js";
import { commandSettings, failOnFlag, formatFlag } from "../options.js";

interface CheckFlags {
  program?: string;
  stack?: string;
  policyConfig?: string;
  priceSheet?: string;
  region?: string;
  hoursPerMonth?: string;
  catalog?: string;
  format: string;
  failOn?: string;
  timeout: string;
}

const CHECK_FORMATS = ["table", "json", "markdown", "html"] as const;

/** How long a program may run offline before the check gives up on it (--timeout). */
export const DEFAULT_TIMEOUT_SECONDS = 120;

function timeoutMs(raw: string): number {
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new UsageError(`--timeout must be a positive number of seconds, got "${raw}"`);
  }
  return Math.round(seconds * 1000);
}

/** The engine's reconciliation of a policy config file; every policy's config is checked up front. */
function policiesFrom(cli: Cli, file: string | undefined): EffectivePolicy[] {
  const raw = file ? readJsonFile(file, "policy config", cli.io.cwd) : undefined;
  try {
    return reconcilePackConfig(raw, file ? `policy config ${file}` : "policy config");
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/**
 * `computeguard check` runs a Pulumi program offline (the SDK's mock runtime) and judges it with the
 * policy pack's rules. The runner needs @pulumi, which src/ never imports: it is loaded only here,
 * when the command runs.
 */
export function registerCheck(program: Command, cli: Cli): void {
  program
    .command("check")
    .description(
      "Run a Pulumi TypeScript/JavaScript program offline and judge its GPU and inference resources with the policies",
    )
    .option("--program <dir>", "project directory (default: the current one, which has Pulumi.yaml)")
    .option("--stack <name>", "stack whose Pulumi.<stack>.yaml config the program runs with (default: dev)")
    .option("--policy-config <file>", "policy config JSON, as for `pulumi preview --policy-pack-config`")
    .option("--price-sheet <file>", "price sheet JSON (default: computeguard-settings in the policy config)")
    .option("--region <region>", "region for resources whose own and provider region are unknown")
    .option("--hours-per-month <hours>", "hours in a month (default: computeguard-settings, else 730)")
    .option(
      "--catalog <file>",
      "a catalog written by `prices import` or `prices refresh`, over the embedded one",
    )
    .option("--format <format>", "table | json | markdown | html", "table")
    .option("--fail-on <outcome>", "blocked | warning | never: exit 1 at this outcome (default blocked)")
    .option(
      "--timeout <seconds>",
      "give up on a program that has not finished after this long (exit 3)",
      String(DEFAULT_TIMEOUT_SECONDS),
    )
    .addHelpText(
      "after",
      "\nExit codes: 0 passed, 1 blocked (at the --fail-on outcome), 2 bad input, 3 could not evaluate (the program failed, stalled or timed out).",
    )
    .action(async (flags: CheckFlags) => {
      const format = formatFlag(flags.format, CHECK_FORMATS);
      const failOn = failOnFlag(flags.failOn);
      const timeout = timeoutMs(flags.timeout);
      const policies = policiesFrom(cli, flags.policyConfig);
      // Priced as the pack prices: computeguard-settings, the environment only where stricter; flags win.
      const settings = commandSettings(cli, flags, {
        config: policies.find((p) => p.rule.name === SETTINGS_POLICY)?.config,
        path: flags.policyConfig,
      });
      const { runCheck } = await import("../check/run-check.js");
      cli.exitCode = await runCheck(cli, {
        ...(flags.program !== undefined ? { programDir: flags.program } : {}),
        ...(flags.stack !== undefined ? { stack: flags.stack } : {}),
        format,
        failOn,
        timeoutMs: timeout,
        policies,
        settings,
        ...(flags.policyConfig !== undefined
          ? { policyConfigPath: resolve(cli.io.cwd, flags.policyConfig) }
          : {}),
      });
    });
}
