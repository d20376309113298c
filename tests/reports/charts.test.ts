import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { projectMonthly } from "../../src/economics/deflation.js";
import { money } from "../../src/money.js";
import { chartData, MAX_BARS } from "../../src/report/html/chart-data.js";
import { renderHtmlReport } from "../../src/report/html/render.js";
import { MIXED, PLANS, SCALE } from "./support/cli.js";
import { previewReport, readFixture } from "./support/pipeline.js";
import { instance, previewDoc, stateOf, step } from "./support/preview-doc.js";

const mixed = previewReport(readFixture(MIXED), {
  label: MIXED,
  policyConfig: readFixture(`${PLANS}/budgets-fleet.json`),
});

describe("the bar chart: unpriced is never an empty bar, marks and the budget are drawn", () => {
  const bars = chartData(mixed).bars;
  const at = (name: string) => bars.labels.indexOf(name);

  it("a side that cannot be priced gets a placeholder as tall as the chart, not a $0 bar", () => {
    const tallest = Math.max(...[...bars.before, ...bars.after].map((v) => v ?? 0), bars.budget!.amount);
    for (const name of ["pending-box", "secret-box"]) {
      expect(bars.after[at(name)]).toBeNull();
      expect(bars.notPricedAfter[at(name)]).toBe(tallest);
      expect(bars.notPricedBefore[at(name)]).toBeNull(); // created: nothing before
    }
    // Priced bars have no placeholder.
    expect(bars.notPricedAfter[at("eu-box")]).toBeNull();
    expect(bars.after[at("eu-box")]).toBe(4622.12);
  });

  it("each bar carries its row's mark", () => {
    expect(bars.marks[at("eu-box")]).toBe("BLOCKED");
    expect(bars.marks[at("pending-box")]).toBe("BLOCKED");
    expect(bars.marks[at("inference-box")]).toBe("BLOCKED");
    expect(bars.marks[at("batch-worker")]).toBeNull();
  });

  it("the per-resource and stack limits the policies judged are the budget lines", () => {
    expect(bars.budget).toEqual({ label: "per-resource limit", amount: 50000 });
    expect(chartData(mixed).projection.budget).toEqual({ label: "stack limit", amount: 50000 });
    const ungated = chartData(previewReport(readFixture(SCALE), { label: SCALE }));
    expect(ungated.bars.budget).toBeNull();
    expect(ungated.projection.budget).toBeNull();
  });

  it("past MAX_BARS, unpriced resources are kept as bars and the others bar counts what it hides", () => {
    const steps = Array.from({ length: 40 }, (_, i) =>
      step(
        "create",
        undefined,
        instance(`box-${i}`, i === 39 ? "04da6b54-80e4-46f7-96ec-b56ff0331ba9" : "g5.xlarge"),
      ),
    );
    const data = chartData(previewReport(previewDoc(steps))).bars;
    expect(data.labels).toHaveLength(MAX_BARS);
    expect(data.labels).toContain("box-39");
    expect(data.notPricedAfter[data.labels.indexOf("box-39")]).not.toBeNull();
    expect(data.labels.at(-1)).toBe(`${40 - (MAX_BARS - 1)} others`);
  });

  it("the page draws hatched not-priced bars, the budget line and marked labels", () => {
    const html = renderHtmlReport(mixed, { version: "test", code: "" });
    expect(html).toContain('"Before, not priced"');
    expect(html).toContain('"After, not priced"');
    expect(html).toContain("budgetPlugin(");
    // Series are told apart by dash pattern and marker, not colour alone.
    for (const marker of ['"rect"', '"triangle"', '"circle"', '"rectRot"']) expect(html).toContain(marker);
  });
});

const PT = "aws:bedrock/provisionedModelThroughput:ProvisionedModelThroughput";
const titan = (name: string, commitmentDuration?: string) =>
  stateOf(PT, name, {
    modelArn: "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-express-v1",
    modelUnits: 1,
    ...(commitmentDuration ? { commitmentDuration } : {}),
    tags: { team: "t", "cost-center": "c" },
  });

describe("the 12-month projection holds committed capacity at its price for each term", () => {
  const report = previewReport(
    previewDoc([
      step("create", undefined, titan("six-months", "SixMonths")),
      step("create", undefined, titan("one-month", "OneMonth")),
      step("create", undefined, titan("no-commitment")),
    ]),
  );
  const byName = (n: string) => report.diff.newEstimates.find((e) => e.name === n)!;

  it("the adapter records the term", () => {
    expect(byName("six-months").commitment).toEqual({ term: "6-month", months: 6 });
    expect(byName("one-month").commitment).toEqual({ term: "1-month", months: 1 });
    expect(byName("no-commitment").commitment).toBeUndefined();
  });

  it("a 6-month term is flat for months 1-6 and renews at the deflated price in month 7", () => {
    const six = byName("six-months").monthly!.worstCase.total;
    expect(six.toFixed(2)).toBe("10804.00"); // $14.80 x 730 h x 1 model unit
    const token = report.projection.rates.tokenPercentPerYear / 100;
    const series = projectMonthly(six, token * 100, 12, 6);
    expect(series.slice(0, 6).map((m) => m.toFixed(2))).toEqual(Array(6).fill("10804.00"));
    expect(series[6]!.toFixed(2)).toBe(six.times(money((1 - token) ** 0.5)).toFixed(2));
    // The whole stack's projection: the 6-month series plus the month-to-month spend (1-month
    // terms renew every month, like no commitment), projected together.
    const monthly = byName("one-month").monthly!.worstCase.total.plus(
      byName("no-commitment").monthly!.worstCase.total,
    );
    const rest = projectMonthly(monthly, token * 100, 12, 1);
    expect(report.projection.new.worstCase.map((m) => m.toFixed(2))).toEqual(
      series.map((m, i) => m.plus(rest[i]!).toFixed(2)),
    );
    // Month 2 already shows the uncommitted spend falling, the 6-month term not.
    expect(report.projection.new.worstCase[1]!.lessThan(report.projection.new.worstCase[0]!)).toBe(true);
  });

  it("the HTML says committed terms are held", () => {
    expect(renderHtmlReport(report, { version: "test", code: "" })).toContain(
      "committed capacity (1-month and 6-month terms) keeps the price it was bought at for each term",
    );
  });

  it("projectMonthly: constant within each term, never rising, month 1 undeflated", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 99 }),
        fc.integer({ min: 1, max: 12 }),
        (cents, pct, term) => {
          const amount = money(cents).dividedBy(100);
          const s = projectMonthly(amount, pct, 12, term);
          expect(s[0]!.equals(amount)).toBe(true);
          for (let i = 1; i < 12; i++) {
            if (i % term !== 0) expect(s[i]!.equals(s[i - 1]!)).toBe(true);
            expect(s[i]!.lessThanOrEqualTo(s[i - 1]!)).toBe(true);
          }
        },
      ),
    );
  });
});
