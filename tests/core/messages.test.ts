/**
 * Every message computeguard generates over the per-type fixtures (estimate reasons, assumptions,
 * line items, and every policy's findings at default config) reads as written: no `undefined`,
 * `NaN` or `[object Object]` from a missing value, and no doubled full stop ("rate..").
 */
import { describe, expect, it } from "vitest";
import { parseCatalog } from "../../src/catalog/catalog.js";
import { estimateStack } from "../../src/estimate/estimator.js";
import { reconcilePackConfig, runGate } from "../../src/policy/gate.js";
import { estimateJson } from "../../src/report/estimate-json.js";
import { discoverCases, inputsOf, optionsOf } from "./support/resource-fixtures.js";

// A range ("scales 1..3") and an ellipsis are fine; a sentence's doubled stop is not.
const BROKEN = /undefined|NaN|\[object Object\]|(?<![.\d])\.\.(?![.\d])/;

const policies = reconcilePackConfig({});

describe("generated messages over every fixture", () => {
  it.each(discoverCases().map((c) => [c.id, c] as const))("%s", (_id, { fixture }) => {
    const inputs = inputsOf(fixture);
    const options = optionsOf(fixture);
    const report = estimateJson(estimateStack(inputs, options), { priceSheet: options.priceSheet?.name });
    const texts = report.resources.flatMap((r) => [
      r.reason ?? "",
      ...r.assumptions,
      ...[r.monthly?.baseline, r.monthly?.worstCase, r.oneTime].flatMap((b) =>
        (b?.lineItems ?? []).map((l) => l.description),
      ),
    ]);
    const { findings } = runGate(inputs, policies, { stack: "prod", ...options });
    texts.push(...findings.map((f) => f.message));
    expect(texts.length).toBeGreaterThan(0);
    for (const text of texts) expect(text).not.toMatch(BROKEN);
  });

  it("the scan catches what it looks for", () => {
    for (const bad of ["rate.. To price it", "costs $undefined", "NaN h", "[object Object]"])
      expect(bad).toMatch(BROKEN);
    for (const fine of ["1, 2, ...", "scales 1..3"]) expect(fine).not.toMatch(BROKEN);
  });
});

describe("an unpriced type whose catalog reason is a sentence", () => {
  // One stale row and no priced region elsewhere: the reason ends the message's own sentence.
  const catalog = parseCatalog(
    {
      schemaVersion: 1,
      catalogVersion: "2026-07-20",
      description: "one stale row",
      currency: "USD",
      sources: { s: { title: "t", reference: "r", date: "2025-05-31" } },
      entries: [
        {
          instanceType: "p4d.24xlarge",
          service: "ec2",
          family: "p4d",
          region: "us-west-2",
          usdPerHour: null,
          sourceId: "s",
          priceAsOf: "2025-05-31",
          unpricedReason: "AWS cut p4d prices in June 2025, so it is stale. Add a price-sheet rate.",
          accelerator: { vendor: "nvidia", model: "NVIDIA A100", count: 8, memoryGiBEach: 40 },
          vcpu: 96,
          memoryGiB: 1152,
        },
      ],
    },
    "test catalog",
  );
  it("reads 'Add a price-sheet rate. To price it', never 'rate..'", () => {
    const input = {
      urn: "urn:pulumi:prod::p::aws:ec2/instance:Instance::a100",
      type: "aws:ec2/instance:Instance",
      name: "a100",
      props: { instanceType: "p4d.24xlarge" },
      providerRegion: "us-west-2",
    };
    const { findings } = runGate([input], policies, { stack: "prod", catalog });
    const unpriced = findings.filter((f) => f.policy === "unpriced-accelerators" && f.decision === "blocked");
    expect(unpriced).toHaveLength(1);
    expect(unpriced[0]!.message).toContain("Add a price-sheet rate. To price it, add");
    for (const f of findings) expect(f.message).not.toMatch(BROKEN);
  });
});
