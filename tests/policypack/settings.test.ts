/**
 * Trust boundaries, driven as the engine drives the pack: the pack-wide settings live in the
 * policy config (computeguard-settings), and an engineer who controls only the environment of
 * `pulumi up` cannot relax the gate with it (hours per month, price sheet, failure modes), unless
 * the settings allow it. Every audit record says which catalog, price sheet and hours priced it.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Diagnostic, StackResourceInput } from "../../harness/engine.js";
import { readAuditRecords } from "../../src/audit/index.js";
import { embeddedCatalog } from "../../src/catalog/catalog.js";
import { parsePriceSheet } from "../../src/pricing/price-sheet.js";
import { pricingFacts } from "../../src/settings/digest.js";
import { by, packSession, provider } from "./support.js";

const pack = packSession();

/** 16 x p5.48xlarge: 16 x $55.04 x 730 h = $642,867.20/mo, over a $100,000 stack budget. */
const FLEET: StackResourceInput[] = Array.from({ length: 16 }, (_, i) => ({
  type: "aws:ec2/instance:Instance",
  name: `trainer-${i}`,
  provider,
  properties: { instanceType: "p5.48xlarge", ami: "ami-123", tags: { team: "research" } },
}));
const BUDGETS = {
  "gpu-resource-budget": { monthlyLimitUsd: 100_000 },
  "gpu-stack-budget": { monthlyLimitUsd: 100_000 },
};

const dir = mkdtempSync(path.join(tmpdir(), "cg-settings-"));
const cheapSheet = path.join(dir, "cheap.json");
writeFileSync(cheapSheet, JSON.stringify({ name: "99.9% off", discountPercent: 99.9 }));

async function runFleet(opts: Parameters<typeof pack.launch>[0]) {
  const { client } = await pack.launch(opts);
  const analyzed: Diagnostic[] = [];
  for (const r of FLEET) analyzed.push(...(await client.analyze(r)).diagnostics);
  const stack = (await client.analyzeStack(FLEET)).diagnostics;
  return {
    analyzed,
    stack,
    summary: client.stdoutAfterPort(),
    records: [...readAuditRecords(pack.auditLog())],
  };
}

const stackBudget = (ds: Diagnostic[]) =>
  by(ds, "gpu-stack-budget").map((d) => [d.enforcementLevel, d.message]);

/**
 * The fleet at full price: trainer-2 is the resource that takes the stack past its limit (the
 * stack phase does not repeat that block), and the summary totals all 16.
 */
function expectFullPrice(
  run: Awaited<ReturnType<typeof runFleet>>,
  each: string,
  third: string,
  total: string,
) {
  expect(stackBudget(run.analyzed).find(([, message]) => message?.startsWith("trainer-2 "))).toEqual([
    "mandatory",
    `trainer-2 (+$${each}/mo) takes the stack's projected spend to $${third}/mo, over its $100,000.00/mo limit`,
  ]);
  expect(run.summary).toContain(`total: baseline $${total}/mo, worst case $${total}/mo`);
}

describe("the environment cannot relax the gate", () => {
  it("COMPUTEGUARD_HOURS_PER_MONTH=1 does not shrink a 16 x p5.48xlarge fleet", async () => {
    const run = await runFleet({
      config: BUDGETS,
      env: { COMPUTEGUARD_HOURS_PER_MONTH: "1" },
    });
    const { summary, records } = run;
    expectFullPrice(run, "40,179.20", "120,537.60", "642,867.20");
    expect(summary).toContain(
      "computeguard: warning: COMPUTEGUARD_HOURS_PER_MONTH=1 is ignored: it would price fewer hours than the 730 of default 730; only allowEnvironmentOverrides: true in computeguard-settings lets the environment relax the gate\n",
    );
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(r.pricing).toMatchObject({ hoursPerMonth: 730, priceSheetDigest: null });
  });

  it("COMPUTEGUARD_PRICE_SHEET at a 99.9 %-off sheet is refused", async () => {
    const run = await runFleet({
      config: BUDGETS,
      env: { COMPUTEGUARD_PRICE_SHEET: cheapSheet },
    });
    const { summary, records } = run;
    expectFullPrice(run, "40,179.20", "120,537.60", "642,867.20");
    expect(summary).toContain(
      `COMPUTEGUARD_PRICE_SHEET=${cheapSheet} is ignored: a price sheet can lower prices`,
    );
    for (const r of records) expect(r.pricing?.priceSheetDigest).toBeNull();
  });

  it("allowEnvironmentOverrides: true in computeguard-settings lets the environment set them", async () => {
    const { analyzed, stack, summary, records } = await runFleet({
      config: { ...BUDGETS, "computeguard-settings": { allowEnvironmentOverrides: true } },
      env: { COMPUTEGUARD_HOURS_PER_MONTH: "1" },
    });
    // 16 x $55.04 x 1 h.
    expect([...stackBudget(analyzed), ...stackBudget(stack)]).toEqual([]);
    expect(summary).not.toContain("is ignored");
    expect(summary).toContain("$880.64");
    for (const r of records) expect(r.pricing?.hoursPerMonth).toBe(1);
  });

  it("COMPUTEGUARD_AUDIT_ON_FAILURE=warn does not let an update through unaudited", async () => {
    const unwritable = { COMPUTEGUARD_AUDIT_LOG: "/dev/null/audit.jsonl" };
    const refused = await pack.launch({
      config: BUDGETS,
      dryRun: false,
      env: { ...unwritable, COMPUTEGUARD_AUDIT_ON_FAILURE: "warn" },
    });
    const blocked = (await refused.client.analyzeStack(FLEET)).diagnostics;
    const auditFailures = (ds: Diagnostic[]) =>
      ds.filter((d) => d.message.includes("the audit record of this decision could not be written"));
    expect(auditFailures(blocked).length).toBeGreaterThan(0);
    expect(auditFailures(blocked).every((d) => d.enforcementLevel === "mandatory")).toBe(true);
    await pack.close();

    // The platform team may choose warn, in the policy config.
    const allowed = await pack.launch({
      config: { ...BUDGETS, "computeguard-settings": { auditOnFailure: "warn" } },
      dryRun: false,
      env: unwritable,
    });
    const warned = auditFailures((await allowed.client.analyzeStack(FLEET)).diagnostics);
    expect(warned.length).toBeGreaterThan(0);
    expect(warned.every((d) => d.enforcementLevel === "advisory")).toBe(true);
  });

  it("COMPUTEGUARD_STORE_ON_FAILURE=warn does not let an update through an unreachable store", async () => {
    const { client } = await pack.launch({
      config: { ...BUDGETS, "gpu-org-budget": { teamLimitsUsd: { research: 1_000_000 } } },
      dryRun: false,
      env: {
        COMPUTEGUARD_STORE_URL: "postgres://computeguard@127.0.0.1:1/computeguard",
        COMPUTEGUARD_STORE_CONNECT_TIMEOUT_MS: "500",
        COMPUTEGUARD_STORE_ON_FAILURE: "warn",
      },
    });
    const org = by((await client.analyze(FLEET[0]!)).diagnostics, "gpu-org-budget");
    expect(org.map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
    expect(org[0]!.message).toContain("the organization's spend ledger could not be updated");
    expect(client.stdoutAfterPort()).toBe("");
  });
});

describe("computeguard-settings", () => {
  it("prices with its price sheet and hours, and every record digests them", async () => {
    const sheet = { name: "acme negotiated", discountPercent: 10 };
    const run = await runFleet({
      config: { ...BUDGETS, "computeguard-settings": { priceSheet: sheet, hoursPerMonth: 700 } },
    });
    const { records } = run;
    // $55.04 x 0.9 x 700 h = $34,675.20 each; 16 of them $554,803.20.
    expectFullPrice(run, "34,675.20", "104,025.60", "554,803.20");
    const facts = pricingFacts(embeddedCatalog(), parsePriceSheet(sheet), 700);
    expect(records.length).toBeGreaterThan(0);
    for (const r of records) expect(r.pricing).toEqual(facts);
  });

  it("a setting that cannot be used stops the run at Configure, naming it", async () => {
    await expect(
      pack.launch({ config: { "computeguard-settings": { priceSheet: path.join(dir, "missing.json") } } }),
    ).rejects.toThrow(/computeguard-settings priceSheet: cannot read price sheet .*missing\.json/);
    // A misspelt setting is refused too, not left at its default.
    await expect(
      pack.launch({ config: { "computeguard-settings": { hoursPerMonths: 700 } } }),
    ).rejects.toThrow(/hoursPerMonths/);
  });

  it("has a strict config schema, and judges nothing", async () => {
    const { client, info } = await pack.launch();
    const settings = info.policies.find((p) => p.name === "computeguard-settings");
    expect(settings?.configSchema?.properties).toHaveProperty("allowEnvironmentOverrides");
    await expect(
      pack.launch({ config: { "computeguard-settings": { hoursPerMonths: 700 } } }),
    ).rejects.toThrow(/hoursPerMonths/);
    const ds = (await client.analyze(FLEET[0]!)).diagnostics;
    expect(ds.length).toBeGreaterThan(0);
    expect(by(ds, "computeguard-settings")).toEqual([]);
  });
});
