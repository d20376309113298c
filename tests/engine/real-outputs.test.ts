/**
 * The pack driven like the engine with what the AWS provider really writes: outputs (AnalyzeStack
 * after `pulumi up`) carry `null` for every unset nested block. A plain instance must pass with no
 * finding; a GPU instance with the same nulls is priced to the cent. The shapes are the per-type
 * fixture `aws/ec2/instance/real-outputs-nulls` (reduced from provider outputs).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import type { ProviderInput, StackResourceInput } from "../../harness/engine.js";
import type { FixtureCase } from "../core/support/resource-fixtures.js";
import { packSession, ROOT } from "../policypack/support.js";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const fixture = JSON.parse(
  readFileSync(
    path.join(ROOT, "tests/fixtures/resources/aws/ec2/instance/real-outputs-nulls/case.json"),
    "utf8",
  ),
) as FixtureCase;

const provider: ProviderInput = {
  type: "pulumi:providers:aws",
  name: "default_6_45_0",
  properties: { region: "us-west-2" },
};

function resource(name: string): StackResourceInput {
  const r = fixture.resources.find((x) => x.name === name);
  if (!r) throw new Error(`no ${name} in the fixture`);
  return { type: r.type, name: r.name, provider, properties: r.props };
}

const pack = packSession();

describe("AnalyzeStack with real provider outputs (nulls for unset blocks)", () => {
  const plain = ["web-t2-micro", "api-t3-medium", "worker-m5-large"];

  it("the outputs really hold nulls (the shape under test)", () => {
    const props = resource("web-t2-micro").properties!;
    expect(props.instanceMarketOptions).toBeNull();
    expect(props.launchTemplate).toBeNull();
    expect(
      (props.capacityReservationSpecification as Record<string, unknown>).capacityReservationTarget,
    ).toBe(null);
  });

  it("t2.micro, t3.medium and m5.large: no finding in Analyze or AnalyzeStack", async () => {
    const { client } = await pack.launch();
    for (const name of plain) expect((await client.analyze(resource(name))).diagnostics, name).toEqual([]);
    expect((await client.analyzeStack(plain.map(resource))).diagnostics).toEqual([]);
  });

  it("a GPU instance with the same nulls is priced to the cent, with no unpriced finding", async () => {
    const { client } = await pack.launch();
    const stack = await client.analyzeStack([...plain.map(resource), resource("gpu-g4dn-xlarge")]);
    expect(stack.diagnostics.filter((d) => d.policyName === "unpriced-accelerators")).toEqual([]);
    expect(stack.diagnostics.map((d) => d.message).join("\n")).not.toMatch(/malformed|received null/);
    // g4dn.xlarge in us-west-2 (its provider region): $0.526/h x 730 h = $383.98/mo.
    expect(client.stdoutAfterPort()).toContain("total: baseline $383.98/mo, worst case $383.98/mo");
  });
});
