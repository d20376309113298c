import { describe, expect, it } from "vitest";
import type { ResourceInput } from "../../src/estimate/types.js";
import { reconcilePackConfig, runGate } from "../../src/policy/gate.js";
import { buildCheckReport } from "../../src/report/check-report.js";
import { checkTable } from "../../src/report/check-table.js";
import { endpointConfig, instance, NOW, resource } from "./support.js";

/** A SageMaker endpoint serving `config`, and the scaling target of its AllTraffic variant. */
function scaledEndpoint(config: ResourceInput, min: number, max: number): ResourceInput[] {
  const name = `${config.name}-endpoint`;
  return [
    resource("aws:sagemaker/endpoint:Endpoint", name, { name, endpointConfigName: config.name }),
    resource("aws:appautoscaling/target:Target", `${config.name}-scaling`, {
      resourceId: `endpoint/${name}/variant/AllTraffic`,
      scalableDimension: "sagemaker:variant:DesiredInstanceCount",
      serviceNamespace: "sagemaker",
      minCapacity: min,
      maxCapacity: max,
    }),
  ];
}

const gate = (inputs: ResourceInput[], config: Record<string, unknown>) => {
  const policies = reconcilePackConfig({ all: "disabled", ...config });
  return {
    policies,
    ...runGate(inputs, policies, { stack: "prod", now: () => NOW, defaultRegion: "us-east-1" }),
  };
};

const notPassed = (findings: ReturnType<typeof gate>["findings"]) =>
  findings.filter((f) => f.decision !== "passed");

describe("one finding per resource per policy, at one figure", () => {
  it("an endpoint configuration over the per-resource limit is blocked once, at its scaled figure; its scaling target is not a second resource", () => {
    // 6 x ml.g5.12xlarge initially, up to 8 with the scaling target (priced on the configuration once linked).
    const config = endpointConfig("llm-config", "ml.g5.12xlarge", 6);
    const { findings, session } = gate([config, ...scaledEndpoint(config, 6, 8)], {
      "gpu-resource-budget": { enforcementLevel: "mandatory", monthlyLimitUsd: 25_000 },
    });
    const complete = session.estimateComplete([config, ...scaledEndpoint(config, 6, 8)]);
    const configCost = complete.resources.find((e) => e.name === "llm-config")!.monthly!.worstCase.total;
    const blocked = notPassed(findings);
    expect(blocked.map((f) => [f.policy, f.urn, f.phase, f.outcome])).toEqual([
      ["gpu-resource-budget", config.urn, "resource", "blocked"],
    ]);
    // The one figure is the complete picture's: 8 instances, what the cost table shows.
    expect(blocked[0]!.projected!.toString()).toBe(configCost.toString());
    expect(blocked[0]!.message).toContain("x 8)");
    // The scaling target, analysed alone, carries extra instances but is not judged as its own resource.
    expect(
      findings.some((f) => f.policy === "gpu-resource-budget" && f.urn?.endsWith("llm-config-scaling")),
    ).toBe(false);
  });

  it("a configuration under the limit at its initial count but over it at its scaling maximum is blocked in the stack phase, and the deployment stops at the stack check", () => {
    // 4 x ml.g5.12xlarge (~$20.7k) initially; up to 8 (~$41.4k).
    const config = endpointConfig("llm-config", "ml.g5.12xlarge", 4);
    const inputs = [config, ...scaledEndpoint(config, 4, 8)];
    const { findings, session, policies } = gate(inputs, {
      "gpu-resource-budget": { enforcementLevel: "mandatory", monthlyLimitUsd: 25_000 },
    });
    expect(notPassed(findings).map((f) => [f.policy, f.urn, f.phase])).toEqual([
      ["gpu-resource-budget", config.urn, "stack"],
    ]);
    const report = buildCheckReport({
      project: "ml",
      stack: "prod",
      program: ".",
      registered: [],
      estimate: session.estimateComplete(inputs),
      findings,
      policies,
      placeholderDataSources: [],
    });
    const table = checkTable(report);
    expect(table).toContain("a deployment would stop at the stack check");
    expect(table).not.toContain("would stop at llm-config");
  });

  it("a resource blocked as it registers is where the deployment stops", () => {
    const inputs = [
      instance("small", "g6.xlarge"),
      instance("huge", "p5.48xlarge"),
      instance("after", "p5.48xlarge"),
    ];
    const { findings, session, policies } = gate(inputs, {
      "gpu-resource-budget": { enforcementLevel: "mandatory", monthlyLimitUsd: 20_000 },
    });
    const report = buildCheckReport({
      project: "ml",
      stack: "prod",
      program: ".",
      registered: [],
      estimate: session.estimateComplete(inputs),
      findings,
      policies,
      placeholderDataSources: [],
    });
    expect(checkTable(report)).toContain("a deployment would stop at huge");
  });

  it("an overrun of the stack and a team budget is one finding per resource, and the stack phase does not repeat it", () => {
    const inputs = [
      instance("a", "p5.48xlarge"),
      instance("b", "p5.48xlarge"),
      instance("c", "p5.48xlarge"),
      instance("d", "g6.xlarge"),
    ];
    const { findings } = gate(inputs, {
      "gpu-stack-budget": {
        enforcementLevel: "mandatory",
        monthlyLimitUsd: 100_000,
        teamLimitsUsd: { research: 90_000 },
      },
    });
    const shown = notPassed(findings);
    const perResource = new Map<string, number>();
    for (const f of shown)
      perResource.set(`${f.policy}|${f.urn}`, (perResource.get(`${f.policy}|${f.urn}`) ?? 0) + 1);
    expect([...perResource.values()].every((n) => n === 1)).toBe(true);
    // c crosses both limits: one finding naming both budgets.
    const c = shown.find((f) => f.urn?.endsWith("::c"))!;
    expect(c.outcome).toBe("blocked");
    expect(c.budgets).toEqual(["stack", "team:research"]);
    expect(c.message).toMatch(
      /the stack's projected spend to .*, and the team research's projected spend to /,
    );
    // No budget-level line repeats the block the resources already carry.
    expect(shown.filter((f) => f.urn === undefined && f.outcome === "blocked")).toEqual([]);
  });
});
