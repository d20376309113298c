import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatAmount, sum } from "../../src/money.js";
import { type CostDiff, diffCosts } from "../../src/plan/cost-diff.js";
import { planFromPreview } from "../../src/plan/preview.js";
import { planFromStackExports } from "../../src/plan/stack-exports.js";
import { EXPORT_NEW, EXPORT_OLD, MIXED, SCALE } from "./support/cli.js";
import { readFixture } from "./support/pipeline.js";
import { instance, previewDoc, type State, stateOf, step } from "./support/preview-doc.js";

// Hand-worked from the pinned catalog (2026-07-20 EC2, 2025-01-26 SageMaker): rate x 730 h x count,
// rounded to the cent per line item.

type Row = [name: string, change: string, before: string | null, after: string | null, delta: string | null];

/** name, change, worst-case before/after/delta per month ("na" for a side with no run-rate). */
function rows(diff: CostDiff): Row[] {
  return diff.resources.map((r) => [
    r.name,
    r.change,
    r.before ? formatAmount(r.before.monthly?.worstCase.total ?? sum([])) : null,
    r.after ? formatAmount(r.after.monthly?.worstCase.total ?? sum([])) : null,
    r.delta ? formatAmount(r.delta.monthlyWorstCase) : null,
  ]);
}

function totals(diff: CostDiff) {
  const t = (x: CostDiff["totals"]["past"]) => [
    formatAmount(x.monthlyBaseline),
    formatAmount(x.monthlyWorstCase),
  ];
  return { past: t(diff.totals.past), new: t(diff.totals.new), delta: t(diff.totals.delta) };
}

const preview = (fixture: string) => diffCosts(planFromPreview(readFixture(fixture), fixture));

describe("cost diff: scale an inference endpoint from 2 to 6 instances, delete a dev GPU box", () => {
  const diff = preview(SCALE);

  it("prices each side as a whole stack: the configuration carries its scaling target", () => {
    expect(rows(diff)).toEqual([
      // ml.g5.12xlarge $7.09/h: before worst case at maxCapacity 4 = 20,702.80, after at 8 = 41,405.60
      ["llm-config", "replace", "20702.80", "41405.60", "20702.80"],
      ["llm-endpoint", "update", "0.00", "0.00", "0.00"],
      ["llm-endpoint-scaling", "update", "0.00", "0.00", "0.00"],
      // g5.xlarge $1.006/h x 730 = 734.38
      ["dev-gpu-box", "delete", "734.38", null, "-734.38"],
    ]);
    const config = diff.resources[0]!;
    expect(formatAmount(config.before!.monthly!.baseline.total)).toBe("10351.40"); // 2 instances
    expect(formatAmount(config.after!.monthly!.baseline.total)).toBe("31054.20"); // 6 instances
    expect(diff.resources[1]!.after!).toMatchObject({ status: "not-applicable", linkedTo: config.urn });
  });

  it("totals past, new and delta exactly", () => {
    expect(totals(diff)).toEqual({
      past: ["11085.78", "21437.18"], // 10,351.40 + 734.38 ; 20,702.80 + 734.38
      new: ["31054.20", "41405.60"],
      delta: ["19968.42", "19968.42"],
    });
    expect(diff.notPriced).toEqual({ past: 0, new: 0 });
  });
});

describe("cost diff: create, update, scale-up, replace, delete, unknowns and secrets", () => {
  const diff = preview(MIXED);

  it("prices every change once", () => {
    expect(rows(diff)).toEqual([
      ["trainer-0", "same", "40179.20", "40179.20", "0.00"], // p5.48xlarge $55.04/h
      ["inference-box", "update", "884.76", "4140.56", "3255.80"], // g5.2xlarge $1.212 -> g5.12xlarge $5.672
      ["gpu-nodes", "update", "2350.02", "4700.03", "2350.01"], // g6.xlarge $0.8048 x maxSize 4 -> 8
      ["batch-worker", "replace", "587.50", "587.50", "0.00"], // a replacement is not counted twice
      ["eu-box", "create", null, "4622.12", "4622.12"], // g5.12xlarge in eu-west-1 $6.33167/h
      ["pending-box", "create", null, "0.00", null], // instanceType unknown: not priced, no delta
      ["secret-box", "create", null, "0.00", null], // instanceType secret: not priced either
      ["legacy-a100", "delete", "16029.08", null, "-16029.08"], // p4d.24xlarge $21.957642/h
    ]);
    expect(diff.resources.map((r) => r.changed)).toEqual([false, true, true, true, true, true, true, true]);
    expect(diff.resources.find((r) => r.name === "eu-box")!.after!.region).toEqual({
      region: "eu-west-1",
      from: "provider",
    });
  });

  it("leaves what cannot be priced out of the totals and counts it", () => {
    expect(totals(diff)).toEqual({
      past: ["58855.55", "60030.56"],
      new: ["51879.40", "54229.41"],
      delta: ["-6976.15", "-5801.15"],
    });
    expect(diff.notPriced).toEqual({ past: 0, new: 2 });
  });
});

describe("cost diff: two stack exports", () => {
  const diff = diffCosts(
    planFromStackExports(readFixture(EXPORT_NEW), readFixture(EXPORT_OLD), { newer: "new", older: "old" }),
  );

  it("matches resources by URN: a new id is a replacement, what only OLD has is deleted", () => {
    expect(rows(diff)).toEqual([
      ["trainer-0", "same", "40179.20", "40179.20", "0.00"],
      ["trainer-1", "replace", "40179.20", "40179.20", "0.00"],
      ["trainer-2", "create", null, "40179.20", "40179.20"],
      ["eval-nodes", "update", "2350.02", "3525.02", "1175.00"], // g6.xlarge x maxSize 4 -> 6
      ["dev-gpu-box", "delete", "734.38", null, "-734.38"],
    ]);
    expect(diff.plan.otherChanges).toBe(1); // the bucket's tags
    expect(diff.plan.coverage).toBe("whole-stack");
    expect(totals(diff).past[1]).toBe("83442.80");
    expect(totals(diff).new[1]).toBe("124062.62");
  });
});

describe("cost diff: an unchanged resource whose estimate moves", () => {
  it("is listed as changed when a linked scaling target changes its bounds", () => {
    const config = stateOf("aws:sagemaker/endpointConfiguration:EndpointConfiguration", "cfg", {
      name: "cfg",
      productionVariants: [{ variantName: "v", instanceType: "ml.g5.xlarge", initialInstanceCount: 1 }],
    });
    const endpoint = stateOf("aws:sagemaker/endpoint:Endpoint", "ep", {
      name: "ep",
      endpointConfigName: "cfg",
    });
    const target = (max: number) =>
      stateOf("aws:appautoscaling/target:Target", "scaling", {
        resourceId: "endpoint/ep/variant/v",
        scalableDimension: "sagemaker:variant:DesiredInstanceCount",
        minCapacity: 1,
        maxCapacity: max,
      });
    const diff = diffCosts(
      planFromPreview(
        previewDoc([
          step("same", config, config),
          step("same", endpoint, endpoint),
          step("update", target(2), target(5)),
        ]),
        "p",
      ),
    );
    const cfg = diff.resources.find((r) => r.name === "cfg")!;
    expect(cfg.change).toBe("same");
    expect(cfg.changed).toBe(true);
    // ml.g5.xlarge $1.408/h (us-east-1, 2026-08-17) x 730 h x (5 - 2) more instances at the worst case
    expect(formatAmount(cfg.delta!.monthlyWorstCase)).toBe("3083.52");
    expect(diff.resources.find((r) => r.name === "ep")!.changed).toBe(false);
  });
});

describe("cost diff properties", () => {
  const TYPES = ["g5.xlarge", "g5.12xlarge", "g6.xlarge", "p5.48xlarge", "p4d.24xlarge", "t3.micro"];
  type Op = "create" | "update" | "replace" | "delete" | "same";
  const resource = fc.record({
    op: fc.constantFrom<Op>("create", "update", "replace", "delete", "same"),
    before: fc.constantFrom(...TYPES),
    after: fc.constantFrom(...TYPES),
    /** How the engine writes a replacement: logical only, or the three steps in either order. */
    replacement: fc.constantFrom("logical", "create-before-delete", "delete-before-replace"),
  });

  function stepsFor(name: string, r: { op: Op; before: string; after: string; replacement: string }) {
    const old: State = instance(name, r.before, { id: `i-${name}` });
    const next: State = instance(name, r.op === "same" ? r.before : r.after);
    switch (r.op) {
      case "create":
        return [step("create", undefined, next)];
      case "delete":
        return [step("delete", old)];
      case "same":
        return [step("same", old, old)];
      case "update":
        return [step("update", old, next)];
      default:
        if (r.replacement === "logical") return [step("replace", old, next)];
        if (r.replacement === "create-before-delete")
          return [
            step("create-replacement", old, next),
            step("replace", old, next),
            step("delete-replaced", old),
          ];
        return [
          step("delete-replaced", old),
          step("replace", old, next),
          step("create-replacement", old, next),
        ];
    }
  }

  it("the total delta is new - past and the sum of the resource deltas; replacements count once", () => {
    fc.assert(
      fc.property(fc.array(resource, { maxLength: 12 }), (resources) => {
        const steps = resources.flatMap((r, i) => stepsFor(`r${i}`, r));
        const diff = diffCosts(planFromPreview(previewDoc(steps), "p"));
        const { past, new: next, delta } = diff.totals;
        expect(delta.monthlyWorstCase.equals(next.monthlyWorstCase.minus(past.monthlyWorstCase))).toBe(true);
        const deltas = diff.resources.map((r) => r.delta!.monthlyWorstCase);
        expect(sum(deltas).equals(delta.monthlyWorstCase)).toBe(true);
        expect(diff.resources).toHaveLength(resources.length);
        // Each side prices each resource at most once: past = sum of befores, new = sum of afters.
        const worst = (e: (typeof diff.resources)[number]["before"]) =>
          e?.monthly?.worstCase.total ?? sum([]);
        expect(sum(diff.resources.map((r) => worst(r.before))).equals(past.monthlyWorstCase)).toBe(true);
        expect(sum(diff.resources.map((r) => worst(r.after))).equals(next.monthlyWorstCase)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
