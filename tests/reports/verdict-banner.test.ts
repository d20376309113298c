import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { OUTCOMES, type Outcome } from "../../src/policy/enforcement.js";
import { diffMarkdown } from "../../src/report/diff-markdown.js";
import { type DiffReport, rowMark } from "../../src/report/diff-model.js";
import { diffTable } from "../../src/report/diff-table.js";
import { renderHtmlReport } from "../../src/report/html/render.js";
import { verdictBanner } from "../../src/report/verdict-banner.js";
import { EXPORT_NEW, EXPORT_OLD, MIXED, PLANS, SCALE } from "./support/cli.js";
import { exportsReport, previewReport, readFixture } from "./support/pipeline.js";

const scaleWith = (config: string) =>
  previewReport(readFixture(SCALE), { label: SCALE, policyConfig: readFixture(`${PLANS}/${config}.json`) });

const REPORTS: Record<string, { report: DiffReport; word: string; kind: string }> = {
  blocked: { report: scaleWith("budgets"), word: "BLOCKED", kind: "blocked" },
  warnings: { report: scaleWith("budgets-warn-only"), word: "WARNINGS", kind: "warnings" },
  passed: { report: scaleWith("budgets-clean"), word: "PASSED", kind: "passed" },
  "mixed (blocked, 2 not priced)": {
    report: previewReport(readFixture(MIXED), {
      label: MIXED,
      policyConfig: readFixture(`${PLANS}/budgets-fleet.json`),
    }),
    word: "BLOCKED",
    kind: "blocked",
  },
  "no policy config": { report: exportsReport(EXPORT_NEW, EXPORT_OLD), word: "NOT GATED", kind: "not-gated" },
};

/** Where the first dollar amount is: the banner must come before it. */
const firstAmount = (text: string) => text.search(/\$\d|\\\$\d/);

describe("every report leads with the verdict, before any cost figure", () => {
  for (const [name, { report, word, kind }] of Object.entries(REPORTS)) {
    it(`${name}: table, markdown and html`, () => {
      const table = diffTable(report);
      expect(table.split("\n")[0]).toMatch(new RegExp(`^computeguard ${word}: `));
      expect(table.indexOf(word)).toBeLessThan(firstAmount(table));

      const md = diffMarkdown(report);
      const lines = md.split("\n");
      expect(lines[0]).toMatch(/^<!-- computeguard:cost-report stack=\S+ -->$/);
      expect(lines[1]).toContain(`### computeguard: `);
      expect(lines[1]).toContain(word);
      expect(lines[4]).toMatch(new RegExp(`^> \\*\\*${word}\\*\\*: `));
      expect(md.indexOf(`**${word}**`)).toBeLessThan(firstAmount(md));

      const html = renderHtmlReport(report, { version: "test", code: "" });
      const body = html.slice(html.indexOf("<body>"));
      expect(body).toMatch(new RegExp(`^<body>\\n<div class="banner ${kind}" id="verdict"`));
      expect(body.indexOf(word)).toBeLessThan(firstAmount(body));
    });
  }

  it("the counts in the banner are the gate's, and the unpriced count is the report's", () => {
    const { report } = REPORTS["mixed (blocked, 2 not priced)"]!;
    const c = report.gate!.counts;
    expect(diffTable(report).split("\n")[0]).toBe(
      `computeguard BLOCKED: ${c.blocked} blocked, ${c.warning} warning${c.warning === 1 ? "" : "s"}, ${report.diff.notPriced.new} not priced; fails --fail-on blocked`,
    );
    expect(report.diff.notPriced.new).toBe(2);
  });
});

describe("verdictBanner", () => {
  const counts = fc.record(
    Object.fromEntries(OUTCOMES.map((o) => [o, fc.nat({ max: 5 })])) as Record<Outcome, fc.Arbitrary<number>>,
  );
  it("is red on any block, amber on warnings or unpriced, green only when clean", () => {
    fc.assert(
      fc.property(counts, fc.nat({ max: 3 }), fc.boolean(), (c, notPriced, failed) => {
        const b = verdictBanner({ gate: { counts: c, failOn: "blocked", failed }, notPriced });
        const expected =
          c.blocked > 0 ? "blocked" : c.warning > 0 ? "warnings" : notPriced > 0 ? "not-priced" : "passed";
        expect(b.kind).toBe(expected);
        expect(b.line.startsWith(`${b.word}: ${c.blocked} blocked, `)).toBe(true);
        expect(b.line).toContain(`${notPriced} not priced`);
        expect(b.line.endsWith(`${failed ? "fails" : "passes"} --fail-on blocked`)).toBe(true);
      }),
    );
  });

  it("without a gate it says nothing was judged, never PASSED", () => {
    const b = verdictBanner({ notPriced: 1 });
    expect(b).toMatchObject({ kind: "not-gated", word: "NOT GATED" });
    expect(b.line).toBe("NOT GATED: no policies evaluated (no --policy-config), 1 not priced");
  });
});

describe("rows are marked by their worst finding, or as not priced", () => {
  const { report } = REPORTS["mixed (blocked, 2 not priced)"]!;
  const marks = Object.fromEntries(report.resources.map((r) => [r.name, rowMark(r)]));

  it("marks follow the findings", () => {
    for (const r of report.resources) {
      const outcomes = r.verdicts.map((v) => v.outcome);
      if (outcomes.includes("blocked")) expect(marks[r.name]).toBe("blocked");
      else if (outcomes.includes("warning")) expect(marks[r.name]).toBe("warning");
    }
    // Both add spend to a stack already over its limit; the same-price replacement is not blamed.
    expect(marks).toMatchObject({ "eu-box": "blocked", "gpu-nodes": "blocked", "batch-worker": undefined });
    const scale = REPORTS.blocked!.report.resources;
    expect(rowMark(scale.find((r) => r.name === "llm-endpoint-scaling")!)).toBe("warning");
  });

  it("each format shows the mark on the resource's row", () => {
    const table = diffTable(report).split("\n");
    const md = diffMarkdown(report).split("\n");
    const html = renderHtmlReport(report, { version: "test", code: "" });
    expect(table.find((l) => l.includes(" eu-box "))).toMatch(/^BLOCKED\s+create\s+eu-box/);
    expect(table.find((l) => l.includes(" gpu-nodes "))).toMatch(/^BLOCKED\s+update\s+gpu-nodes/);
    expect(table.find((l) => l.includes(" batch-worker "))).toMatch(/^\s+replace\s+batch-worker/);
    const scaleTable = diffTable(REPORTS.blocked!.report).split("\n");
    expect(scaleTable.find((l) => l.includes(" llm-endpoint-scaling "))).toMatch(
      /^WARNING\s+update\s+llm-endpoint-scaling/,
    );
    expect(md.find((l) => l.includes("| eu-box |"))).toMatch(/^\| ⛔ \*\*BLOCKED\*\* \| create \|/);
    expect(html).toMatch(
      /<tr class="mark-blocked"><td><span class="badge blocked">BLOCKED<\/span><\/td><td>create<\/td><td[^>]*>eu-box</,
    );
  });

  it("a resource with no finding but an unpriced side is marked NOT PRICED", () => {
    const ungated = previewReport(readFixture(MIXED), { label: MIXED });
    const pending = ungated.resources.find((r) => r.name === "pending-box")!;
    expect(rowMark(pending)).toBe("not-priced");
    expect(
      diffTable(ungated)
        .split("\n")
        .find((l) => l.includes(" pending-box ")),
    ).toMatch(/^NOT PRICED\s+create\s+pending-box\s.*not priced\s+unknown$/);
  });
});

describe("a change that cannot be priced leaves the delta unknown in every format", () => {
  const { report } = REPORTS["mixed (blocked, 2 not priced)"]!;
  // -$5,801.15 would be the delta with the two unpriced creations counted as $0.
  const computedAgainstZero = /-\\?\$5,801\.15/;

  it("table, markdown and html say unknown and mark the new totals as lower bounds", () => {
    const table = diffTable(report);
    const md = diffMarkdown(report);
    const html = renderHtmlReport(report, { version: "test", code: "" });
    for (const text of [table, md, html]) expect(text).not.toMatch(computedAgainstZero);
    expect(table).toContain(
      "TOTAL  worst case $60,030.56/mo -> ≥ $54,229.41/mo  (unknown: 2 change(s) not priced)",
    );
    expect(md).toContain("**GPU spend change unknown**: 2 change(s) could not be priced (unknown, not \\$0)");
    expect(md).toContain("| **\\$60,030.56** | **≥ \\$54,229.41** | **unknown: 2 change(s) not priced** |");
    expect(html).toContain(
      '<p class="headline" id="headline">GPU spend change unknown (2 change(s) not priced), 5 blocked, 1 warning, 2 not priced</p>',
    );
    expect(html).toContain('<div class="big unknown">unknown: 2 change(s) not priced</div>');
  });
});
