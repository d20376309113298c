import { describe, expect, it } from "vitest";
import { reconcilePackConfig, runGate } from "../../src/policy/gate.js";
import { instance, NOW } from "./support.js";

describe("reconcilePackConfig (what the engine does before Configure)", () => {
  it("gives every policy an explicit level and its properties", () => {
    const policies = reconcilePackConfig({
      all: "advisory",
      "gpu-stack-budget": { enforcementLevel: "mandatory", monthlyLimitUsd: 5 },
      "buy-vs-build": "disabled",
    });
    const by = Object.fromEntries(policies.map((p) => [p.rule.name, p]));
    // Schema defaults are filled in, as the engine does before Configure.
    expect(by["gpu-stack-budget"]).toMatchObject({
      level: "mandatory",
      config: { monthlyLimitUsd: 5, warnAtPercent: 80 },
    });
    expect(by["gpu-resource-budget"]?.level).toBe("advisory");
    expect(by["buy-vs-build"]?.level).toBe("disabled");
    expect(reconcilePackConfig({}).find((p) => p.rule.name === "accelerator-allowlist")?.level).toBe(
      "mandatory",
    );
  });

  it("rejects unknown policies and bad levels, naming them", () => {
    expect(() => reconcilePackConfig({ "gpu-budget": {} })).toThrow(
      'policy config: no policy named "gpu-budget"',
    );
    expect(() => reconcilePackConfig({ "gpu-stack-budget": "strict" })).toThrow(
      'policy config: gpu-stack-budget: "strict" is not an enforcement level',
    );
    expect(() => reconcilePackConfig({ "gpu-stack-budget": { monthlyLimitUsd: -1 } })).toThrow(
      /gpu-stack-budget: invalid config: monthlyLimitUsd/,
    );
  });
});

describe("runGate", () => {
  it("runs resources then the stack, reporting each finding at its level", () => {
    const policies = reconcilePackConfig({
      "gpu-stack-budget": { monthlyLimitUsd: 50_000 },
      "gpu-resource-budget": { monthlyLimitUsd: 50_000 },
    });
    const { findings } = runGate([instance("a", "p5.48xlarge"), instance("b", "p5.48xlarge")], policies, {
      stack: "prod",
      now: () => NOW,
    });
    const notPassed = findings
      .filter((f) => f.decision !== "passed")
      .map((f) => [f.phase, f.policy, f.decision, f.level, f.outcome]);
    // The level is the policy's: a warning of a mandatory policy is still a mandatory policy's.
    expect(notPassed).toEqual([
      ["resource", "gpu-stack-budget", "warned", "mandatory", "warning"],
      ["resource", "gpu-stack-budget", "blocked", "mandatory", "blocked"],
      // The stack phase does not repeat the overrun the resource phase already blocked.
    ]);
  });
});
