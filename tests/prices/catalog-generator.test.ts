import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { buildCatalog, CATALOG_PATH, formatCatalog } from "../../scripts/generate-catalog.js";
import { embeddedCatalog, loadCatalogFile } from "../../src/catalog/catalog.js";
import { catalogAge } from "../../src/catalog/staleness.js";

// The embedded catalog is generated from data-sources/aws-prices/ (copies of the sourced tables);
// these tests keep the committed JSON and the tables in step, and check what the tables promise.

describe("the embedded catalog is exactly what the generator makes of data-sources/aws-prices", () => {
  it("byte for byte (run `npm run catalog` after changing a table)", () => {
    expect(readFileSync(CATALOG_PATH, "utf8")).toBe(formatCatalog(buildCatalog()));
  });

  it("passes the catalog schema (the run-time load of the embedded file trusts this check)", () => {
    const validated = loadCatalogFile(CATALOG_PATH);
    expect(validated.entries).toEqual(embeddedCatalog().entries);
    expect(validated.bedrockRates).toEqual(embeddedCatalog().bedrockRates);
  });
});

describe("what the sourced tables carry", () => {
  const catalog = embeddedCatalog();
  const ec2 = catalog.entries.filter((e) => e.service === "ec2");

  it("every EC2 row of the by-region table (905) plus Karpenter's 16 us-east-1 rows it lacks (15 types and p6-b300) and two capacity-block-only rows", () => {
    expect(ec2).toHaveLength(905 + 16 + 2);
    expect(new Set(ec2.map((e) => e.region)).size).toBe(24);
    expect(new Set(ec2.map((e) => e.instanceType)).size).toBe(91 + 15);
  });

  it("a type without an on-demand price is unpriced with a reason, never $0", () => {
    for (const entry of catalog.entries) {
      if (entry.usdPerHour === null) expect(entry.unpricedReason).toBeTruthy();
      else expect(Number(entry.usdPerHour)).toBeGreaterThan(0);
    }
    const p5e = ec2.filter((e) => e.instanceType === "p5e.48xlarge");
    expect(p5e.length).toBeGreaterThan(1);
    expect(p5e.every((e) => e.usdPerHour === null)).toBe(true);
  });

  it("keeps the accelerator specs the adapters and the allowlist use", () => {
    const specs = (type: string) => {
      const e = catalog.specs(type)!;
      return [e.accelerator.model, e.accelerator.count, e.accelerator.memoryGiBEach, e.vcpu, e.memoryGiB];
    };
    expect(specs("p5.48xlarge")).toEqual(["NVIDIA H100 80GB (SXM)", 8, 80, 192, 2048]);
    expect(specs("g5.12xlarge")).toEqual(["NVIDIA A10G 24GB", 4, 22.4, 48, 192]);
    expect(specs("trn2.48xlarge")).toEqual(["AWS Trainium2", 16, 96, 192, 2048]);
    expect(specs("g6f.large")).toEqual(["NVIDIA L4 24GB", 0.125, 22.4, 2, 8]);
    expect(specs("dl2q.24xlarge")).toEqual(["Qualcomm AI 100 Standard", 8, 16, 96, 768]);
    expect(specs("ml.g6e.xlarge")).toEqual(["NVIDIA L40S 48GB", 1, 44.7, 4, 32]);
    // One type, one set of specs, whatever the region.
    for (const entry of catalog.entries) {
      expect(entry.accelerator, entry.instanceType).toEqual(catalog.specs(entry.instanceType)!.accelerator);
    }
  });

  it("prices SageMaker only where a source gives a price: us-east-1 and us-west-2", () => {
    const regions = new Set(catalog.entries.filter((e) => e.service === "sagemaker").map((e) => e.region));
    expect(regions).toEqual(new Set(["us-east-1", "us-west-2"]));
  });

  it("carries Bedrock rates per model, term and region, base-model gaps unpriced", () => {
    const rate = (id: string, term: "none" | "1-month" | "6-month", region: string) =>
      catalog.bedrockRate(id, term, region)?.usdPerModelUnitHour;
    expect(rate("anthropic.claude-v2:1", "1-month", "us-east-1")).toBe("63");
    expect(rate("anthropic.claude-v2:1", "6-month", "us-west-2")).toBe("35");
    expect(rate("anthropic.claude-v2:1", "none", "us-east-1")).toBeNull();
    expect(rate("amazon.nova-2-lite-v1:0", "none", "us-east-1")).toBe("60.5");
    expect(rate("qwen.qwen3-32b-v1:0", "none", "us-east-1")).toBeUndefined(); // a test-fixture figure, left out
  });

  it("is as fresh as its newest price: the SkyPilot table taken 2026-12-04", () => {
    expect(catalog.version).toBe("2026-12-04");
    expect(catalogAge(catalog, new Date("2026-12-05T12:00:00Z"))).toMatchObject({
      days: 1,
      newestPriceDate: "2026-12-04",
      sourceId: "skypilot-2026-12-04",
    });
  });
});
