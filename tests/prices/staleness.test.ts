import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalogFile } from "../../src/catalog/catalog.js";
import type { CatalogEntry } from "../../src/catalog/schema.js";
import { catalogAge, stalenessWarning } from "../../src/catalog/staleness.js";
import { FIXTURES } from "./support/fixtures.js";

/** Priced entries from 2026-07-20 (karpenter) and 2025-01-26 (fmbench); unpriced ones too. */
const catalog = loadCatalogFile(join(FIXTURES, "specs-catalog.json"));
const at = (iso: string) => new Date(iso);

describe("catalogAge", () => {
  it("is judged by the newest priced entry, and names its source", () => {
    expect(catalogAge(catalog, at("2026-11-27T11:00:00Z"))).toEqual({
      days: 130,
      newestPriceDate: "2026-07-20",
      sourceId: "karpenter-2026-07-20",
      sourceReference:
        "github.com/aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go @6fc13b52 (generated 2026-07-20T13:44:30Z for us-east-1)",
    });
  });

  it("ignores unpriced entries, however recent", () => {
    const entries: CatalogEntry[] = [
      ...catalog.entries.filter((e) => e.sourceId === "fmbench-2025-01-26"),
      {
        ...catalog.entries[0]!,
        usdPerHour: null,
        unpricedReason: "capacity blocks only",
        priceAsOf: "2026-11-01",
      },
    ];
    const age = catalogAge({ entries, sources: catalog.sources }, at("2025-03-01T00:00:00Z"));
    expect(age).toMatchObject({ days: 34, newestPriceDate: "2025-01-26", sourceId: "fmbench-2025-01-26" });
  });

  it("counts priced Bedrock rates too, not unpriced ones", () => {
    const rate = {
      modelId: "amazon.nova-2-lite-v1*",
      model: "Amazon Nova 2 Lite",
      commitment: "none" as const,
      region: "us-east-1",
      usdPerModelUnitHour: "60.5",
      sourceId: "karpenter-2026-07-20",
      priceAsOf: "2026-08-02",
    };
    const unpriced = { ...rate, usdPerModelUnitHour: null, unpricedReason: "none", priceAsOf: "2026-11-01" };
    const withRates = { ...catalog, entries: catalog.entries, bedrockRates: [rate, unpriced] };
    expect(catalogAge(withRates, at("2026-08-12T00:00:00Z"))).toMatchObject({
      days: 10,
      newestPriceDate: "2026-08-02",
    });
  });

  it("counts a price dated in the future as 0 days old, and a catalog without prices as ageless", () => {
    expect(catalogAge(catalog, at("2026-07-01T00:00:00Z"))?.days).toBe(0);
    const unpriced = catalog.entries.filter((e) => e.usdPerHour === null);
    expect(unpriced.length).toBeGreaterThan(0);
    expect(
      catalogAge({ entries: unpriced, sources: catalog.sources }, at("2026-07-01T00:00:00Z")),
    ).toBeUndefined();
  });
});

describe("stalenessWarning", () => {
  it("says nothing up to the limit and warns the day after, naming the date and source", () => {
    expect(stalenessWarning(catalog, at("2026-10-18T23:59:59Z"))).toBeUndefined(); // 90 days
    expect(stalenessWarning(catalog, at("2026-10-19T00:00:00Z"))).toBe(
      "the price catalog is 91 days old (its newest price is dated 2026-07-20, source karpenter-2026-07-20), " +
        "over the 90-day limit: AWS prices may have changed; refresh it with `computeguard prices refresh --region REGION`",
    );
  });

  it("takes the limit as a parameter", () => {
    expect(stalenessWarning(catalog, at("2026-08-01T00:00:00Z"), 10)).toContain("12 days old");
    expect(stalenessWarning(catalog, at("2026-08-01T00:00:00Z"), 12)).toBeUndefined();
    expect(stalenessWarning(catalog, at("2027-07-20T00:00:00Z"), 400)).toBeUndefined();
  });

  it("warns that a catalog without any price prices nothing", () => {
    const entries = catalog.entries.filter((e) => e.usdPerHour === null);
    expect(stalenessWarning({ entries, sources: catalog.sources }, at("2026-07-21T00:00:00Z"))).toBe(
      "the price catalog has no priced entries, so every GPU price is unknown",
    );
  });
});
