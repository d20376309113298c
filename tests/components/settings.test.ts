/**
 * Components read the same settings as every front door (src/settings/resolve.ts): their own
 * priceSheet / priceSheetPath / catalogPath arguments, else COMPUTEGUARD_* from the environment,
 * else the defaults; costAssumptions says which, and that a price sheet is missing.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { embeddedCatalog } from "../../src/catalog/catalog.js";
import { formatAmount, money } from "../../src/money.js";
import { installMocks, resolved } from "./mocks.js";

let components: typeof import("../../components/index.js");
const dir = mkdtempSync(path.join(tmpdir(), "cg-component-settings-"));

/** A refreshed catalog in which p5.48xlarge in us-east-1 costs $44.00/h. */
const catalogPath = path.join(dir, "catalog.json");
const p5 = embeddedCatalog().find("p5.48xlarge", "us-east-1")!;
writeFileSync(
  catalogPath,
  JSON.stringify({
    schemaVersion: 1,
    catalogVersion: "2026-12-01",
    currency: "USD",
    sources: { refresh: { title: "a refresh", reference: "prices refresh", date: "2026-12-01" } },
    entries: [{ ...p5, usdPerHour: "44.00", sourceId: "refresh", priceAsOf: "2026-12-01" }],
  }),
);
const sheetPath = path.join(dir, "sheet.json");
writeFileSync(sheetPath, JSON.stringify({ name: "env sheet", discountPercent: 50 }));

const saved = { ...process.env };
afterEach(() => {
  for (const key of [
    "COMPUTEGUARD_PRICE_SHEET",
    "COMPUTEGUARD_CATALOG",
    "COMPUTEGUARD_HOURS_PER_MONTH",
    "COMPUTEGUARD_POLICY_CONFIG",
  ]) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

beforeAll(async () => {
  installMocks();
  components = await import("../../components/index.js");
});

describe("component settings", () => {
  it("catalogPath prices from a refreshed catalog", async () => {
    const gpu = new components.GpuInstance("refreshed", {
      instanceType: "p5.48xlarge",
      ami: "ami-0abc",
      catalogPath,
    });
    // $44.00 x 730 h.
    expect(await resolved(gpu.monthlyWorstCaseUsd)).toBe("32120.00");
    expect(await resolved(gpu.costAssumptions)).toContainEqual(
      expect.stringContaining(`price catalog: catalogPath ${catalogPath} over the embedded catalog`),
    );
  });

  it("without arguments, COMPUTEGUARD_* from the environment, each said in costAssumptions", async () => {
    process.env.COMPUTEGUARD_CATALOG = catalogPath;
    process.env.COMPUTEGUARD_PRICE_SHEET = sheetPath;
    process.env.COMPUTEGUARD_HOURS_PER_MONTH = "100";
    const gpu = new components.GpuInstance("from-env", { instanceType: "p5.48xlarge", ami: "ami-0abc" });
    // $44.00 x 50 % x 100 h.
    expect(await resolved(gpu.monthlyWorstCaseUsd)).toBe("2200.00");
    const note = (await resolved(gpu.costAssumptions)).find((a) => a.startsWith("priced with"));
    expect(note).toContain(`price sheet "env sheet" (COMPUTEGUARD_PRICE_SHEET ${sheetPath})`);
    expect(note).toContain("100 hours per month (COMPUTEGUARD_HOURS_PER_MONTH)");
  });

  it("says so when no price sheet is set, rather than leaving it unsaid", async () => {
    const gpu = new components.GpuInstance("public", { instanceType: "p5.48xlarge", ami: "ami-0abc" });
    expect(await resolved(gpu.monthlyWorstCaseUsd)).toBe("40179.20");
    expect(await resolved(gpu.costAssumptions)).toContainEqual(
      "priced with price catalog: embedded; no price sheet (give priceSheet, priceSheetPath or COMPUTEGUARD_PRICE_SHEET for negotiated prices): public on-demand prices; 730 hours per month (default 730); default region us-east-1 (built-in default us-east-1); no policy config (set COMPUTEGUARD_POLICY_CONFIG to the pack's policy config file so these figures follow its computeguard-settings)",
    );
  });

  it("a catalogPath that cannot be read is an argument error naming it", () => {
    expect(
      () =>
        new components.GpuInstance("bad", {
          instanceType: "p5.48xlarge",
          ami: "ami-0abc",
          catalogPath: path.join(dir, "none.json"),
        }),
    ).toThrow(/catalogPath: cannot read price catalog .*none\.json/);
  });

  describe("the pack's settings, from the policy config COMPUTEGUARD_POLICY_CONFIG names", () => {
    // As a platform team writes it for `pulumi preview --policy-pack-config`: paths relative to it.
    const configDir = mkdtempSync(path.join(tmpdir(), "cg-component-policy-config-"));
    const policyConfig = path.join(configDir, "budgets.json");
    writeFileSync(
      path.join(configDir, "negotiated.json"),
      JSON.stringify({ name: "negotiated", discountPercent: 50 }),
    );
    writeFileSync(
      policyConfig,
      JSON.stringify({
        "gpu-resource-budget": { monthlyLimitUsd: 30_000 },
        "computeguard-settings": { priceSheet: "negotiated.json", hoursPerMonth: 744 },
      }),
    );

    /** The error a component throws, with the structured problems Construct answers other languages with. */
    function thrownBy(build: () => unknown): { message: string; errors: { propertyPath: string }[] } {
      try {
        build();
      } catch (error) {
        return error as { message: string; errors: { propertyPath: string }[] };
      }
      throw new Error("expected the component to throw");
    }

    it("prices with the settings the gate prices with, and says where they came from", async () => {
      process.env.COMPUTEGUARD_POLICY_CONFIG = policyConfig;
      const gpu = new components.GpuInstance("gated", { instanceType: "p5.48xlarge", ami: "ami-0abc" });
      // The catalog's $55.04/h x 50 % x 744 h, as the pack and `check --policy-config` price it.
      const expected = formatAmount(money(p5.usdPerHour!).times("0.5").times(744));
      expect(expected).toBe("20474.88");
      expect(await resolved(gpu.monthlyWorstCaseUsd)).toBe(expected);
      const note = (await resolved(gpu.costAssumptions)).find((a) => a.startsWith("priced with"));
      expect(note).toContain('price sheet "negotiated" (computeguard-settings priceSheet negotiated.json)');
      expect(note).toContain("744 hours per month (computeguard-settings hoursPerMonth)");
      expect(note).toContain(`settings of the policy config (COMPUTEGUARD_POLICY_CONFIG ${policyConfig})`);
    });

    it("the environment only tightens them, as in the pack, and a refused variable is said", async () => {
      process.env.COMPUTEGUARD_POLICY_CONFIG = policyConfig;
      process.env.COMPUTEGUARD_HOURS_PER_MONTH = "100";
      process.env.COMPUTEGUARD_PRICE_SHEET = sheetPath;
      const gpu = new components.GpuInstance("gated-env", { instanceType: "p5.48xlarge", ami: "ami-0abc" });
      expect(await resolved(gpu.monthlyWorstCaseUsd)).toBe("20474.88");
      const note = (await resolved(gpu.costAssumptions)).find((a) => a.startsWith("priced with"));
      expect(note).toContain("COMPUTEGUARD_HOURS_PER_MONTH=100 is ignored");
      expect(note).toContain(
        `COMPUTEGUARD_PRICE_SHEET=${sheetPath} is ignored: a price sheet can lower prices`,
      );
    });

    it("a policy config that cannot be read, or a bad setting in it, is a problem naming it", () => {
      process.env.COMPUTEGUARD_POLICY_CONFIG = path.join(configDir, "missing.json");
      const missing = thrownBy(
        () => new components.GpuInstance("no-config", { instanceType: "p5.48xlarge", ami: "ami-0abc" }),
      );
      expect(missing.message).toMatch(
        /GpuInstance "no-config": COMPUTEGUARD_POLICY_CONFIG .*missing\.json: cannot read the policy config/,
      );
      expect(missing.errors.map((e) => e.propertyPath)).toEqual(["COMPUTEGUARD_POLICY_CONFIG"]);

      const misspelt = path.join(configDir, "misspelt.json");
      writeFileSync(misspelt, JSON.stringify({ "computeguard-settings": { hoursPerMonthh: 700 } }));
      process.env.COMPUTEGUARD_POLICY_CONFIG = misspelt;
      const bad = thrownBy(
        () => new components.GpuInstance("misspelt", { instanceType: "p5.48xlarge", ami: "ami-0abc" }),
      );
      expect(bad.message).toContain("hoursPerMonthh");
      expect(bad.errors.map((e) => e.propertyPath)).toEqual(["COMPUTEGUARD_POLICY_CONFIG"]);
    });
  });

  it("an environment variable that cannot be used is a problem naming it, not a wrong argument", () => {
    process.env.COMPUTEGUARD_HOURS_PER_MONTH = "lots";
    let thrown: { message: string; errors: { propertyPath: string }[] } | undefined;
    try {
      new components.GpuInstance("bad-env", { instanceType: "p5.48xlarge", ami: "ami-0abc" });
    } catch (error) {
      thrown = error as typeof thrown;
    }
    expect(thrown?.message).toContain(
      'COMPUTEGUARD_HOURS_PER_MONTH must be a number in (0, 744], got "lots"',
    );
    expect(thrown?.errors.map((e) => e.propertyPath)).toEqual(["COMPUTEGUARD_HOURS_PER_MONTH"]);
  });
});
