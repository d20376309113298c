/**
 * A refreshed catalog is used: a catalog written by `prices import` from an offer file in which
 * AWS cut p5.48xlarge to $44.00/h is laid over the embedded catalog by (service, type, region),
 * keeping each entry's provenance, and prices the same resources in `estimate`, `check` and the
 * pack (driven as the engine drives it). Its date (2026-07-20) drives the staleness warning,
 * which each front door says once, the same way.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedCatalog } from "../../src/catalog/catalog.js";
import { catalogAge } from "../../src/catalog/staleness.js";
import { resolveSettings } from "../../src/settings/resolve.js";
import { by, packSession, provider } from "../policypack/support.js";
import { ensureBuilt, ROOT as REPO, runCli } from "../support/cli.js";
import { FIXTURES } from "./support/fixtures.js";

const dir = mkdtempSync(join(tmpdir(), "cg-catalog-in-use-"));
const offer = join(dir, "ec2-us-east-1-cut.offer.json");
const overlay = join(dir, "catalog-2026-07-20.json");
const EXPORT = join(REPO, "examples/two-p5-stack-export.json");
const DAY_MS = 86_400_000;
const ageDays = () => Math.floor((Date.now() - Date.parse("2026-07-20T00:00:00Z")) / DAY_MS);
const staleLine = () =>
  `computeguard: warning: the price catalog is ${ageDays()} days old (its newest price is dated 2026-07-20, source aws-price-list-AmazonEC2-us-east-1-2026-07-20), over the 90-day limit`;
const count = (text: string, part: string) => text.split(part).length - 1;
/** Nothing inherited that would change the catalog or its limit. */
const CLEAN = { COMPUTEGUARD_CATALOG: "", COMPUTEGUARD_MAX_CATALOG_AGE_DAYS: "", AWS_REGION: "" };

beforeAll(async () => {
  ensureBuilt();
  // The trimmed us-east-1 offer with p5.48xlarge's on-demand rate cut from $55.04 to $44.00.
  const text = readFileSync(join(FIXTURES, "ec2-us-east-1.offer.json"), "utf8");
  const cut = text.replace(
    /("3D4V8UAYEMB38GU2\.JRTCKXETXF\.6YS6EN2CT7"[\s\S]*?"USD" : )"55\.0400000000"/,
    '$1"44.0000000000"',
  );
  expect(cut).not.toBe(text);
  writeFileSync(offer, cut);
  const imported = await runCli([
    "prices",
    "import",
    "--offer-file",
    offer,
    "--specs-catalog",
    join(FIXTURES, "specs-catalog.json"),
    "--out",
    overlay,
  ]);
  expect(imported.code, imported.stderr).toBe(0);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the overlay", () => {
  it("replaces entries by (service, type, region), keeps every other entry and each one's provenance", () => {
    const { catalog } = resolveSettings({ explicit: { catalog: overlay }, env: {} });
    const embedded = embeddedCatalog();
    const p5 = catalog!.find("p5.48xlarge", "us-east-1")!;
    expect(p5).toMatchObject({ usdPerHour: "44", priceAsOf: "2026-07-20" });
    expect(catalog!.sources[p5.sourceId]?.reference).toContain("ec2-us-east-1-cut.offer.json");
    // Other regions and services keep the embedded entry, source and date.
    expect(catalog!.find("p5.48xlarge", "us-west-2")).toEqual(embedded.find("p5.48xlarge", "us-west-2"));
    expect(catalog!.find("ml.g5.2xlarge", "us-east-1")).toEqual(embedded.find("ml.g5.2xlarge", "us-east-1"));
    expect(catalog!.entries.length).toBe(embedded.entries.length);
    expect(catalog!.bedrockRates).toEqual(embedded.bedrockRates);
    // As fresh as the overlay, not as the embedded entries it leaves in place.
    expect(catalogAge(catalog!, new Date("2026-12-05T00:00:00Z"))).toMatchObject({
      days: 138,
      newestPriceDate: "2026-07-20",
    });
    expect(catalog!.version.slice(0, 10)).toBe("2026-07-20");
  });
});

describe("estimate", () => {
  it("--catalog prices with it and warns once that it is stale", async () => {
    const r = await runCli(["estimate", "--stack-export", EXPORT, "--catalog", overlay, "--format", "json"], {
      env: CLEAN,
    });
    expect(r.code, r.stderr).toBe(0);
    // 2 x p5.48xlarge x $44.00 x 730 h.
    expect(JSON.parse(r.stdout).totals.monthlyWorstCase).toBe("64240.00");
    expect(count(r.stderr, staleLine())).toBe(1);
    expect(count(r.stderr, "computeguard: warning:")).toBe(1);
  });

  it("COMPUTEGUARD_CATALOG prices with it; without it the embedded catalog (no warning)", async () => {
    const withEnv = await runCli(["estimate", "--stack-export", EXPORT, "--format", "json"], {
      env: { ...CLEAN, COMPUTEGUARD_CATALOG: overlay },
    });
    expect(JSON.parse(withEnv.stdout).totals.monthlyWorstCase).toBe("64240.00");
    expect(count(withEnv.stderr, staleLine())).toBe(1);
    const without = await runCli(["estimate", "--stack-export", EXPORT, "--format", "json"], {
      env: CLEAN,
    });
    expect(JSON.parse(without.stdout).totals.monthlyWorstCase).toBe("80358.40");
    expect(without.stderr).toBe("");
  });

  it("a catalog file that is not one is one line naming it, exit 2", async () => {
    const r = await runCli(["estimate", "--stack-export", EXPORT, "--catalog", EXPORT], { env: CLEAN });
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(/^computeguard: --catalog .*two-p5-stack-export\.json: invalid price catalog: /),
    ]);
  });
});

describe("prices list", () => {
  it("lists the catalog in use and warns the same way", async () => {
    const r = await runCli(["prices", "--type", "p5.48xlarge", "--region", "us-east-1", "--format", "json"], {
      env: { ...CLEAN, COMPUTEGUARD_CATALOG: overlay },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).entries[0]).toMatchObject({ usdPerHour: "44" });
    expect(count(r.stderr, staleLine())).toBe(1);
  });
});

describe("check", () => {
  const program = ["--program", "tests/check/fixtures/p5-trainer", "--format", "json"];
  const trainer = (stdout: string) =>
    (
      JSON.parse(stdout) as { resources: Array<{ name: string; monthly?: { worstCase: { total: string } } }> }
    ).resources.find((r) => r.name === "trainer");

  it("--catalog prices with it", async () => {
    const r = await runCli(["check", ...program, "--catalog", overlay], {
      env: { ...CLEAN, COMPUTEGUARD_AUDIT_LOG: join(dir, "a.jsonl") },
    });
    expect(trainer(r.stdout)?.monthly?.worstCase.total).toBe("32120.00");
    expect(count(r.stderr, staleLine())).toBe(1);
  });

  it("COMPUTEGUARD_CATALOG is refused unless computeguard-settings allows the environment", async () => {
    const env = { ...CLEAN, COMPUTEGUARD_CATALOG: overlay, COMPUTEGUARD_AUDIT_LOG: join(dir, "b.jsonl") };
    const refused = await runCli(["check", ...program], { env });
    expect(trainer(refused.stdout)?.monthly?.worstCase.total).toBe("40179.20");
    expect(refused.stderr).toContain(`computeguard: warning: COMPUTEGUARD_CATALOG=${overlay} is ignored`);
    const config = join(dir, "allow.json");
    writeFileSync(config, JSON.stringify({ "computeguard-settings": { allowEnvironmentOverrides: true } }));
    const allowed = await runCli(["check", ...program, "--policy-config", config], { env });
    expect(trainer(allowed.stdout)?.monthly?.worstCase.total).toBe("32120.00");
    expect(count(allowed.stderr, staleLine())).toBe(1);
  });
});

describe("the pack", () => {
  const pack = packSession();
  const p5 = {
    type: "aws:ec2/instance:Instance",
    name: "trainer",
    provider,
    properties: { instanceType: "p5.48xlarge", ami: "ami-123", tags: { team: "research" } },
  };
  const limit = { "gpu-resource-budget": { monthlyLimitUsd: 35_000 } };

  it("prices with computeguard-settings' catalog, and its summary warns once that it is stale", async () => {
    const { client } = await pack.launch({
      config: { ...limit, "computeguard-settings": { catalog: overlay } },
    });
    // $44.00 x 730 h = $32,120.00: within a $35,000 limit the embedded $40,179.20 would break.
    expect(by((await client.analyze(p5)).diagnostics, "gpu-resource-budget")).toEqual([]);
    await client.analyzeStack([p5]);
    const summary = client.stdoutAfterPort();
    expect(summary).toContain("$32,120.00");
    expect(count(summary, staleLine())).toBe(1);
  });

  it("COMPUTEGUARD_CATALOG only with allowEnvironmentOverrides", async () => {
    const env = { COMPUTEGUARD_CATALOG: overlay };
    const refused = await pack.launch({ config: limit, env });
    const blocked = by((await refused.client.analyze(p5)).diagnostics, "gpu-resource-budget");
    expect(blocked.map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
    expect(blocked[0]!.message).toContain("$40,179.20/mo");
    await pack.close();

    const allowed = await pack.launch({
      config: { ...limit, "computeguard-settings": { allowEnvironmentOverrides: true } },
      env,
    });
    expect(by((await allowed.client.analyze(p5)).diagnostics, "gpu-resource-budget")).toEqual([]);
  });
});
