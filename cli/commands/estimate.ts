import type { Command } from "commander";
import { type EstimatorOptions, estimateStack } from "../../src/estimate/estimator.js";
import type { ResourceInput } from "../../src/estimate/types.js";
import { parseStackExport } from "../../src/inputs/stack-export.js";
import { evaluateGate, type GateResult } from "../../src/plan/gate.js";
import { planFromPreview } from "../../src/plan/preview.js";
import { DEFAULT_DEFLATION, type DeflationRates } from "../../src/plan/projection.js";
import type { ResourcePlan } from "../../src/plan/resource-plan.js";
import { planFromStackExports } from "../../src/plan/stack-exports.js";
import { bySeverity, enforce } from "../../src/policy/enforcement.js";
import { type PolicySetting, reconcilePolicyConfig } from "../../src/policy/pack-config.js";
import { diffJson, verdictJson } from "../../src/report/diff-json.js";
import { diffMarkdown } from "../../src/report/diff-markdown.js";
import {
  type DiffReport,
  type DiffSource,
  reportFails,
  verdictSummary,
} from "../../src/report/diff-model.js";
import { reportPlan } from "../../src/report/diff-report.js";
import { diffTable } from "../../src/report/diff-table.js";
import { estimateJson } from "../../src/report/estimate-json.js";
import { estimateTable } from "../../src/report/estimate-table.js";
import { loadChartLibrary } from "../../src/report/html/chart-library.js";
import { renderHtmlReport } from "../../src/report/html/render.js";
import { estimatorSettings, SETTINGS_POLICY } from "../../src/settings/resolve.js";
import { EXIT, UsageError } from "../errors.js";
import { readJsonFile } from "../files.js";
import type { Cli } from "../io.js";
import { commandSettings, failOnFlag, type PricingFlags } from "../options.js";
import { warnAboutSettings } from "../warnings.js";

interface EstimateFlags extends PricingFlags {
  stackExport?: string;
  preview?: string;
  compareTo?: string;
  policyConfig?: string;
  failOn?: string;
  gpuDeflation?: string;
  tokenDeflation?: string;
  allowIncomplete?: boolean;
  format: string;
}

const DIFF_FORMATS = ["table", "json", "markdown", "html"];

/** Input errors from the core become one-line usage errors (exit 2). */
function asUsage<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw error instanceof UsageError ? error : new UsageError((error as Error).message);
  }
}

function percentFlag(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 100) {
    throw new UsageError(`${name} must be a percentage per year in [0, 100], got "${value}"`);
  }
  return n;
}

function readPlan(cli: Cli, flags: EstimateFlags): { plan: ResourcePlan; source: DiffSource } {
  if (flags.preview) {
    const path = flags.preview;
    return {
      plan: asUsage(() => planFromPreview(readJsonFile(path, "preview", cli.io.cwd), `preview ${path}`)),
      source: { kind: "preview", preview: path },
    };
  }
  const newer = flags.stackExport!;
  const older = flags.compareTo!;
  return {
    plan: asUsage(() =>
      planFromStackExports(
        readJsonFile(newer, "stack export", cli.io.cwd),
        readJsonFile(older, "stack export", cli.io.cwd),
        {
          newer,
          older,
        },
      ),
    ),
    source: { kind: "stack-exports", new: newer, old: older },
  };
}

function render(report: DiffReport, format: string): string {
  switch (format) {
    case "json":
      return `${JSON.stringify(diffJson(report), null, 2)}\n`;
    case "markdown":
      return diffMarkdown(report);
    case "html":
      return renderHtmlReport(report, asUsage(loadChartLibrary));
    default:
      return diffTable(report);
  }
}

/** `--preview` or `--stack-export --compare-to`: the cost diff, optionally gated by the pack's policies. */
function runDiff(cli: Cli, flags: EstimateFlags): void {
  if (flags.preview && (flags.stackExport || flags.compareTo)) {
    throw new UsageError("--preview cannot be combined with --stack-export or --compare-to");
  }
  if (flags.compareTo && !flags.stackExport) {
    throw new UsageError("--compare-to OLD needs --stack-export NEW");
  }
  if (!DIFF_FORMATS.includes(flags.format)) {
    throw new UsageError(`--format must be table, json, markdown or html, got "${flags.format}"`);
  }
  if (flags.failOn !== undefined && !flags.policyConfig) {
    throw new UsageError("--fail-on needs --policy-config FILE (no policy is evaluated without one)");
  }
  const failOn = failOnFlag(flags.failOn);
  const rates: DeflationRates = {
    gpuPercentPerYear: percentFlag(
      "--gpu-deflation",
      flags.gpuDeflation,
      DEFAULT_DEFLATION.gpuPercentPerYear,
    ),
    tokenPercentPerYear: percentFlag(
      "--token-deflation",
      flags.tokenDeflation,
      DEFAULT_DEFLATION.tokenPercentPerYear,
    ),
  };
  const settings = policySettings(cli, flags.policyConfig);
  const options = pricingOptions(cli, flags, settings);

  const { plan, source } = readPlan(cli, flags);
  const report = reportPlan(plan, {
    source,
    estimator: options,
    ...(settings ? { policies: settings } : {}),
    failOn,
    deflation: rates,
    allowIncomplete: flags.allowIncomplete === true,
  });
  const text = render(report, flags.format);
  if (flags.format === "table") cli.outTable(text);
  else cli.out(text);
  cli.exitCode = reportFails(report) ? EXIT.blocked : EXIT.ok;
}

const DIFF_ONLY_FLAGS: Array<[keyof EstimateFlags, string]> = [
  ["gpuDeflation", "--gpu-deflation"],
  ["tokenDeflation", "--token-deflation"],
  ["allowIncomplete", "--allow-incomplete"],
];

export function registerEstimate(program: Command, cli: Cli): void {
  program
    .command("estimate")
    .description(
      "Estimate the monthly cost of every GPU, accelerator and inference resource in a stack, or the cost diff of a plan",
    )
    .option("--stack-export <file>", "output of `pulumi stack export` (the NEW state with --compare-to)")
    .option("--preview <file>", "output of `pulumi preview --json`: the cost diff of the plan")
    .option("--compare-to <file>", "an older `pulumi stack export`: the cost diff from it to --stack-export")
    .option(
      "--policy-config <file>",
      "the policy pack config (as for --policy-pack-config): gate the stack or the diff",
    )
    .option("--fail-on <level>", "blocked | warning | never: exit 1 at this level (default blocked)")
    .option("--gpu-deflation <pct>", "GPU-hour price deflation per year for the projection (default 26)")
    .option("--token-deflation <pct>", "per-token price deflation per year for the projection (default 90)")
    .option("--allow-incomplete", "a failed preview (error diagnostics) is reported without failing")
    .option("--region <region>", "region for resources whose own and provider region are unknown")
    .option("--price-sheet <file>", "price sheet JSON (discounts, custom rates, Bedrock rates)")
    .option("--hours-per-month <hours>", "hours in a month (default 730)")
    .option(
      "--catalog <file>",
      "a catalog written by `prices import` or `prices refresh`, over the embedded one",
    )
    .option("--format <format>", "table | json (| markdown | html for a diff)", "table")
    .action((flags: EstimateFlags) => {
      if (flags.preview || flags.compareTo) {
        runDiff(cli, flags);
        return;
      }
      if (!flags.stackExport) throw new UsageError("estimate needs --stack-export FILE or --preview FILE");
      if (!["table", "json"].includes(flags.format)) {
        throw new UsageError(
          `--format must be table or json, got "${flags.format}" (markdown and html need --preview or --compare-to)`,
        );
      }
      const diffOnly = DIFF_ONLY_FLAGS.find(([key]) => flags[key] !== undefined);
      if (diffOnly) throw new UsageError(`${diffOnly[1]} needs --preview FILE or --compare-to FILE`);
      if (flags.failOn !== undefined && !flags.policyConfig) {
        throw new UsageError("--fail-on needs --policy-config FILE (no policy is evaluated without one)");
      }
      const failOn = failOnFlag(flags.failOn);
      const settings = policySettings(cli, flags.policyConfig);
      const options = pricingOptions(cli, flags, settings);
      const path = flags.stackExport;
      const inputs = asUsage(() => parseStackExport(readJsonFile(path, "stack export", cli.io.cwd), path));
      const stack = estimateStack(inputs, options);
      // One stack export has no old state to compare with: its policies judge the whole stack, as the pack does.
      const gate = settings
        ? evaluateGate(settings, inputs, { ...options, stack: stackOf(inputs) }, failOn)
        : undefined;
      if (flags.format === "json") {
        const doc = estimateJson(stack, { priceSheet: options.priceSheetName });
        cli.out(`${JSON.stringify(gate ? { ...doc, policies: gateJson(gate) } : doc, null, 2)}\n`);
      } else cli.outTable(`${estimateTable(stack)}${gate ? gateTable(gate) : ""}`);
      if (gate?.failed) cli.exitCode = EXIT.blocked;
    });
}

/**
 * What the command prices with: its flags, then the policy config's computeguard-settings (as the
 * pack would use them), with the environment only where stricter. Warns once about stale prices.
 */
function pricingOptions(
  cli: Cli,
  flags: PricingFlags & { policyConfig?: string },
  policies: PolicySetting[] | undefined,
): EstimatorOptions & { priceSheetName?: string } {
  const configured = commandSettings(
    cli,
    flags,
    policies
      ? {
          config: policies.find((p) => p.rule.name === SETTINGS_POLICY)?.properties,
          path: flags.policyConfig,
        }
      : undefined,
  );
  warnAboutSettings(cli, configured);
  return {
    ...estimatorSettings(configured),
    ...(configured.priceSheet ? { priceSheetName: configured.priceSheet.name } : {}),
  };
}

/** The enabled policies of a policy config file, or undefined without one. */
function policySettings(cli: Cli, path: string | undefined): PolicySetting[] | undefined {
  if (!path) return undefined;
  return asUsage(() =>
    reconcilePolicyConfig(readJsonFile(path, "policy config", cli.io.cwd), `policy config ${path}`),
  );
}

/** The stack named in the export's URNs (urn:pulumi:STACK::project::type::name). */
function stackOf(inputs: readonly ResourceInput[]): string {
  return inputs[0]?.urn.split("::")[0]?.split(":")[2] || "unknown-stack";
}

/** The gate under a single stack's estimate: the verdict line, then what is not a pass, most severe first. */
function gateTable(gate: GateResult): string {
  const lines = bySeverity(gate.verdicts.filter((v) => v.outcome !== "passed")).map((v) => {
    const e = enforce(v.policy, v.decision, v.level);
    return `  ${e.word.padEnd(7)}  ${v.policy}${e.note ? ` (${e.note})` : ""}: ${v.message}`;
  });
  const verdict = `POLICIES  ${verdictSummary(gate)}  -> ${gate.failed ? "FAILS" : "passes"} (--fail-on ${gate.failOn})`;
  return `\n${[verdict, ...lines].join("\n")}\n`;
}

/** The same \`policies\` block a diff's JSON carries, with every verdict (this document has no per-resource diff). */
function gateJson(gate: GateResult) {
  return {
    failOn: gate.failOn,
    failed: gate.failed,
    evaluated: gate.policies,
    counts: gate.counts,
    verdicts: gate.verdicts.map(verdictJson),
  };
}
