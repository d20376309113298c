/**
 * The one settings resolver (src/settings/resolve.ts): computeguard-settings in the policy config,
 * explicit choices, and the environment, which can only make the gate stricter unless the
 * settings allow it.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { embeddedCatalog } from "../../src/catalog/catalog.js";
import { catalogDigest, pricingFacts } from "../../src/settings/digest.js";
import { resolveSettings, SettingsError } from "../../src/settings/resolve.js";

const SHEET = { name: "acme", discountPercent: 10 };
const CHEAP = { name: "99.9% off", discountPercent: 99.9 };
const files: Record<string, string> = {
  "/cfg/sheet.json": JSON.stringify(SHEET),
  "/env/cheap.json": JSON.stringify(CHEAP),
};
const readFile = (path: string) => {
  const text = files[path];
  if (text === undefined) throw new Error("ENOENT: no such file");
  return text;
};
const resolve = (policy: unknown, env: Record<string, string> = {}, explicit = {}) =>
  resolveSettings({ policy, env, explicit, readFile, policyDir: "/cfg" });

describe("resolveSettings", () => {
  it("defaults: no price sheet, the embedded catalog, us-east-1, 730 hours, 90 days", () => {
    const s = resolve({});
    expect(s).toMatchObject({
      priceSheet: undefined,
      catalog: undefined,
      catalogSource: "embedded",
      defaultRegion: "us-east-1",
      defaultRegionSource: "built-in default us-east-1",
      hoursPerMonth: 730,
      maxCatalogAgeDays: 90,
      storeOnFailure: undefined,
      auditOnFailure: undefined,
      allowEnvironmentOverrides: false,
      refused: [],
    });
  });

  it("reads computeguard-settings: a price sheet path relative to the policy config, region, hours", () => {
    const s = resolve({ priceSheet: "sheet.json", defaultRegion: "eu-west-1", hoursPerMonth: 500 });
    expect(s.priceSheet).toMatchObject(SHEET);
    expect(s.priceSheetSource).toBe("computeguard-settings priceSheet sheet.json");
    expect(s).toMatchObject({
      defaultRegion: "eu-west-1",
      defaultRegionSource: "computeguard-settings defaultRegion",
      hoursPerMonth: 500,
      hoursPerMonthSource: "computeguard-settings hoursPerMonth",
    });
    expect(resolve({ priceSheet: SHEET }).priceSheet).toMatchObject(SHEET);
  });

  it("an environment that would lower the projection is refused and said so", () => {
    const s = resolve(
      {},
      {
        COMPUTEGUARD_HOURS_PER_MONTH: "1",
        COMPUTEGUARD_PRICE_SHEET: "/env/cheap.json",
        COMPUTEGUARD_STORE_ON_FAILURE: "warn",
        COMPUTEGUARD_AUDIT_ON_FAILURE: "WARN",
      },
    );
    expect(s.hoursPerMonth).toBe(730);
    expect(s.priceSheet).toBeUndefined();
    expect(s.storeOnFailure).toBeUndefined();
    expect(s.auditOnFailure).toBeUndefined();
    expect(s.refused).toEqual([
      expect.stringMatching(
        /^COMPUTEGUARD_HOURS_PER_MONTH=1 is ignored: it would price fewer hours than the 730 of default 730; only allowEnvironmentOverrides: true/,
      ),
      expect.stringMatching(
        /^COMPUTEGUARD_PRICE_SHEET=\/env\/cheap.json is ignored: a price sheet can lower prices/,
      ),
      expect.stringMatching(/^COMPUTEGUARD_STORE_ON_FAILURE=warn is ignored/),
      expect.stringMatching(/^COMPUTEGUARD_AUDIT_ON_FAILURE=WARN is ignored/),
    ]);
  });

  it("an environment that makes the gate stricter applies", () => {
    const s = resolve(
      { hoursPerMonth: 200, storeOnFailure: "warn", maxCatalogAgeDays: 60 },
      {
        COMPUTEGUARD_HOURS_PER_MONTH: "744",
        COMPUTEGUARD_STORE_ON_FAILURE: "block",
        COMPUTEGUARD_AUDIT_ON_FAILURE: "blokc",
        COMPUTEGUARD_MAX_CATALOG_AGE_DAYS: "30",
      },
    );
    expect(s).toMatchObject({
      hoursPerMonth: 744,
      hoursPerMonthSource: "COMPUTEGUARD_HOURS_PER_MONTH",
      storeOnFailure: "block",
      // A typo fails closed (failureLevel reads any other text as mandatory).
      auditOnFailure: "blokc",
      maxCatalogAgeDays: 30,
      refused: [],
    });
  });

  it("a spend claim on the org budget: the environment may lengthen it, shortening it needs the allowance", () => {
    const short = resolve({ storeClaimTtlSeconds: 3600 }, { COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS: "1" });
    expect(short.storeClaimTtlSeconds).toBe(3600);
    expect(short.refused).toEqual([
      expect.stringMatching(
        /^COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS=1 is ignored: a claim shorter than 3600 s frees org budget/,
      ),
    ]);
    expect(resolve({}, { COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS: "14400" }).storeClaimTtlSeconds).toBe(14400);
    expect(resolve({}).storeClaimTtlSeconds).toBe(7200);
    const allowed = resolve(
      { allowEnvironmentOverrides: true },
      { COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS: "1" },
    );
    expect(allowed.storeClaimTtlSeconds).toBe(1);
    expect(() => resolve({}, { COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS: "2h" })).toThrow(
      /COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS must be a whole number of seconds, got "2h"/,
    );
    expect(() => resolve({ storeClaimTtlSeconds: 0 })).toThrow(/storeClaimTtlSeconds/);
  });

  it("allowEnvironmentOverrides lets the environment relax every setting", () => {
    const s = resolve(
      { allowEnvironmentOverrides: true, priceSheet: "sheet.json", defaultRegion: "eu-west-1" },
      {
        COMPUTEGUARD_HOURS_PER_MONTH: "1",
        COMPUTEGUARD_PRICE_SHEET: "/env/cheap.json",
        COMPUTEGUARD_STORE_ON_FAILURE: "warn",
        COMPUTEGUARD_DEFAULT_REGION: "ap-south-1",
      },
    );
    expect(s.hoursPerMonth).toBe(1);
    expect(s.priceSheet).toMatchObject(CHEAP);
    expect(s.storeOnFailure).toBe("warn");
    expect(s.defaultRegion).toBe("ap-south-1");
    expect(s.refused).toEqual([]);
  });

  it("without a policy config (nothing gated: estimate without one, prices) the environment applies", () => {
    const s = resolve(undefined, {
      COMPUTEGUARD_HOURS_PER_MONTH: "1",
      COMPUTEGUARD_PRICE_SHEET: "/env/cheap.json",
    });
    expect(s.hoursPerMonth).toBe(1);
    expect(s.priceSheet?.name).toBe("99.9% off");
    expect(s.refused).toEqual([]);
  });

  it("the region: explicit, then the settings (over COMPUTEGUARD_DEFAULT_REGION), then AWS_REGION", () => {
    expect(resolve({}, { AWS_REGION: "us-west-2" })).toMatchObject({
      defaultRegion: "us-west-2",
      defaultRegionSource: "environment AWS_REGION",
    });
    expect(resolve({ defaultRegion: "eu-west-1" }, { AWS_REGION: "us-west-2" }).defaultRegion).toBe(
      "eu-west-1",
    );
    const refused = resolve({ defaultRegion: "eu-west-1" }, { COMPUTEGUARD_DEFAULT_REGION: "us-west-2" });
    expect(refused.defaultRegion).toBe("eu-west-1");
    expect(refused.refused[0]).toMatch(/^COMPUTEGUARD_DEFAULT_REGION=us-west-2 is ignored/);
    expect(resolve({}, { COMPUTEGUARD_DEFAULT_REGION: "us-west-2" }).defaultRegion).toBe("us-west-2");
    expect(
      resolve({ defaultRegion: "eu-west-1" }, {}, { region: "ap-south-1", names: { region: "--region" } }),
    ).toMatchObject({ defaultRegion: "ap-south-1", defaultRegionSource: "--region" });
  });

  it("explicit choices (flags, component arguments) win over the settings", () => {
    const s = resolve(
      { hoursPerMonth: 730, priceSheet: "sheet.json" },
      {},
      {
        hoursPerMonth: "100",
        priceSheet: "/env/cheap.json",
      },
    );
    expect(s.hoursPerMonth).toBe(100);
    expect(s.hoursPerMonthSource).toBe("--hours-per-month");
    expect(s.priceSheet?.name).toBe("99.9% off");
  });

  it("bad settings are one clear error naming the setting", () => {
    expect(() => resolve({ hoursPerMonth: 900 })).toThrow(/^computeguard-settings: hoursPerMonth: /);
    expect(() => resolve({ hoursPerMonths: 700 })).toThrow(SettingsError);
    expect(() => resolve({ hoursPerMonths: 700 })).toThrow(/hoursPerMonths/);
    expect(() => resolve({}, { COMPUTEGUARD_HOURS_PER_MONTH: "lots" })).toThrow(
      'COMPUTEGUARD_HOURS_PER_MONTH must be a number in (0, 744], got "lots"',
    );
    expect(() => resolve({ priceSheet: "none.json" })).toThrow(
      /^computeguard-settings priceSheet: cannot read price sheet \/cfg\/none.json: ENOENT/,
    );
    expect(() => resolve({ priceSheet: { discountPercent: 150 } })).toThrow(
      "computeguard-settings: priceSheet.discountPercent: must be <= 100",
    );
    expect(() => resolve({ catalog: "none.json" })).toThrow(
      /^computeguard-settings catalog: cannot read price catalog \/cfg\/none.json/,
    );
    expect(() => resolve({}, { COMPUTEGUARD_DEFAULT_REGION: "mars" })).toThrow(
      'COMPUTEGUARD_DEFAULT_REGION must be an AWS region such as "us-east-1", got "mars"',
    );
  });

  it("hours from the environment never lower what the settings give (property)", () => {
    fc.assert(
      fc.property(
        fc.option(fc.integer({ min: 1, max: 744 }), { nil: undefined }),
        fc.integer({ min: 1, max: 744 }),
        (configured, fromEnv) => {
          const policy = configured === undefined ? {} : { hoursPerMonth: configured };
          const s = resolve(policy, { COMPUTEGUARD_HOURS_PER_MONTH: String(fromEnv) });
          const base = configured ?? 730;
          expect(s.hoursPerMonth).toBe(Math.max(base, fromEnv));
          expect(s.refused.length).toBe(fromEnv < base ? 1 : 0);
        },
      ),
    );
  });
});

describe("pricing facts for audit records", () => {
  it("digest the catalog and price sheet in use, and carry the hours", () => {
    const catalog = embeddedCatalog();
    const facts = pricingFacts(catalog, resolve({ priceSheet: SHEET }).priceSheet, 730);
    expect(facts.catalogDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(facts.catalogDigest).toBe(catalogDigest(catalog));
    expect(facts.priceSheetDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(pricingFacts(catalog, undefined, 1).priceSheetDigest).toBeNull();
    // Any change of the sheet changes its digest; the same sheet written differently does not.
    const other = pricingFacts(
      catalog,
      resolve({ priceSheet: { ...SHEET, discountPercent: 11 } }).priceSheet,
      730,
    );
    expect(other.priceSheetDigest).not.toBe(facts.priceSheetDigest);
    const reordered = pricingFacts(
      catalog,
      resolve({ priceSheet: { discountPercent: 10, name: "acme" } }).priceSheet,
      730,
    );
    expect(reordered.priceSheetDigest).toBe(facts.priceSheetDigest);
  });
});
