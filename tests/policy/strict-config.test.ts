import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { toPolicyConfigSchema } from "../../src/policy/config-schema.js";
import { closest } from "../../src/policy/did-you-mean.js";
import { reconcilePolicyConfig } from "../../src/policy/pack-config.js";
import { RULES } from "../../src/policy/rules/index.js";
import { parseRuleConfig } from "../../src/policy/session.js";
import { ensureBuilt, runCli } from "../support/cli.js";

const refusal = (raw: unknown): string => {
  try {
    reconcilePolicyConfig(raw, "policy config budgets.json");
  } catch (error) {
    return (error as Error).message;
  }
  return "accepted";
};

/** Every object node of a JSON schema that lists its properties (nested ones included). */
function objectNodes(node: unknown, at: string, out: Array<[string, Record<string, unknown>]>): void {
  if (typeof node !== "object" || node === null) return;
  const n = node as Record<string, unknown>;
  if (n.properties && typeof n.properties === "object") {
    out.push([at, n]);
    for (const [k, v] of Object.entries(n.properties)) objectNodes(v, `${at}.${k}`, out);
  }
  if (n.items) objectNodes(n.items, `${at}[]`, out);
  if (typeof n.additionalProperties === "object") objectNodes(n.additionalProperties, `${at}{}`, out);
  for (const k of ["anyOf", "allOf", "oneOf"]) {
    if (Array.isArray(n[k]))
      for (const [i, v] of (n[k] as unknown[]).entries()) objectNodes(v, `${at}|${i}`, out);
  }
}

describe("strict policy config", () => {
  it("every policy's configSchema refuses keys it does not list, at every depth", () => {
    for (const rule of RULES) {
      const schema = toPolicyConfigSchema(rule.config);
      expect(schema.additionalProperties, rule.name).toBe(false);
      const nodes: Array<[string, Record<string, unknown>]> = [];
      objectNodes(schema, rule.name, nodes);
      for (const [at, node] of nodes) expect(node.additionalProperties, at).toBe(false);
    }
  });

  it("refuses an unknown key, naming it, the policy and the key it most likely meant", () => {
    expect(refusal({ "gpu-stack-budget": { monthlyLimit: 50_000 } })).toBe(
      "policy config budgets.json: computeguard policy gpu-stack-budget: invalid config: unknown key monthlyLimit in gpu-stack-budget; did you mean monthlyLimitUsd?",
    );
    expect(refusal({ "gpu-resource-budget": { monthlylimitusd: 1 } })).toMatch(
      /unknown key monthlylimitusd in gpu-resource-budget; did you mean monthlyLimitUsd\?$/,
    );
    expect(refusal({ "gpu-stack-budget": { enforcmentLevel: "advisory" } })).toMatch(
      /unknown key enforcmentLevel in gpu-stack-budget; did you mean enforcementLevel\?$/,
    );
    // Nothing close: the keys there are.
    expect(refusal({ "training-budget": { zzz: 1 } })).toMatch(
      /unknown key zzz in training-budget \(known: limitUsd, exceptions, waiverHorizonDays, enforcementLevel\)$/,
    );
    // A key only the policy does not have is refused too: a typo never runs with the default.
    expect(refusal({ "cost-allocation-tags": { requiredTags: ["team"], tagKey: "team" } })).toMatch(
      /unknown key tagKey in cost-allocation-tags/,
    );
  });

  it("refuses unknown keys inside nested objects (waivers, per-model prices), with the path", () => {
    const waiver = {
      id: "W-1",
      resource: "trainer",
      stack: "ml/prod",
      maxMonthlyUsd: 1,
      expires: "2027-01-01",
      approvedBy: "cfo@example.com",
      reason: "r",
    };
    expect(refusal({ "gpu-stack-budget": { exceptions: [{ ...waiver, approvedby: "x" }] } })).toMatch(
      /unknown key approvedby in gpu-stack-budget\.exceptions\.0; did you mean approvedBy\?/,
    );
    expect(
      refusal({
        "buy-vs-build": { apiPrices: { m: { inputUsdPer1m: 1, outputUsdPer1m: 2, outputUsdPer1M: 3 } } },
      }),
    ).toMatch(/unknown key outputUsdPer1M in buy-vs-build\.apiPrices\.m; did you mean outputUsdPer1m\?/);
  });

  it('refuses unknown policy names with a did-you-mean, and settings under "all"', () => {
    expect(refusal({ "gpu-stack-budgt": { monthlyLimitUsd: 1 } })).toMatch(
      /^policy config budgets\.json: no policy named "gpu-stack-budgt"; did you mean gpu-stack-budget\? \(policies: /,
    );
    expect(refusal({ "made-up": "mandatory" })).toMatch(/no policy named "made-up" \(policies: /);
    expect(refusal({ all: { enforcementLevel: "advisory", monthlyLimitUsd: 5 } })).toBe(
      "policy config budgets.json: all: only enforcementLevel may be set for every policy; monthlyLimitUsd must go under a policy's own name",
    );
    expect(
      refusal({ all: { enforcementLevel: "advisory" }, "gpu-stack-budget": { monthlyLimitUsd: 5 } }),
    ).toBe("accepted");
  });

  it("the pack's own parse refuses what the engine cannot see (top-level keys)", () => {
    const stack = RULES.find((r) => r.name === "gpu-stack-budget")!;
    expect(() => parseRuleConfig(stack, { monthlyLimitUsd: 1, warnAt: 50 })).toThrow(
      "computeguard policy gpu-stack-budget: invalid config: unknown key warnAt in gpu-stack-budget; did you mean warnAtPercent?",
    );
  });

  it("suggests only names that are close", () => {
    expect(closest("monthlyLimit", ["monthlyLimitUsd", "warnAtPercent"])).toBe("monthlyLimitUsd");
    expect(closest("basis", ["bases", "basic"])).toBe("bases");
    expect(closest("tag", ["tagKey", "teamLimitsUsd"])).toBe("tagKey");
    expect(closest("xyz", ["monthlyLimitUsd", "basis"])).toBeUndefined();
    expect(closest("gpu-budget", ["gpu-stack-budget", "training-budget"])).toBeUndefined();
  });
});

describe("strict policy config in the CLI", () => {
  let config: string;
  beforeAll(() => {
    ensureBuilt();
    config = path.join(mkdtempSync(path.join(tmpdir(), "cg-strict-")), "budgets.json");
    writeFileSync(config, JSON.stringify({ "gpu-stack-budget": { monthlyLimit: 50_000 } }));
  }, 120_000);

  it("estimate and check refuse a typo with one line and exit 2, before running anything", async () => {
    const [estimate, check] = await Promise.all([
      runCli(["estimate", "--preview", "tests/fixtures/plans/mixed-changes.json", "--policy-config", config]),
      runCli(["check", "--program", "tests/check/fixtures/throws", "--policy-config", config]),
    ]);
    for (const r of [estimate, check]) {
      expect(r.code, r.stderr).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n")).toEqual([
        `computeguard: policy config ${config}: computeguard policy gpu-stack-budget: invalid config: unknown key monthlyLimit in gpu-stack-budget; did you mean monthlyLimitUsd?`,
      ]);
    }
  }, 60_000);
});
