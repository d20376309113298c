import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type EstimatorOptions, estimateStack, type StackEstimate } from "../../src/estimate/estimator.js";
import type { CostBreakdown, ResourceInput } from "../../src/estimate/types.js";
import { type Money, money, sum } from "../../src/money.js";
import { parsePriceSheet } from "../../src/pricing/price-sheet.js";
import { familyOf } from "../../src/pricing/pricer.js";
import { estimateJson } from "../../src/report/estimate-json.js";
import {
  computeResource,
  computeSpec,
  decimalText,
  endpointResources,
  endpointSpec,
  priceSheetJson,
  validStack,
} from "./support/arbitraries.js";
import { estimateIncrementally } from "./support/incremental.js";

const RUNS = { numRuns: 100 };

const optionsArb: fc.Arbitrary<EstimatorOptions> = fc
  .tuple(priceSheetJson, fc.integer({ min: 1, max: 744 }))
  .map(([sheet, hoursPerMonth]) => ({ priceSheet: parsePriceSheet(sheet), hoursPerMonth }));

function breakdowns(stack: StackEstimate): CostBreakdown[] {
  return stack.resources.flatMap((e) => [
    ...(e.monthly ? [e.monthly.baseline, e.monthly.worstCase] : []),
    ...(e.oneTime ? [e.oneTime] : []),
  ]);
}

const isSound = (m: Money) => m.isFinite() && !m.isNegative();

describe("properties of any valid stack", () => {
  it("prices every accelerator resource, never negative or NaN, worst case >= baseline", () => {
    fc.assert(
      fc.property(validStack, optionsArb, (inputs, options) => {
        const stack = estimateStack(inputs, options);
        for (const e of stack.resources) {
          expect(e.status, `${e.name}: ${e.reason}`).not.toMatch(/unknown|unpriced/);
          if (!e.monthly) continue;
          expect(isSound(e.monthly.baseline.total)).toBe(true);
          expect(e.monthly.worstCase.total.greaterThanOrEqualTo(e.monthly.baseline.total), e.name).toBe(true);
        }
        expect(isSound(stack.totals.monthlyBaseline)).toBe(true);
        expect(stack.totals.monthlyWorstCase.greaterThanOrEqualTo(stack.totals.monthlyBaseline)).toBe(true);
      }),
      RUNS,
    );
  });

  it("line items are whole cents and add up to every total exactly", () => {
    fc.assert(
      fc.property(validStack, optionsArb, (inputs, options) => {
        const stack = estimateStack(inputs, options);
        for (const b of breakdowns(stack)) {
          for (const item of b.lineItems) expect(item.amount.decimalPlaces()).toBeLessThanOrEqual(2);
          expect(sum(b.lineItems.map((l) => l.amount)).equals(b.total)).toBe(true);
        }
        // The JSON a user reads: line-item strings add up to resource totals, and those to the stack totals.
        const json = estimateJson(stack);
        const baselines = json.resources.flatMap((r) => (r.monthly ? [r.monthly.baseline!] : []));
        for (const b of baselines) {
          expect(sum(b.lineItems.map((l) => money(l.amount))).equals(money(b.total))).toBe(true);
        }
        expect(sum(baselines.map((b) => money(b.total))).toFixed(2)).toBe(json.totals.monthlyBaseline);
        const worst = json.resources.flatMap((r) => (r.monthly ? [money(r.monthly.worstCase!.total)] : []));
        expect(sum(worst).toFixed(2)).toBe(json.totals.monthlyWorstCase);
      }),
      RUNS,
    );
  });

  it("per-resource analysis agrees with the whole stack to within a cent per line item", () => {
    // A variant with both managed instance scaling and a scaling target is the one case where a
    // target analysed alone may over-count the worst case (it keeps its own worst case >= baseline).
    const managed = (inputs: ResourceInput[]) =>
      inputs.some((r) => JSON.stringify(r.props).includes("managedInstanceScaling"));
    fc.assert(
      fc.property(validStack, optionsArb, (inputs, options) => {
        const whole = estimateStack(inputs, options);
        const incremental = estimateIncrementally(inputs, options);
        const lines = breakdowns(incremental).reduce((n, b) => n + b.lineItems.length, 0);
        const tolerance = money(lines).times("0.01");
        for (const key of ["monthlyBaseline", "monthlyWorstCase", "oneTime"] as const) {
          const diff = incremental.totals[key].minus(whole.totals[key]);
          const agrees = diff.abs().lessThanOrEqualTo(tolerance);
          const overCounts = key === "monthlyWorstCase" && managed(inputs) && diff.greaterThan(0);
          expect(agrees || overCounts, `${key}: ${diff.toFixed()}`).toBe(true);
        }
      }),
      RUNS,
    );
  });
});

/** Totals of one stack and a second one that should cost at least as much. */
function expectNoCheaper(smaller: StackEstimate, larger: StackEstimate): void {
  for (const key of ["monthlyBaseline", "monthlyWorstCase", "oneTime"] as const) {
    expect(
      larger.totals[key].greaterThanOrEqualTo(smaller.totals[key]),
      `${key}: ${smaller.totals[key].toFixed()} -> ${larger.totals[key].toFixed()}`,
    ).toBe(true);
  }
}

describe("monotonic cost", () => {
  it("in instance counts", () => {
    const grown = fc.tuple(computeSpec, fc.nat(10), fc.nat(10)).map(([spec, addDesired, addMax]) => {
      const [min, desired, max] = spec.counts;
      const bigger = {
        ...spec,
        counts: [min, desired + addDesired, max + addDesired + addMax] as [number, number, number],
      };
      return [spec, bigger] as const;
    });
    fc.assert(
      fc.property(grown, optionsArb, ([spec, bigger], options) => {
        const before = estimateStack([computeResource(spec, "r")], options);
        const after = estimateStack([computeResource(bigger, "r")], options);
        expectNoCheaper(before, after);
      }),
      RUNS,
    );
  });

  it("in endpoint variant counts and scaling limits", () => {
    const grown = fc.tuple(endpointSpec, fc.nat(3), fc.nat(5)).map(([spec, addInitial, addMax]) => {
      const bigger = {
        ...spec,
        variants: spec.variants.map((v) => ({ ...v, initial: v.initial + addInitial })),
        target: spec.target && { min: spec.target.min, max: spec.target.max + addMax },
      };
      return [spec, bigger] as const;
    });
    fc.assert(
      fc.property(grown, optionsArb, ([spec, bigger], options) => {
        expectNoCheaper(
          estimateStack(endpointResources(spec, "e"), options),
          estimateStack(endpointResources(bigger, "e"), options),
        );
      }),
      RUNS,
    );
  });

  it("in hours per month", () => {
    const hours = fc.tuple(fc.integer({ min: 1, max: 744 }), fc.integer({ min: 0, max: 743 }));
    fc.assert(
      fc.property(validStack, priceSheetJson, hours, (inputs, sheet, [h, extra]) => {
        const priceSheet = parsePriceSheet(sheet);
        const fewer = estimateStack(inputs, { priceSheet, hoursPerMonth: h });
        const more = estimateStack(inputs, { priceSheet, hoursPerMonth: Math.min(h + extra, 744) });
        expectNoCheaper(fewer, more);
      }),
      RUNS,
    );
  });

  it("in the hours a schedule tag declares", () => {
    const tagged = (input: ResourceInput, hours: number): ResourceInput => ({
      ...input,
      props: { ...input.props, tags: { "computeguard:hours-per-month": String(hours) } },
    });
    fc.assert(
      fc.property(computeSpec, fc.integer({ min: 0, max: 744 }), fc.nat(744), (spec, h, extra) => {
        const input = computeResource(spec, "r");
        expectNoCheaper(
          estimateStack([tagged(input, h)]),
          estimateStack([tagged(input, Math.min(h + extra, 744))]),
        );
      }),
      RUNS,
    );
  });

  it("in the hourly rate (custom price-sheet rates)", () => {
    // One custom rate per family used; the second sheet raises every rate by a non-negative amount.
    const rates = fc.tuple(
      fc.array(computeSpec, { minLength: 1, maxLength: 4 }),
      decimalText(200),
      decimalText(50),
    );
    fc.assert(
      fc.property(
        rates,
        fc.option(fc.integer({ min: 1, max: 100 }), { nil: undefined }),
        ([specs, rate, raise], spot) => {
          const inputs = specs.map((s, i) => computeResource(s, `r${i}`));
          const families = [...new Set(specs.flatMap((s) => s.types.map(familyOf)))];
          const sheet = (usdPerHour: string) =>
            parsePriceSheet({
              ...(spot === undefined ? {} : { spotFactor: (spot / 100).toFixed(2) }),
              rates: families.map((family) => ({ family, usdPerHour })),
            });
          const higher = money(rate).plus(raise).toFixed();
          expectNoCheaper(
            estimateStack(inputs, { priceSheet: sheet(rate) }),
            estimateStack(inputs, { priceSheet: sheet(higher) }),
          );
        },
      ),
      RUNS,
    );
  });

  it("in the catalog rate (a smaller negotiated discount never costs less)", () => {
    fc.assert(
      fc.property(validStack, fc.integer({ min: 0, max: 100 }), fc.nat(100), (inputs, pct, less) => {
        const discounted = estimateStack(inputs, { priceSheet: parsePriceSheet({ discountPercent: pct }) });
        const dearer = estimateStack(inputs, {
          priceSheet: parsePriceSheet({ discountPercent: Math.max(pct - less, 0) }),
        });
        expectNoCheaper(discounted, dearer);
      }),
      RUNS,
    );
  });
});
