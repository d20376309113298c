import { beforeAll, describe, expect, it } from "vitest";
import {
  type CliResult,
  EXPORT_NEW,
  EXPORT_OLD,
  ensureBuilt,
  expectUsageError,
  PLANS,
  runAll,
  SCALE,
} from "./support/cli.js";
import { expectGoldenText } from "./support/golden-text.js";

const gated = (config: string, ...more: string[]) => [
  "estimate",
  "--preview",
  SCALE,
  "--policy-config",
  `${PLANS}/${config}.json`,
  ...more,
];
const json = ["--format", "json"];

/** Every run this file checks, started together: each is a node start-up on a busy 2-core box. */
const RUNS = {
  // budgets.json: 1 blocked (mandatory), 3 warnings; the default --fail-on is blocked.
  blockedMarkdown: gated("budgets", "--format", "markdown"),
  blockedHtml: gated("budgets", "--format", "html"),
  blockedNever: gated("budgets", ...json, "--fail-on", "never"),
  // Only the stack budget's 80% warnings.
  warnOnBlocked: gated("budgets-warn-only", ...json, "--fail-on", "blocked"),
  warnOnWarning: gated("budgets-warn-only", ...json, "--fail-on", "warning"),
  // Every policy passes.
  cleanOnWarning: gated("budgets-clean", ...json, "--fail-on", "warning"),
  // Advisory levels: the per-resource budget's blocks only warn.
  advisoryOnBlocked: gated("budgets-all-advisory", ...json),
  advisoryOnWarning: gated("budgets-all-advisory", ...json, "--fail-on", "warning"),
  pricingFlags: [
    "estimate",
    "--preview",
    SCALE,
    "--price-sheet",
    "tests/fixtures/core/account-price-sheet.json",
    "--hours-per-month",
    "100",
    ...json,
  ],
  // Two stack exports, no policy config.
  exportsTable: ["estimate", "--stack-export", EXPORT_NEW, "--compare-to", EXPORT_OLD],

  truncated: ["estimate", "--preview", `${PLANS}/truncated-preview.json`],
  unknownOp: ["estimate", "--preview", `${PLANS}/unknown-op-preview.json`],
  missing: ["estimate", "--preview", `${PLANS}/no-such-plan.json`],
  exportAsPreview: ["estimate", "--preview", EXPORT_NEW],
} satisfies Record<string, string[]>;

let results: Record<keyof typeof RUNS, CliResult>;

beforeAll(async () => {
  ensureBuilt();
  results = await runAll(RUNS);
}, 180_000);

function gate(name: keyof typeof RUNS): { code: number | null; counts: unknown; failOn: string } {
  const r = results[name];
  expect(r.stderr).toBe("");
  const doc = JSON.parse(r.stdout);
  return { code: r.code, counts: doc.policies.counts, failOn: doc.policies.failOn };
}

describe("the CLI writes the reports", () => {
  it("markdown for a preview, as in the golden file", () => {
    expect(results.blockedMarkdown.stderr).toBe("");
    expectGoldenText("scale-endpoint-delete-dev.md", results.blockedMarkdown.stdout);
  });

  it("a table for two stack exports, as in the golden file, exit 0 without a policy config", () => {
    expect(results.exportsTable).toMatchObject({ code: 0, stderr: "" });
    expectGoldenText("stack-exports.txt", results.exportsTable.stdout);
  });

  it("html with chart.js inlined", () => {
    const { stdout, stderr, code: status } = results.blockedHtml;
    expect(stderr).toBe("");
    expect(status).toBe(1);
    expect(stdout.startsWith("<!doctype html>")).toBe(true);
    expect(stdout).toContain("Chart.js v4.");
    expect(stdout).toContain(
      '<p class="headline" id="headline">+$19,968.42/mo GPU spend (worst case), 1 blocked, 3 warnings</p>',
    );
  });
});

describe("pricing flags apply to both sides of the diff", () => {
  it("--price-sheet and --hours-per-month", () => {
    const { code: status, stdout, stderr } = results.pricingFlags;
    expect(stderr).toBe("");
    expect(status).toBe(0); // no policy config: nothing can fail
    const doc = JSON.parse(stdout);
    expect(doc).toMatchObject({ priceSheet: "acme negotiated 2026-08", hoursPerMonth: 100, policies: null });
    // 100 h: before 4 x $7.09 + $1.006 = $2,936.60, after 8 x $7.09 = $5,672.00
    expect(doc.totals.past.monthlyWorstCase).toBe("2936.60");
    expect(doc.totals.new.monthlyWorstCase).toBe("5672.00");
  });
});

describe("--fail-on sets the exit code", () => {
  it("blocked (the default): 1 when a mandatory policy blocks, 0 on warnings only", () => {
    expect(results.blockedMarkdown.code).toBe(1);
    // The banner (after the hidden marker and the title) carries the counts.
    expect(results.blockedMarkdown.stdout.split("\n")[4]).toBe(
      "> **BLOCKED**: 1 blocked, 3 warnings, 0 not priced; fails `--fail-on blocked`",
    );
    expect(gate("warnOnBlocked")).toMatchObject({
      code: 0,
      failOn: "blocked",
      counts: { blocked: 0, warning: 1 },
    });
  });

  it("warning: 1 on a warning, 0 when every policy passes", () => {
    expect(gate("warnOnWarning")).toMatchObject({
      code: 1,
      failOn: "warning",
      counts: { blocked: 0, warning: 1 },
    });
    expect(gate("cleanOnWarning")).toEqual({
      code: 0,
      failOn: "warning",
      counts: { blocked: 0, warning: 0, waived: 0, passed: 7 },
    });
  });

  it("never: 0 even when policies block", () => {
    expect(gate("blockedNever")).toEqual({
      code: 0,
      failOn: "never",
      counts: { blocked: 1, warning: 3, waived: 0, passed: 5 },
    });
  });

  it("a block under an advisory level counts as a warning", () => {
    expect(gate("advisoryOnBlocked")).toMatchObject({ code: 0, counts: { blocked: 0, warning: 2 } });
    expect(gate("advisoryOnWarning")).toMatchObject({ code: 1, counts: { blocked: 0, warning: 2 } });
  });
});

describe("bad input files: one line naming the problem, exit code 2", () => {
  it.each([
    [
      "truncated",
      /^computeguard: preview tests\/fixtures\/plans\/truncated-preview\.json is not valid JSON: /,
    ],
    [
      "unknownOp",
      /unknown-op-preview\.json: steps\[4\]\.op: unknown operation "destroy" \(known: create, update, /,
    ],
    [
      "missing",
      /^computeguard: cannot read preview tests\/fixtures\/plans\/no-such-plan\.json: no such file$/,
    ],
    [
      "exportAsPreview",
      /stack-export-new\.json: this is a pulumi stack export, not pulumi preview --json output/,
    ],
  ] as const)("%s", (name, message) => {
    expectUsageError(results[name], message);
  });
});
