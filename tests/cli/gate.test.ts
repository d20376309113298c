/**
 * `--fail-on` and the report formats on the two doors that judge a whole stack: `check` (a program
 * run offline) and `estimate --stack-export` with a policy config (one export, no old state).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, ensureBuilt, expectUsageError, runAll } from "../support/cli.js";

const EXPORT = ["estimate", "--stack-export", "examples/two-p5-stack-export.json"];
const BUDGETS = ["--policy-config", "examples/budgets.json"];
const CHECK = ["check", ...BUDGETS, "--price-sheet", "examples/price-sheet.json"];

const RUNS = {
  exportTable: [...EXPORT, ...BUDGETS],
  exportJson: [...EXPORT, ...BUDGETS, "--format", "json"],
  exportNever: [...EXPORT, ...BUDGETS, "--fail-on", "never"],
  exportPlain: [...EXPORT],
  exportFailOnAlone: [...EXPORT, "--fail-on", "warning"],
  exportMarkdown: [...EXPORT, ...BUDGETS, "--format", "markdown"],
  // The example program passes with one advisory warning (README).
  checkDefault: [...CHECK, "--format", "json"],
  checkOnWarning: [...CHECK, "--fail-on", "warning"],
  checkOverNever: [...CHECK, "--stack", "over-budget", "--fail-on", "never"],
  checkOverMarkdown: [...CHECK, "--stack", "over-budget", "--format", "markdown"],
  checkHtml: [...CHECK, "--format", "html"],
  checkBadFailOn: [...CHECK, "--fail-on", "sometimes"],
} satisfies Record<string, string[]>;

const scratch = mkdtempSync(path.join(tmpdir(), "computeguard-gate-"));
let results: Record<keyof typeof RUNS, CliResult>;

beforeAll(async () => {
  ensureBuilt();
  results = await runAll(RUNS, { env: { COMPUTEGUARD_AUDIT_LOG: path.join(scratch, "audit.jsonl") } });
}, 300_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("estimate --stack-export with --policy-config (one export gated)", () => {
  it("judges the whole stack, prints the verdict under the estimate and exits 1 when blocked", () => {
    const { code, stdout, stderr } = results.exportTable;
    expect(stderr).toBe("");
    expect(code).toBe(1);
    expect(stdout.startsWith(results.exportPlain.stdout)).toBe(true);
    expect(stdout).toMatch(/\nPOLICIES {2}\d+ blocked.* -> FAILS \(--fail-on blocked\)\n/);
    expect(stdout).toMatch(
      /^ {2}BLOCKED {2}gpu-stack-budget \(mandatory\): trainer-1 \(\+\$40,179\.20\/mo\) takes the stack's projected spend to \$80,358\.40\/mo, over its/m,
    );
    expect(results.exportPlain.code).toBe(0);
  });

  it("writes the same counts in JSON, and --fail-on never exits 0 with the same findings", () => {
    const doc = JSON.parse(results.exportJson.stdout);
    expect(results.exportJson.code).toBe(1);
    expect(doc.totals.monthlyWorstCase).toBe("80358.40");
    const blockedLines = results.exportTable.stdout.match(/^ {2}BLOCKED /gm) ?? [];
    expect(doc.policies.counts.blocked).toBe(blockedLines.length);
    expect(doc.policies.failed).toBe(true);
    expect(doc.policies.verdicts.filter((v: { outcome: string }) => v.outcome === "blocked")).toHaveLength(
      blockedLines.length,
    );
    expect(results.exportNever.code).toBe(0);
    expect(results.exportNever.stdout).toContain("-> passes (--fail-on never)");
  });

  it("refuses --fail-on without a policy config, and markdown without a diff", () => {
    expectUsageError(
      results.exportFailOnAlone,
      "computeguard: --fail-on needs --policy-config FILE (no policy is evaluated without one)",
    );
    expectUsageError(results.exportMarkdown, /^computeguard: --format must be table or json, got "markdown"/);
  });
});

describe("check --fail-on and --format", () => {
  it("exits 0 on a warning by default, 1 with --fail-on warning, 0 on a block with --fail-on never", () => {
    const doc = JSON.parse(results.checkDefault.stdout);
    expect(results.checkDefault.code).toBe(0);
    expect(doc.findings.some((f: { outcome: string }) => f.outcome === "warning")).toBe(true);
    expect(results.checkOnWarning.code).toBe(1);
    expect(results.checkOverNever.code).toBe(0);
    expect(results.checkOverNever.stdout).toContain("BLOCKED");
  });

  it("writes the diff report's markdown and HTML, every resource as created", () => {
    const { code, stdout } = results.checkOverMarkdown;
    expect(code).toBe(1);
    // A PR comment names files, not the runner's paths.
    expect(stdout).toContain("· program index.ts (offline check) ·");
    expect(stdout).toMatch(/\| create \| support-chat-config \| sagemaker\/EndpointConfiguration \| — \|/);
    expect(stdout).toContain("**BLOCKED**");
    expect(results.checkHtml.code).toBe(0);
    expect(results.checkHtml.stdout.startsWith("<!doctype html>")).toBe(true);
    expect(results.checkHtml.stdout).toContain("program examples/ml-platform/index.ts (offline check)");
  });

  it("refuses an unknown --fail-on in one line", () => {
    expectUsageError(
      results.checkBadFailOn,
      'computeguard: --fail-on must be blocked, warning, never, got "sometimes"',
    );
  });
});
