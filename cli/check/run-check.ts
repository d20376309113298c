import { isNotPriced } from "../../src/estimate/estimator.js";
import type { ResourceEstimate, ResourceInput } from "../../src/estimate/types.js";
import { countOutcomes, type FailOn } from "../../src/policy/enforcement.js";
import { type EffectivePolicy, type Finding, runGate } from "../../src/policy/gate.js";
import { parseRuleConfig } from "../../src/policy/session.js";
import { checkJson } from "../../src/report/check-json.js";
import { buildCheckReport, exitCodeOf } from "../../src/report/check-report.js";
import { checkTable } from "../../src/report/check-table.js";
import { diffMarkdown } from "../../src/report/diff-markdown.js";
import { loadChartLibrary } from "../../src/report/html/chart-library.js";
import { renderHtmlReport } from "../../src/report/html/render.js";
import { verdictBanner } from "../../src/report/verdict-banner.js";
import { acceleratorMentions } from "../../src/resources/tripwire.js";
import { pricingFacts } from "../../src/settings/digest.js";
import { estimatorSettings, type Settings } from "../../src/settings/resolve.js";
import type { Cli } from "../io.js";
import { packVersion } from "../version.js";
import { warnAboutSettings } from "../warnings.js";
import { recordCheckDecisions } from "./check-audit.js";
import { checkAsDiff } from "./check-diff.js";
import { checkOrgSpend } from "./check-ledger.js";
import type { RegisteredResource } from "./mock-runtime.js";
import { OutputGuard } from "./output-guard.js";
import { StatusLine } from "./progress.js";
import { loadPulumiProgram, shownPath } from "./pulumi-project.js";
import { unexpandedFindings } from "./remote/unexpanded.js";

/** What `check --format` writes. */
export const CHECK_FORMATS = ["table", "json", "markdown", "html"] as const;
export type CheckFormat = (typeof CHECK_FORMATS)[number];

export interface CheckRequest {
  programDir?: string;
  stack?: string;
  format: CheckFormat;
  /** The outcome at which the check exits 1 (--fail-on). */
  failOn: FailOn;
  /** How long the program may run (--timeout). */
  timeoutMs: number;
  /** The engine's reconciliation of the policy config: every policy with its level and properties. */
  policies: EffectivePolicy[];
  /** What prices the check (src/settings/resolve.ts): the same resolver as the pack's. */
  settings: Settings;
  /** The --policy-config file (absolute): the program's components read its computeguard-settings too. */
  policyConfigPath?: string;
}

/** A registration as the policy pack's Analyze receives it: props after Check, the provider's region. */
function resourceInput(r: RegisteredResource): ResourceInput {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    // Components (and the stack) describe their children, which are judged themselves.
    custom: r.custom,
    props: r.props,
    providerRegion: r.providerRegion?.region,
    propertyDependencies: r.propertyDependencies,
  };
}

/**
 * `computeguard check`: runs the program offline under the mock runtime, judges what it registers
 * with the pack's rules in the engine's order (runGate), records the decisions in the audit trail,
 * prints the preview (or JSON) and returns the exit code: 0 passed, 1 blocked. A program that
 * cannot be evaluated (fails, stalls, times out) throws an EvaluationError (exit 3).
 */
export async function runCheck(cli: Cli, request: CheckRequest): Promise<0 | 1> {
  const env = cli.env;
  const estimator = estimatorSettings(request.settings);
  warnAboutSettings(cli, request.settings);
  const program = loadPulumiProgram({
    cwd: cli.io.cwd,
    ...(request.programDir !== undefined ? { programDir: request.programDir } : {}),
    ...(request.stack !== undefined ? { stack: request.stack } : {}),
  });
  const status = new StatusLine(cli.io.stderr, request.format === "table" && cli.io.stderr.isTTY === true);
  const shown = shownPath(program.entry);
  let report: ReturnType<typeof buildCheckReport>;
  let inputs: ResourceInput[];
  let findings: Finding[];
  try {
    status.update(`computeguard: loading ${shown} ...`);
    // Loaded only now: the SDK takes a second or more to import, and bad flags should fail fast.
    const { runProgram } = await import("./run-program.js");
    let registered = 0;
    const run = await runProgram(program, {
      fallbackRegion: program.config["aws:region"] ?? request.settings.defaultRegion,
      ...(estimator.priceSheet ? { priceSheet: estimator.priceSheet } : {}),
      guard: new OutputGuard(status),
      timeoutMs: request.timeoutMs,
      // The components price with the settings the check gates with (components/internal/common-args.ts),
      // unless the environment already names a policy config for them.
      ...(request.policyConfigPath && !env.COMPUTEGUARD_POLICY_CONFIG?.trim()
        ? { programEnv: { COMPUTEGUARD_POLICY_CONFIG: request.policyConfigPath } }
        : {}),
      onRegister: () => {
        registered += 1;
        status.update(`computeguard: running ${shown}: ${registered} resource${registered === 1 ? "" : "s"}`);
      },
    });
    inputs = run.resources.map(resourceInput);
    const enabled = request.policies.filter((p) => p.level !== "disabled");
    status.update(`computeguard: judging ${inputs.length} resources with ${enabled.length} policies ...`);
    const organization = env.PULUMI_ORGANIZATION ?? "organization";
    const ref = { organization, project: program.project, stack: program.stack };
    const orgSpend = await checkOrgSpend(request.policies, ref, env);
    const gate = runGate(inputs, request.policies, {
      ...estimator,
      ...orgSpend,
      stack: program.stack,
      organization: env.PULUMI_ORGANIZATION,
    });
    const estimate = gate.session.estimateComplete(inputs);
    // Unexpanded remote components are judged with the resources, before the stack phase.
    findings = [
      ...gate.findings.filter((f) => f.phase === "resource"),
      ...unexpandedFindings(run.unexpanded, request.policies, (urn) => {
        const input = inputs.find((i) => i.urn === urn);
        return input ? acceleratorMentions(input.props, gate.session.acceleratorTypes()) : [];
      }),
      ...gate.findings.filter((f) => f.phase === "stack"),
    ];
    report = buildCheckReport({
      project: program.project,
      stack: program.stack,
      program: shown,
      registered: run.resources,
      estimate,
      findings,
      policies: request.policies,
      ...(estimator.priceSheet ? { priceSheet: estimator.priceSheet.name } : {}),
      placeholderDataSources: run.placeholderDataSources,
      unexpandedComponents: run.unexpanded,
    });

    status.update("computeguard: recording decisions in the audit trail ...");
    const inputByUrn = new Map(inputs.map((i) => [i.urn, i]));
    const completeByUrn = new Map(estimate.resources.map((e) => [e.urn, e]));
    const estimateOf = (f: Finding): ResourceEstimate | undefined => {
      const input = f.urn ? inputByUrn.get(f.urn) : undefined;
      if (!input) return undefined;
      return f.phase === "resource" ? gate.session.estimate(input) : completeByUrn.get(input.urn);
    };
    const configOf = (policy: string) => {
      const p = request.policies.find((x) => x.rule.name === policy);
      return p ? parseRuleConfig(p.rule, p.config) : {};
    };
    report.audit = await recordCheckDecisions(
      findings,
      estimateOf,
      configOf,
      request.settings,
      {
        organization,
        project: program.project,
        stack: program.stack,
        operation: "check",
        catalogVersion: estimate.catalogVersion,
        pricing: pricingFacts(gate.session.catalog(), estimator.priceSheet, estimate.hoursPerMonth),
        pack: { name: "computeguard", version: packVersion() },
      },
      env,
    );
  } finally {
    status.clear();
  }
  // exitCodeOf says whether anything blocks (a finding, or an audit failure set to block).
  const counts = countOutcomes(findings);
  const failed =
    request.failOn !== "never" &&
    (exitCodeOf(report) === 1 || (request.failOn === "warning" && counts.warning > 0));
  if (request.format === "json") cli.out(`${JSON.stringify(checkJson(report), null, 2)}\n`);
  else if (request.format === "table") {
    const notPriced = report.resources.filter((r) => isNotPriced(r.estimate)).length;
    const verdict = verdictBanner({ gate: { counts, failOn: request.failOn, failed }, notPriced });
    cli.outTable(checkTable(report, verdict));
  } else {
    const diff = checkAsDiff({
      inputs,
      stack: program.stack,
      program: shown,
      findings,
      counts,
      policies: request.policies,
      failOn: request.failOn,
      failed,
      estimator: {
        ...estimator,
        ...(estimator.priceSheet ? { priceSheetName: estimator.priceSheet.name } : {}),
      },
    });
    cli.out(request.format === "markdown" ? diffMarkdown(diff) : renderHtmlReport(diff, loadChartLibrary()));
  }
  return failed ? 1 : 0;
}
