import { describe, expect, it } from "vitest";
import { toPolicyConfigSchema } from "../../src/policy/config-schema.js";
import { gpuResourceBudget } from "../../src/policy/rules/gpu-resource-budget.js";
import { check, findings, instance, nodeGroup } from "./support.js";

describe("gpu-resource-budget", () => {
  it("has the metadata a CrossGuard policy needs, with defaults in its schema", () => {
    expect(gpuResourceBudget.enforcementLevel).toBe("mandatory");
    expect(gpuResourceBudget.remediationSteps.length).toBeGreaterThan(20);
    const schema = toPolicyConfigSchema(gpuResourceBudget.config);
    expect(schema.properties.monthlyLimitUsd).toMatchObject({ type: "number", default: 20000 });
    expect(schema.properties.basis).toMatchObject({
      enum: ["worst-case", "baseline"],
      default: "worst-case",
    });
    expect(schema.properties).not.toHaveProperty("enforcementLevel");
  });

  it("passes under the limit and blocks over it with the line items", () => {
    expect(findings(check(gpuResourceBudget, {}, [instance("dev", "g5.xlarge")]))).toEqual([]);
    const over = findings(check(gpuResourceBudget, {}, [instance("big", "p5.48xlarge")]));
    expect(over).toEqual([
      "blocked: big projects $40,179.20/mo (worst-case: p5.48xlarge on-demand $55.04/h x 730 h x 1), over the $20,000.00/mo per-resource limit",
    ]);
  });

  it("judges the worst case by default and the baseline when asked", () => {
    // g6.xlarge $0.8048/h x 730 h = $587.50 per node: desired 2 = $1,175.01, max 40 = $23,500.16.
    const group = nodeGroup("batch", ["g6.xlarge"], { minSize: 1, desiredSize: 2, maxSize: 40 });
    expect(findings(check(gpuResourceBudget, {}, [group]))[0]).toContain("$23,500.16/mo (worst-case");
    expect(findings(check(gpuResourceBudget, { basis: "baseline" }, [group]))).toEqual([]);
  });

  it("ignores resources that are not priced (unpriced-accelerators reports those)", () => {
    expect(
      check(gpuResourceBudget, {}, [instance("h200", "p5e.48xlarge"), instance("web", "m7i.large")]),
    ).toEqual([]);
  });

  it("rejects a bad config naming the field", () => {
    expect(() => check(gpuResourceBudget, { monthlyLimitUsd: -1 }, [instance("a", "g5.xlarge")])).toThrow(
      /monthlyLimitUsd/,
    );
  });
});
