import { readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadCatalogFile } from "../../src/catalog/catalog.js";
import { serializeCatalog } from "../../src/catalog/import/catalog-writer.js";
import { importOffer, importOfferFile } from "../../src/catalog/import/import-offer.js";
import type { CatalogFile } from "../../src/catalog/schema.js";
import { FIXTURES } from "./support/fixtures.js";
import { ec2Attributes, offerText, onDemandTerm, product } from "./support/offer-writer.js";

const specs = loadCatalogFile(join(FIXTURES, "specs-catalog.json"));
const EC2_OFFER = join(FIXTURES, "ec2-us-east-1.offer.json");
const SAGEMAKER_OFFER = join(FIXTURES, "sagemaker-us-east-1.offer.json");

async function* chunks(text: string, sizes: number[]) {
  const bytes = Buffer.from(text);
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes[i % sizes.length]!;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

function importText(
  text: string,
  options: { service?: "AmazonEC2" | "AmazonSageMaker"; region?: string } = {},
) {
  return importOffer(chunks(text, [4096]), { ...options, sourceName: "inline.json", specs });
}

function priceOf(catalog: CatalogFile, instanceType: string) {
  const entry = catalog.entries.find((e) => e.instanceType === instanceType);
  return entry && { usdPerHour: entry.usdPerHour, unpricedReason: entry.unpricedReason };
}

describe("prices import: golden catalogs from trimmed offer files", () => {
  it("EC2 us-east-1 gives exactly the golden catalog", async () => {
    const { catalog, warnings } = await importOfferFile(EC2_OFFER, { specs });
    expect(serializeCatalog(catalog)).toBe(
      readFileSync(join(FIXTURES, "ec2-us-east-1.catalog.golden.json"), "utf8"),
    );
    expect(warnings).toEqual([]);
  });

  it("SageMaker us-east-1 gives exactly the golden catalog", async () => {
    const { catalog, warnings } = await importOfferFile(SAGEMAKER_OFFER, { specs });
    expect(serializeCatalog(catalog)).toBe(
      readFileSync(join(FIXTURES, "sagemaker-us-east-1.catalog.golden.json"), "utf8"),
    );
    expect(warnings).toEqual([]);
  });

  it("keeps the Linux shared on-demand price of p5.48xlarge, not its Capacity Block, Windows, dedicated, RHEL or unused-reservation rows", async () => {
    const { catalog } = await importOfferFile(EC2_OFFER, { specs });
    expect(priceOf(catalog, "p5.48xlarge")).toEqual({ usdPerHour: "55.04", unpricedReason: undefined });
    expect(priceOf(catalog, "g5.xlarge")).toEqual({ usdPerHour: "1.006", unpricedReason: undefined });
  });

  it("records a GPU type sold only through Capacity Blocks as unpriced, never $0", async () => {
    const { catalog } = await importOfferFile(EC2_OFFER, { specs });
    for (const type of ["p5e.48xlarge", "trn2.48xlarge"]) {
      expect(priceOf(catalog, type)).toEqual({
        usdPerHour: null,
        unpricedReason:
          "no on-demand price in the us-east-1 Price List: sold through EC2 Capacity Blocks only",
      });
    }
  });

  it("drops non-GPU types (m5.large, m7g.large), local zones and non-compute products; keeps bare metal", async () => {
    const { catalog } = await importOfferFile(EC2_OFFER, { specs });
    const types = catalog.entries.map((e) => e.instanceType);
    expect(types).not.toContain("m5.large");
    expect(types).not.toContain("m7g.large");
    expect(types).not.toContain("g4dn.xlarge"); // only offered in the Boston local zone here
    expect(types).toContain("g4dn.metal");
    expect(new Set(catalog.entries.map((e) => e.region))).toEqual(new Set(["us-east-1"]));
  });

  it("keeps SageMaker real-time hosting rows only", async () => {
    const { catalog } = await importOfferFile(SAGEMAKER_OFFER, { specs });
    expect(catalog.entries.map((e) => [e.instanceType, e.usdPerHour])).toEqual([
      ["ml.g4dn.xlarge", "0.7364"],
      ["ml.g5.xlarge", "1.4084"],
      ["ml.inf2.xlarge", "0.99"],
      ["ml.p5.48xlarge", "113.068"],
    ]);
  });

  it("gives the same catalog however the bytes are chunked", async () => {
    const text = readFileSync(EC2_OFFER, "utf8");
    const expected = serializeCatalog((await importOfferFile(EC2_OFFER, { specs })).catalog);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 700 }), { minLength: 1, maxLength: 6 }),
        async (sizes) => {
          const { catalog } = await importOffer(chunks(text, sizes), {
            sourceName: "ec2-us-east-1.offer.json",
            specs,
          });
          expect(serializeCatalog(catalog)).toBe(expected);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe("prices import: rules", () => {
  const gpu = (type: string, extra: Record<string, string> = {}) =>
    ec2Attributes(type, { gpu: "1", gpuMemory: "24 GB", vcpu: "4", memory: "16 GiB", ...extra });

  it("fills specs the offer lacks from the same type, then the model from the family, and says so", async () => {
    const text = offerText(
      {
        A: product("A", ec2Attributes("p5.48xlarge", { vcpu: "192", memory: "2048 GiB" })),
        B: product("B", gpu("p5.4xlarge", { gpuMemory: "80 GB HBM3", vcpu: "16", memory: "256 GiB" })),
        C: product("C", gpu("g6.xlarge")),
      },
      { A: onDemandTerm("A", "55.04"), B: onDemandTerm("B", "6.88"), C: onDemandTerm("C", "0.8048") },
    );
    const { catalog, warnings } = await importText(text);
    const byType = Object.fromEntries(catalog.entries.map((e) => [e.instanceType, e]));
    // p5.48xlarge: no gpu/gpuMemory attributes in the offer, so count and memory come from the specs catalog.
    expect(byType["p5.48xlarge"]!.accelerator).toEqual({
      vendor: "nvidia",
      model: "NVIDIA H100 80GB (SXM)",
      count: 8,
      memoryGiBEach: 80,
    });
    expect(byType["p5.48xlarge"]!.note).toBeUndefined();
    expect(byType["p5.4xlarge"]!.accelerator).toEqual({
      vendor: "nvidia",
      model: "NVIDIA H100 80GB (SXM)",
      count: 1,
      memoryGiBEach: 80,
    });
    expect(byType["p5.4xlarge"]!.note).toBe(
      "accelerator model assumed from p5.48xlarge (same family) in the specs catalog",
    );
    expect(byType["g6.xlarge"]!.accelerator).toEqual({
      vendor: "unknown",
      model: "unknown",
      count: 1,
      memoryGiBEach: 24,
    });
    expect(warnings).toEqual([
      "p5.4xlarge in us-east-1: accelerator model assumed from p5.48xlarge (same family) in the specs catalog",
      "g6.xlarge in us-east-1: accelerator model unknown: not in the offer file nor the specs catalog",
    ]);
  });

  it("skips, with a warning, a type whose vCPU count nobody states", async () => {
    const attributes = gpu("g6.xlarge");
    delete attributes.vcpu;
    const text = offerText(
      { A: product("A", attributes), B: product("B", gpu("g5.xlarge")) },
      { A: onDemandTerm("A", "0.8048"), B: onDemandTerm("B", "1.006") },
    );
    const { catalog, warnings } = await importText(text);
    expect(catalog.entries.map((e) => e.instanceType)).toEqual(["g5.xlarge"]);
    expect(warnings).toEqual([
      "skipped g6.xlarge in us-east-1: neither the offer file nor the specs catalog gives its vCPU count",
    ]);
  });

  it("records a $0.00 on-demand row as unpriced, not free", async () => {
    const text = offerText({ A: product("A", gpu("g5.xlarge")) }, { A: onDemandTerm("A", "0.0000000000") });
    const { catalog } = await importText(text);
    expect(priceOf(catalog, "g5.xlarge")).toEqual({
      usdPerHour: null,
      unpricedReason: "the offer file lists $0.00/h on demand (SKU A), which is not a real price",
    });
  });

  it("records a kept product without an on-demand term as unpriced", async () => {
    const text = offerText(
      { A: product("A", gpu("g5.xlarge")), B: product("B", gpu("g5.2xlarge")) },
      { B: onDemandTerm("B", "1.212") },
    );
    const { catalog } = await importText(text);
    expect(priceOf(catalog, "g5.xlarge")?.unpricedReason).toBe(
      "the offer file has no on-demand term for its Linux on-demand product (SKU A)",
    );
  });

  it("accepts a second matching SKU at the same price and refuses one at a different price", async () => {
    const same = offerText(
      { A: product("A", gpu("g5.xlarge")), B: product("B", gpu("g5.xlarge")) },
      { A: onDemandTerm("A", "1.006"), B: onDemandTerm("B", "1.0060000000") },
    );
    expect(priceOf((await importText(same)).catalog, "g5.xlarge")?.usdPerHour).toBe("1.006");
    const different = offerText(
      { A: product("A", gpu("g5.xlarge")), B: product("B", gpu("g5.xlarge")) },
      { A: onDemandTerm("A", "1.006"), B: onDemandTerm("B", "1.1") },
    );
    await expect(importText(different)).rejects.toThrow(
      "inline.json: g5.xlarge in us-east-1: SKUs A ($1.006/h) and B ($1.1/h) both pass the Linux on-demand filter",
    );
  });

  it("takes the region from the location name when regionCode is absent, and filters by --region", async () => {
    const attributes = gpu("g5.xlarge", { location: "EU (Ireland)" });
    delete attributes.regionCode;
    const text = offerText(
      { A: product("A", attributes), B: product("B", gpu("g5.2xlarge")) },
      { A: onDemandTerm("A", "1.123"), B: onDemandTerm("B", "1.212") },
    );
    const { catalog } = await importText(text);
    expect(catalog.entries.map((e) => [e.region, e.instanceType])).toEqual([
      ["eu-west-1", "g5.xlarge"],
      ["us-east-1", "g5.2xlarge"],
    ]);
    expect(Object.keys(catalog.sources).sort()).toEqual([
      "aws-price-list-AmazonEC2-eu-west-1-2026-07-20",
      "aws-price-list-AmazonEC2-us-east-1-2026-07-20",
    ]);
    const filtered = await importText(text, { region: "eu-west-1" });
    expect(filtered.catalog.entries.map((e) => e.instanceType)).toEqual(["g5.xlarge"]);
  });

  it("treats families by prefix: gr6 and g5g are GPU types, c7g and m7g are not", async () => {
    const types = ["gr6.4xlarge", "g5g.xlarge", "c7g.large", "m7g.large", "trn1n.32xlarge", "dl2q.24xlarge"];
    const products = Object.fromEntries(types.map((t, i) => [`S${i}`, product(`S${i}`, gpu(t))]));
    const terms = Object.fromEntries(types.map((_t, i) => [`S${i}`, onDemandTerm(`S${i}`, "1.5")]));
    const { catalog } = await importText(offerText(products, terms));
    expect(catalog.entries.map((e) => e.instanceType).sort()).toEqual([
      "dl2q.24xlarge",
      "g5g.xlarge",
      "gr6.4xlarge",
      "trn1n.32xlarge",
    ]);
  });
});
