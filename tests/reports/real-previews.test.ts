import { beforeAll, describe, expect, it } from "vitest";
import { totalDelta } from "../../src/plan/cost-diff.js";
import { planFromPreview } from "../../src/plan/preview.js";
import { diffJson } from "../../src/report/diff-json.js";
import { diffTable } from "../../src/report/diff-table.js";
import { type CliResult, ensureBuilt, expectUsageError, runAll } from "./support/cli.js";
import { previewReport, readFixture } from "./support/pipeline.js";

// Reduced from dundalek/stratify's recorded `pulumi preview --json` (no default provider step, no
// aws:region in config, __defaults, asset secrets), with EC2 steps of every existing-spend op added.
const DIR = "tests/fixtures/realworld";
const OPS = `${DIR}/preview-read-import-discard.json`;
const STACK_REGION = `${DIR}/preview-stack-region.json`;
const FAILED = `${DIR}/preview-failed.json`;
const NO_NEW_STATE = `${DIR}/preview-create-without-new-state.json`;

describe("a real preview with read, import, discard, same and a secret", () => {
  const report = previewReport(readFixture(OPS));
  const row = (name: string) => {
    const r = report.diff.resources.find((x) => x.name === name);
    if (!r) throw new Error(`no ${name}`);
    return r;
  };

  it("reads every step without the default provider or aws:region, counting by op", () => {
    expect(report.diff.plan.changes).toEqual({
      create: 2,
      update: 1,
      same: 2,
      read: 1,
      import: 1,
      discard: 1,
    });
    expect(report.diff.plan.coverage).toBe("whole-stack");
    expect(report.diff.plan.stackRegion).toBeUndefined();
    expect(row("new-trainer").after!.region).toEqual({ region: "us-east-1", from: "default" });
  });

  it("prices read, import and discard as existing spend on both sides, never new spend", () => {
    for (const name of ["shared-notebook", "legacy-trainer", "old-notebook"]) {
      const r = row(name);
      expect(r.before!.status, name).toBe("priced");
      expect(r.delta!.monthlyWorstCase.isZero(), name).toBe(true);
    }
    // The read is unchanged and not listed; the import and the discard are.
    expect(report.resources.map((r) => r.name)).toEqual([
      "legacy-trainer",
      "new-trainer",
      "secret-box",
      "old-notebook",
    ]);
  });

  it("adds only the created p4d.24xlarge to the spend, and leaves the secret type out of it", () => {
    // us-east-1 p4d.24xlarge: $16,029.08/mo (21.95764 x 730); the import and both g5.xlarge run before and after.
    expect(report.diff.totals.past.monthlyWorstCase.toFixed(2)).toBe("17497.84");
    expect(report.diff.totals.new.monthlyWorstCase.toFixed(2)).toBe("33526.92");
    expect(row("secret-box").after!.status).toBe("unknown");
    expect(row("secret-box").delta).toBeUndefined();
    expect(report.diff.notPriced).toEqual({ past: 0, new: 1 });
    expect(report.incomplete).toBeUndefined();
  });
});

describe("not priced is never $0", () => {
  const report = previewReport(readFixture(OPS));

  it("leaves the total delta unknown while a changed resource cannot be priced", () => {
    expect(report.diff.unknownDeltas).toBe(1);
    expect(totalDelta(report.diff)).toBeUndefined();
    const json = diffJson(report);
    expect(json.totals.delta).toBeNull();
    expect(json.counts.unknownDeltas).toBe(1);
    expect(json.headline).toBe("GPU spend change unknown (1 change(s) not priced), 1 not priced");
    const table = diffTable(report);
    expect(table).toContain(
      "TOTAL  worst case $17,497.84/mo -> ≥ $33,526.92/mo  (unknown: 1 change(s) not priced)",
    );
    expect(table).not.toMatch(/\+\$16,029\.08\/mo\)/);
  });

  it("knows the delta when what cannot be priced does not change", () => {
    const doc = readFixture(OPS) as { steps: Array<{ urn: string; newState?: unknown }> };
    // The secret-typed box left unchanged: unknown on both sides, the same on both.
    const steps = doc.steps.map((s) =>
      s.urn.endsWith("::secret-box") ? { ...s, op: "same", oldState: s.newState } : s,
    );
    const unchanged = previewReport({ ...doc, steps });
    expect(unchanged.diff.notPriced).toEqual({ past: 1, new: 1 });
    expect(unchanged.diff.unknownDeltas).toBe(0);
    // +p4d.24xlarge in us-east-1: 21.95764 x 730
    expect(totalDelta(unchanged.diff)!.monthlyWorstCase.toFixed(2)).toBe("16029.08");
    expect(diffTable(unchanged)).toContain(
      "TOTAL  worst case ≥ $17,497.84/mo -> ≥ $33,526.92/mo  (+$16,029.08/mo)",
    );
  });
});

describe("the stack's aws:region", () => {
  it("is where the unlisted default provider deploys, and the plan carries it to the estimator", () => {
    const doc = readFixture(STACK_REGION);
    expect(planFromPreview(doc, "p").stackRegion).toBe("us-west-2");
    const [r] = previewReport(doc).diff.resources;
    expect(r!.after!.region!.region).toBe("us-west-2");
    // g5.xlarge in us-west-2: 1.006 x 730
    expect(r!.after!.monthly!.worstCase.total.toFixed(2)).toBe("734.38");
  });

  it("is the fallback for a resource with no provider reference at all", () => {
    const doc = readFixture(STACK_REGION) as { steps: Array<Record<string, unknown>> };
    const step = doc.steps[0]!;
    const { provider: _p, ...newState } = step.newState as Record<string, unknown>;
    const { provider: _q, ...rest } = step;
    const [r] = previewReport({ ...doc, steps: [{ ...rest, newState }] }).diff.resources;
    expect(r!.after!.region).toEqual({ region: "us-west-2", from: "default" });
    expect(r!.after!.assumptions).toContain("region us-west-2 (default: the stack's aws:region config)");
  });
});

const RUNS = {
  failed: ["estimate", "--preview", FAILED],
  failedJson: ["estimate", "--preview", FAILED, "--format", "json"],
  allowed: ["estimate", "--preview", FAILED, "--allow-incomplete", "--format", "json"],
  noNewState: ["estimate", "--preview", NO_NEW_STATE],
  allowOnExport: ["estimate", "--stack-export", `${DIR}/stack-export-v4.json`, "--allow-incomplete"],
} satisfies Record<string, string[]>;

let results: Record<keyof typeof RUNS, CliResult>;

beforeAll(async () => {
  ensureBuilt();
  results = await runAll(RUNS);
}, 180_000);

describe("estimate --preview on a failed preview", () => {
  it("says the plan is incomplete and fails by default", () => {
    const { code: status, stdout, stderr } = results.failed;
    expect(status, stderr).toBe(1);
    expect(stdout).toContain(
      "INCOMPLETE  the preview failed with 1 error diagnostic(s): its plan is incomplete, so are these figures  -> FAILS (--allow-incomplete to report it without failing)",
    );
    const json = JSON.parse(results.failedJson.stdout);
    expect(results.failedJson.code).toBe(1);
    expect(json.incomplete).toEqual({
      reason: "the preview failed with 1 error diagnostic(s): its plan is incomplete, so are these figures",
      allowed: false,
    });
  });

  it("reports it without failing under --allow-incomplete", () => {
    const { code: status, stdout, stderr } = results.allowed;
    expect(status, stderr).toBe(0);
    expect(JSON.parse(stdout).incomplete.allowed).toBe(true);
  });

  it("refuses a create step without its new state: one line naming the file, the step and its URN", () => {
    expectUsageError(
      results.noNewState,
      `computeguard: preview ${NO_NEW_STATE}: steps[0].newState: missing on the create step of urn:pulumi:dev::sample::aws:ec2/instance:Instance::new-trainer: nothing to price it by`,
    );
  });

  it("takes --allow-incomplete only with a plan", () => {
    expectUsageError(
      results.allowOnExport,
      "computeguard: --allow-incomplete needs --preview FILE or --compare-to FILE",
    );
  });
});
