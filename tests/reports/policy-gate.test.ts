import { describe, expect, it } from "vitest";
import { diffCosts } from "../../src/plan/cost-diff.js";
import { evaluateGate } from "../../src/plan/gate.js";
import { planFromPreview } from "../../src/plan/preview.js";
import { type FailOn, failsAt as gateFails } from "../../src/policy/enforcement.js";
import { reconcilePolicyConfig } from "../../src/policy/pack-config.js";
import { RULES } from "../../src/policy/rules/index.js";
import { SCALE } from "./support/cli.js";
import { readFixture } from "./support/pipeline.js";

const reconcile = (raw: unknown) => reconcilePolicyConfig(raw, "policy config budgets.json");
const levels = (raw: unknown) => Object.fromEntries(reconcile(raw).map((s) => [s.rule.name, s.level]));
const propertiesOf = (raw: unknown, name: string) =>
  reconcile(raw).find((s) => s.rule.name === name)?.properties;

describe("policy config reconciled as the engine does", () => {
  it("starts every policy from its own level and its schema defaults", () => {
    expect(levels({})).toEqual(Object.fromEntries(RULES.map((r) => [r.name, r.enforcementLevel])));
    expect(propertiesOf({}, "gpu-resource-budget")).toEqual({
      monthlyLimitUsd: 20_000,
      basis: "worst-case",
      exceptions: [],
      waiverHorizonDays: 365,
    });
  });

  it("reads a bare string as a level, drops disabled policies, merges properties over the defaults", () => {
    const config = {
      "cost-allocation-tags": "mandatory",
      "buy-vs-build": "disabled",
      "gpu-stack-budget": { monthlyLimitUsd: 50_000 },
    };
    const l = levels(config);
    expect(l["cost-allocation-tags"]).toBe("mandatory");
    expect("buy-vs-build" in l).toBe(false);
    expect(propertiesOf(config, "gpu-stack-budget")).toMatchObject({
      monthlyLimitUsd: 50_000,
      warnAtPercent: 80,
      tagKey: "team",
    });
  });

  it("applies `all` to every level, then per-policy levels", () => {
    const l = levels({ all: "advisory", "gpu-resource-budget": { enforcementLevel: "mandatory" } });
    expect(l["gpu-resource-budget"]).toBe("mandatory");
    expect(l["gpu-stack-budget"]).toBe("advisory");
    expect(l["unpriced-accelerators"]).toBe("advisory");
  });

  it.each([
    [[], "policy config budgets.json: expected an object of policy name -> level or config"],
    [{ "gpu-budget": "mandatory" }, 'policy config budgets.json: no policy named "gpu-budget" (policies: '],
    [
      { "gpu-stack-budget": "strict" },
      'policy config budgets.json: gpu-stack-budget: "strict" is not an enforcement level',
    ],
    [
      { "gpu-stack-budget": { enforcementLevel: 1 } },
      "policy config budgets.json: gpu-stack-budget.enforcementLevel: 1 is not an enforcement level",
    ],
    [
      { "gpu-stack-budget": 5 },
      "policy config budgets.json: gpu-stack-budget: expected a level string or an object, got 5",
    ],
    [
      { "gpu-resource-budget": { monthlyLimitUsd: "lots" } },
      "policy config budgets.json: computeguard policy gpu-resource-budget: invalid config: monthlyLimitUsd:",
    ],
  ])("rejects %j", (raw, message) => {
    expect(() => reconcile(raw)).toThrow(message);
  });
});

describe("the gate over a plan", () => {
  const diff = diffCosts(planFromPreview(readFixture(SCALE), "scale"));
  const gate = (raw: unknown, failOn: FailOn = "blocked") =>
    evaluateGate(reconcile(raw), diff.afterInputs, { stack: "prod" }, failOn);

  it("blocks the resource that crosses a limit, before and with the whole stack known", () => {
    const result = gate({ "gpu-resource-budget": { monthlyLimitUsd: 25_000 } });
    const blocked = result.verdicts.filter((v) => v.outcome === "blocked");
    // Analysed alone, the configuration runs its 6 initial instances ($31,054.20); with its scaling
    // target known the worst case is 8 ($41,405.60). One finding, blocked where it registers, at the
    // complete figure (the one the cost table shows).
    expect(
      blocked.map((v) => [v.policy, v.urn?.split("::").pop(), v.phase, v.projected?.toFixed(2)]),
    ).toEqual([["gpu-resource-budget", "llm-config", "resource", "41405.60"]]);
    expect(result.failed).toBe(true);
  });

  it("turns a violation of an advisory policy into a warning, keeping the rule's own decision", () => {
    const config = {
      "gpu-resource-budget": { monthlyLimitUsd: 50_000 },
      "bounded-autoscaling": { enforcementLevel: "advisory", maxInstances: 6 },
    };
    const result = gate(config);
    const bounded = result.verdicts.filter(
      (v) => v.policy === "bounded-autoscaling" && v.decision === "blocked",
    );
    expect(bounded).toHaveLength(1);
    expect(bounded[0]).toMatchObject({ level: "advisory", outcome: "warning" });
    expect(bounded[0]!.message).toBe("llm-endpoint-scaling may scale to 8 instances, over the 6 allowed");
    expect(result.counts.blocked).toBe(0);
    expect(result.failed).toBe(false);
    expect(gate(config, "warning").failed).toBe(true);
  });

  it("runs nothing for a disabled policy", () => {
    const result = gate({ all: "disabled" });
    expect(result.policies).toEqual([]);
    expect(result.verdicts).toEqual([]);
  });

  it("fails at the --fail-on threshold", () => {
    const counts = (blocked: number, warning: number, waived = 0) => ({
      blocked,
      warning,
      waived,
      passed: 3,
    });
    const table = (["blocked", "warning", "never"] as const).map((failOn) => [
      failOn,
      gateFails(counts(1, 0), failOn),
      gateFails(counts(0, 1), failOn),
      gateFails(counts(0, 0, 2), failOn),
      gateFails(counts(0, 0), failOn),
    ]);
    expect(table).toEqual([
      ["blocked", true, false, false, false],
      ["warning", true, true, false, false],
      ["never", false, false, false, false],
    ]);
  });
});
