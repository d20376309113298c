import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { diffJson } from "../../src/report/diff-json.js";
import { diffMarkdown } from "../../src/report/diff-markdown.js";
import type { DiffReport } from "../../src/report/diff-model.js";
import { diffTable } from "../../src/report/diff-table.js";
import { loadChartLibrary } from "../../src/report/html/chart-library.js";
import { renderHtmlReport } from "../../src/report/html/render.js";
import { EXPORT_NEW, EXPORT_OLD, MIXED, PLANS, SCALE } from "./support/cli.js";
import { expectGoldenText } from "./support/golden-text.js";
import { exportsReport, previewReport, readFixture } from "./support/pipeline.js";

// Rendered in process (the same reportPlan the CLI calls); cli.test.ts checks the CLI's own output
// against the same golden files.

const json = (r: DiffReport) => `${JSON.stringify(diffJson(r), null, 2)}\n`;

const scale = previewReport(readFixture(SCALE), {
  label: SCALE,
  policyConfig: readFixture(`${PLANS}/budgets.json`),
});
const mixed = previewReport(readFixture(MIXED), {
  label: MIXED,
  policyConfig: readFixture(`${PLANS}/budgets-fleet.json`),
});
const exports = exportsReport(EXPORT_NEW, EXPORT_OLD);

/** The inlined chart.js (210 kB) and its CSP hash are replaced by markers; the rest is compared as is. */
function withoutLibrary(html: string): { page: string; library: string } {
  const m = /<script>(\/\*!\n \* Chart\.js v[\s\S]*?)<\/script>/.exec(html);
  if (!m) throw new Error("no inlined chart.js in the report");
  const library = m[1]!;
  const hash = `sha256-${createHash("sha256").update(library, "utf8").digest("base64")}`;
  expect(html).toContain(`'${hash}'`);
  return {
    page: html.replace(library, "/* chart.js inlined here */").replace(hash, "sha256-(chart.js)"),
    library,
  };
}

describe("golden reports: scale an inference endpoint 2 -> 6 instances, delete a dev GPU box", () => {
  it("table", () => expectGoldenText("scale-endpoint-delete-dev.txt", diffTable(scale)));
  it("json", () => {
    expect(diffJson(scale).schema).toBe("computeguard.diff/v2");
    expectGoldenText("scale-endpoint-delete-dev.json", json(scale));
  });
  it("markdown", () => {
    const md = diffMarkdown(scale);
    // After the marker, the title and the banner: the headline figure.
    expect(md.split("\n")[6]).toBe("**+\\$19,968.42/mo** GPU spend (worst case)");
    expectGoldenText("scale-endpoint-delete-dev.md", md);
  });

  it("html: one self-contained file, chart.js inlined, nothing to fetch", () => {
    const report = previewReport(readFixture(SCALE), {
      label: SCALE,
      policyConfig: readFixture(`${PLANS}/budgets.json`),
      deflation: { gpuPercentPerYear: 30, tokenPercentPerYear: 80 },
    });
    const { page, library } = withoutLibrary(renderHtmlReport(report, loadChartLibrary()));
    expect(library).toContain("Chart.js v4.");
    expect(library).not.toContain("sourceMappingURL");
    expect(library.length).toBeGreaterThan(100_000);
    // Nothing loads from anywhere: no external script, stylesheet, image, font or frame.
    expect(page).not.toMatch(/\s(src|href|srcset|action|poster|data)=/i);
    expect(page).not.toMatch(/<(link|iframe|object|embed|img|base)\b/i);
    expect(page).not.toMatch(/url\(|@import/);
    expect(page).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-/,
    );
    expect(page.match(/<script[ >]/g)).toHaveLength(3);
    for (const id of [
      "totals",
      "by-resource",
      "cost-by-resource",
      "projection",
      "resources",
      "policies",
      "details",
    ]) {
      expect(page).toContain(`id="${id}"`);
    }
    expect(page).toContain("GPU-hour prices deflating 30%/yr, per-token prices 80%/yr");
    expectGoldenText("scale-endpoint-delete-dev.html", page);
  });
});

describe("golden reports: create, update, scale-up, replace, delete, unknowns, secrets", () => {
  it("table", () => expectGoldenText("mixed-changes.txt", diffTable(mixed)));
  it("json", () => expectGoldenText("mixed-changes.json", json(mixed)));
  it("markdown", () => expectGoldenText("mixed-changes.md", diffMarkdown(mixed)));
});

describe("golden reports: --compare-to on two stack exports (no policy config)", () => {
  it("table", () => expectGoldenText("stack-exports.txt", diffTable(exports)));
  it("json", () => {
    const doc = diffJson(exports);
    expect(doc.policies).toBeNull();
    expect(doc.totals.delta).toEqual({
      monthlyBaseline: "39444.82",
      monthlyWorstCase: "40619.82",
      oneTime: "0.00",
    });
    expectGoldenText("stack-exports.json", json(exports));
  });
  it("markdown", () => expectGoldenText("stack-exports.md", diffMarkdown(exports)));
});
