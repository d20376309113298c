/**
 * Strict config through the engine: GetAnalyzerInfo's configSchema refuses unknown nested keys
 * (the engine validates them), and the pack itself refuses unknown top-level keys, which the Node
 * SDK cannot send (its PolicyConfigSchema carries only properties and required).
 */
import { describe, expect, it } from "vitest";
import { toPolicyConfigSchema } from "../../src/policy/config-schema.js";
import { RULES } from "../../src/policy/rules/index.js";
import { packSession, provider } from "./support.js";

const pack = packSession();

const p5 = (name: string) => ({
  type: "aws:ec2/instance:Instance",
  name,
  provider,
  properties: { instanceType: "p5.48xlarge", ami: "ami-123", tags: { team: "research" } },
});

/** Object nodes under a schema's properties that list their own properties. */
function nested(node: unknown, at: string, out: Array<[string, Record<string, unknown>]>): void {
  if (typeof node !== "object" || node === null) return;
  const n = node as Record<string, unknown>;
  if (n.properties && typeof n.properties === "object") out.push([at, n]);
  for (const [k, v] of Object.entries((n.properties as Record<string, unknown>) ?? {}))
    nested(v, `${at}.${k}`, out);
  if (n.items) nested(n.items, `${at}[]`, out);
  if (typeof n.additionalProperties === "object") nested(n.additionalProperties, `${at}{}`, out);
}

describe("strict config, engine-driven", () => {
  it("GetAnalyzerInfo: the bundle's prebuilt config schemas are the rules' own", async () => {
    const { info } = await pack.launch();
    expect(info.policies.map((p) => p.name).sort()).toEqual(RULES.map((r) => r.name).sort());
    for (const rule of RULES) {
      const own = toPolicyConfigSchema(rule.config);
      const sent = info.policies.find((p) => p.name === rule.name)?.configSchema;
      // The Node SDK sends properties and required only.
      expect(sent, rule.name).toEqual({ properties: own.properties, required: own.required ?? [] });
    }
  });

  it("GetAnalyzerInfo: every nested object of every configSchema refuses additional properties", async () => {
    const { info } = await pack.launch();
    let objects = 0;
    for (const policy of info.policies) {
      const out: Array<[string, Record<string, unknown>]> = [];
      for (const [k, v] of Object.entries(policy.configSchema?.properties ?? {}))
        nested(v, `${policy.name}.${k}`, out);
      for (const [at, node] of out) expect(node.additionalProperties, at).toBe(false);
      objects += out.length;
    }
    // The waiver entries of four policies and buy-vs-build's per-model prices, at least.
    expect(objects).toBeGreaterThanOrEqual(5);
  });

  it("the engine refuses an unknown nested key before Configure", async () => {
    const price = { inputUsdPer1m: 1, outputUsdPer1m: 2, outputUsdPer1M: 3 };
    await expect(pack.launch({ config: { "buy-vs-build": { apiPrices: { m: price } } } })).rejects.toThrow(
      /buy-vs-build: apiPrices\.m: Additional property outputUsdPer1M is not allowed/,
    );
  });

  it("the pack refuses an unknown top-level key at the first resource, naming it and the key meant", async () => {
    const { client } = await pack.launch({ config: { "gpu-stack-budget": { monthlyLimit: 50_000 } } });
    await expect(client.analyze(p5("trainer-0"))).rejects.toThrow(
      /unknown key monthlyLimit in gpu-stack-budget; did you mean monthlyLimitUsd\?/,
    );
  });

  it("a config without typos still runs (the limit it names is the one applied)", async () => {
    const { client } = await pack.launch({ config: { "gpu-stack-budget": { monthlyLimitUsd: 30_000 } } });
    const { diagnostics } = await client.analyze(p5("trainer-0"));
    const stack = diagnostics.filter((d) => d.policyName === "gpu-stack-budget");
    expect(stack.map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
    expect(stack[0]!.message).toContain("over its $30,000.00/mo limit");
  });
});
