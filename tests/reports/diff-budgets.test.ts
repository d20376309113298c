import { beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../src/policy/gate.js";
import type { DiffReport } from "../../src/report/diff-model.js";
import { EXPORT_NEW, EXPORT_OLD, ensureBuilt, PLANS, runCli } from "./support/cli.js";
import { exportsReport, previewReport, readFixture } from "./support/pipeline.js";

// A p4d trainer already in the stack ($16,029.08/mo), a g6.xlarge replaced by the same type, and
// either a new g6.xlarge (+$587.50/mo) or a deleted g5.12xlarge (-$4,140.56/mo), all team research.
const ADDS = `${PLANS}/over-budget-adds-g6.json`;
const LOWERS = `${PLANS}/over-budget-lowers.json`;

const stackFindings = (report: DiffReport): Finding[] =>
  [...report.resources.flatMap((r) => r.verdicts), ...report.stackVerdicts].filter(
    (f) => f.policy === "gpu-stack-budget" && f.decision !== "passed",
  );
const nameOf = (f: Finding) => f.urn?.split("::").pop() ?? "(stack)";

describe("stack and team budgets judge the change when the old state is known", () => {
  it("on a stack already over budget, a PR adding a g6.xlarge is blocked on the g6 alone: not the unchanged p4d, not the $0 replacement", () => {
    const report = previewReport(readFixture(ADDS), {
      policyConfig: { "gpu-stack-budget": { monthlyLimitUsd: 15_000, teamLimitsUsd: { research: 16_500 } } },
    });
    const found = stackFindings(report);
    expect(found.map((f) => [nameOf(f), f.outcome])).toEqual([["g6-box", "blocked"]]);
    // One finding naming both budgets it adds to, with the move of each.
    expect(found[0]!.message).toBe(
      "g6-box (+$587.50/mo) adds to the stack's projected spend, already over its $15,000.00/mo limit (from $16,616.58/mo to $17,204.08/mo), and adds to the team research's projected spend, already over its $16,500.00/mo limit (from $16,616.58/mo to $17,204.08/mo)",
    );
    expect(found[0]!.budgets).toEqual(["stack", "team:research"]);
    expect(report.gate?.failed).toBe(true);
  });

  it("the resource whose change pushes spend over the limit is named, with the totals before and after", () => {
    const report = previewReport(readFixture(ADDS), {
      policyConfig: { "gpu-stack-budget": { monthlyLimitUsd: 17_000 } },
    });
    expect(stackFindings(report).map((f) => [nameOf(f), f.outcome, f.message])).toEqual([
      [
        "g6-box",
        "blocked",
        "g6-box (+$587.50/mo) takes the stack's projected spend from $16,616.58/mo to $17,204.08/mo, over its $17,000.00/mo limit",
      ],
    ]);
  });

  it("a change that lowers spend on a stack already over budget is a warning, and a block with blockWhenAlreadyOver", () => {
    const warned = previewReport(readFixture(LOWERS), {
      policyConfig: { "gpu-stack-budget": { monthlyLimitUsd: 15_000 } },
    });
    expect(stackFindings(warned).map((f) => [nameOf(f), f.outcome, f.message])).toEqual([
      [
        "(stack)",
        "warning",
        "the stack was already over its $15,000.00/mo limit and this change lowers it from $20,757.14/mo to $16,616.58/mo; not blocked: the change adds no spend to it",
      ],
    ]);
    expect(warned.gate?.failed).toBe(false);

    const blocked = previewReport(readFixture(LOWERS), {
      policyConfig: { "gpu-stack-budget": { monthlyLimitUsd: 15_000, blockWhenAlreadyOver: true } },
    });
    expect(stackFindings(blocked).map((f) => [nameOf(f), f.outcome])).toEqual([["(stack)", "blocked"]]);
    expect(blocked.gate?.failed).toBe(true);
  });

  it("a change that keeps spend on an over-budget stack (a same-price replacement) is a warning too", () => {
    // The p4d and the replaced g6 alone: drop the new g6 from the plan.
    const doc = readFixture(ADDS) as { steps: Array<{ urn: string }> };
    const keeps = { ...doc, steps: doc.steps.filter((s) => !s.urn.endsWith("g6-box")) };
    const report = previewReport(keeps, {
      policyConfig: { "gpu-stack-budget": { monthlyLimitUsd: 15_000 } },
    });
    expect(stackFindings(report).map((f) => [nameOf(f), f.outcome])).toEqual([["(stack)", "warning"]]);
    expect(stackFindings(report)[0]!.message).toContain("this change keeps it at $16,616.58/mo");
  });

  it("--compare-to: only the resources whose change adds spend are blamed", () => {
    const report = exportsReport(EXPORT_NEW, EXPORT_OLD, {
      policyConfig: { "gpu-stack-budget": { monthlyLimitUsd: 100_000 } },
    });
    // trainer-0 unchanged and trainer-1 replaced at the same price are over-budget spend, not this change's.
    expect(stackFindings(report).map((f) => [nameOf(f), f.outcome])).toEqual([
      ["trainer-2", "blocked"],
      ["eval-nodes", "blocked"],
    ]);
  });
});

describe("estimate CLI: diff-aware budgets", () => {
  beforeAll(() => ensureBuilt(), 120_000);

  it("blocks the PR's g6 on an over-budget stack (exit 1) and only warns on a PR that lowers spend (exit 0)", async () => {
    const config = `${PLANS}/budgets-over-15k.json`;
    const [adds, lowers] = await Promise.all([
      runCli(["estimate", "--preview", ADDS, "--policy-config", config]),
      runCli(["estimate", "--preview", LOWERS, "--policy-config", config]),
    ]);
    expect(adds.code, adds.stderr).toBe(1);
    // Findings only (not the banner, nor the row's mark).
    const blockedLines = adds.stdout.split("\n").filter((l) => l.startsWith("  BLOCKED"));
    expect(blockedLines).toHaveLength(1);
    expect(blockedLines[0]).toContain("gpu-stack-budget (mandatory): g6-box (+$587.50/mo)");
    expect(adds.stdout).not.toMatch(/BLOCKED.*p4d-trainer/);
    expect(lowers.code, lowers.stderr).toBe(0);
    expect(lowers.stdout).toContain(
      "WARNING  gpu-stack-budget: the stack was already over its $15,000.00/mo limit and this change lowers it",
    );
  }, 60_000);
});
