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
  for (const key of ["COMPUTEGUARD_PRICE_SHEET", "COMPUTEGUARD_CATALOG", "COMPUTEGUARD_HOURS_PER_MONTH"]) {
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
      "priced with price catalog: embedded; no price sheet (give priceSheet, priceSheetPath or COMPUTEGUARD_PRICE_SHEET for negotiated prices): public on-demand prices; 730 hours per month (default 730); default region us-east-1 (built-in default us-east-1)",
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
});
