import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  EMBEDDED_CATALOG_PATH,
  embeddedCatalog,
  loadCatalogFile,
  parseCatalog,
} from "../../src/catalog/catalog.js";
import { type CatalogFile, CatalogFileSchema } from "../../src/catalog/schema.js";
import { estimateStack } from "../../src/estimate/estimator.js";
import { familyOf, serviceOf } from "../../src/pricing/pricer.js";
import { resource, T } from "./support/resources.js";

const rawCatalog = (): CatalogFile => JSON.parse(readFileSync(EMBEDDED_CATALOG_PATH, "utf8")) as CatalogFile;

/** Families the cost-core issue names; each must be in the embedded catalog. */
const ISSUE_FAMILIES = [
  "p6-b200",
  "p6-b300",
  "p5",
  "p5en",
  "p5e",
  "p4d",
  "p4de",
  "p3",
  "p3dn",
  "g7e",
  "g7",
  "g6e",
  "g6",
  "g5",
  "g4dn",
  "g4ad",
  "inf1",
  "inf2",
  "trn1",
  "trn1n",
  "trn2",
  "dl1",
];

const scratch = mkdtempSync(path.join(tmpdir(), "computeguard-catalog-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("embedded catalog", () => {
  it("validates against its schema", () => {
    const parsed = CatalogFileSchema.safeParse(rawCatalog());
    expect(parsed.success, parsed.success ? "" : JSON.stringify(parsed.error.issues.slice(0, 5))).toBe(true);
    expect(embeddedCatalog().entries.length).toBe(rawCatalog().entries.length);
  });

  it.each(ISSUE_FAMILIES)("has EC2 family %s", (family) => {
    const entries = embeddedCatalog().entries.filter((e) => e.family === family && e.service === "ec2");
    expect(entries.length).toBeGreaterThan(0);
  });

  it("has SageMaker ml.* hosting types", () => {
    const sagemaker = embeddedCatalog().entries.filter((e) => e.service === "sagemaker");
    expect(sagemaker.length).toBeGreaterThan(0);
    for (const e of sagemaker) expect(e.instanceType).toMatch(/^ml\./);
    expect(embeddedCatalog().find("ml.p5.48xlarge", "us-east-1")?.usdPerHour).toBe("113.068");
  });

  it("pins the p5.48xlarge us-east-1 on-demand price at $55.04/h", () => {
    expect(embeddedCatalog().find("p5.48xlarge", "us-east-1")?.usdPerHour).toBe("55.04");
  });

  it("gives every entry a price date and a source it defines", () => {
    const catalog = rawCatalog();
    for (const e of catalog.entries) {
      const where = `${e.instanceType} ${e.region}`;
      expect(e.priceAsOf, where).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(e.priceAsOf <= catalog.catalogVersion, where).toBe(true);
      const source = catalog.sources[e.sourceId];
      expect(source, where).toBeDefined();
      expect(source!.reference.length, where).toBeGreaterThan(0);
      expect(e.priceAsOf, where).toBe(source!.date);
    }
  });

  it("keeps family and service consistent with the instance type, and every type has accelerators", () => {
    for (const e of rawCatalog().entries) {
      expect(familyOf(e.instanceType), e.instanceType).toBe(e.family);
      expect(serviceOf(e.instanceType), e.instanceType).toBe(e.service);
      expect(e.accelerator.count, e.instanceType).toBeGreaterThan(0);
    }
  });

  it.each(["p5e.48xlarge", "trn2.48xlarge"])(
    "lists %s in us-east-1 without a price, and says why",
    (type) => {
      const entry = embeddedCatalog().find(type, "us-east-1");
      expect(entry).toBeDefined();
      expect(entry!.usdPerHour).toBeNull();
      expect(entry!.unpricedReason).toMatch(/Capacity Blocks/);
    },
  );

  it.each(["p5e.48xlarge", "trn2.48xlarge"])("estimates %s in us-east-1 as unpriced, never $0", (type) => {
    const stack = estimateStack([resource(T.instance, "block-only", { instanceType: type })]);
    const [estimate] = stack.resources;
    expect(estimate!.status).toBe("unpriced");
    expect(estimate!.reason).toContain(`${type} in us-east-1`);
    expect(estimate!.monthly).toBeUndefined();
    expect(stack.totals.monthlyWorstCase.isZero()).toBe(true);
  });
});

describe("a broken catalog", () => {
  const broken = (mutate: (file: CatalogFile) => void): CatalogFile => {
    const file = rawCatalog();
    mutate(file);
    return file;
  };

  it.each([
    [
      "a price that is not a decimal string",
      (f: CatalogFile) => (f.entries[3]!.usdPerHour = "55,04"),
      "entries.3.usdPerHour",
    ],
    [
      "a missing price date",
      (f: CatalogFile) => delete (f.entries[0] as Partial<CatalogFile["entries"][0]>).priceAsOf,
      "entries.0.priceAsOf",
    ],
    ["an undefined source", (f: CatalogFile) => (f.entries[5]!.sourceId = "nowhere"), "entries.5.sourceId"],
    [
      "an unpriced entry without a reason",
      (f: CatalogFile) => {
        f.entries[2]!.usdPerHour = null;
        delete f.entries[2]!.unpricedReason;
      },
      "entries.2.unpricedReason",
    ],
    [
      "a negative accelerator count",
      (f: CatalogFile) => (f.entries[1]!.accelerator.count = -1),
      "entries.1.accelerator.count",
    ],
    ["a wrong currency", (f: CatalogFile) => ((f as { currency: string }).currency = "EUR"), "currency"],
    [
      "a duplicate entry",
      (f: CatalogFile) => f.entries.push({ ...f.entries[0]! }),
      `entries.${rawCatalog().entries.length}: duplicate entry`,
    ],
  ])("rejects %s, naming the field's path", (_what, mutate, path) => {
    expect(() => parseCatalog(broken(mutate), "test catalog")).toThrow(
      expect.objectContaining({ message: expect.stringContaining(path) }),
    );
  });

  it("names the file and the field when loaded from disk", () => {
    const file = path.join(scratch, "catalog.json");
    writeFileSync(file, JSON.stringify(broken((f) => (f.entries[0]!.usdPerHour = "free"))));
    expect(() => loadCatalogFile(file)).toThrow(`${file}: invalid price catalog: entries.0.usdPerHour:`);
  });

  it("names the file when it is not JSON or not there", () => {
    const file = path.join(scratch, "not-json.json");
    writeFileSync(file, "{ entries: [");
    expect(() => loadCatalogFile(file)).toThrow(`${file}: not valid JSON`);
    expect(() => loadCatalogFile(path.join(scratch, "missing.json"))).toThrow("cannot read price catalog");
  });
});
