import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describeZodError } from "../validation.js";
import {
  type BedrockCommitment,
  type BedrockRateEntry,
  type CatalogEntry,
  type CatalogFile,
  CatalogFileSchema,
  type CatalogSource,
} from "./schema.js";

/** The embedded catalog, copied next to the compiled module by the build. */
export const EMBEDDED_CATALOG_PATH = fileURLToPath(new URL("./data/aws-gpu-catalog.json", import.meta.url));

export class PriceCatalog {
  readonly version: string;
  readonly sources: Readonly<Record<string, CatalogSource>>;
  readonly entries: readonly CatalogEntry[];
  readonly bedrockRates: readonly BedrockRateEntry[];
  /** The catalog whose dates say how fresh this one is (an overlay's own entries), if not this one. */
  readonly datedBy: PriceCatalog | undefined;
  private readonly byRegionAndType = new Map<string, CatalogEntry>();
  private readonly regionsByType = new Map<string, string[]>();
  private readonly regionsByService = new Map<string, Set<string>>();

  constructor(file: CatalogFile, options: { datedBy?: PriceCatalog } = {}) {
    this.datedBy = options.datedBy;
    this.version = file.catalogVersion;
    this.sources = file.sources;
    this.entries = file.entries;
    this.bedrockRates = file.bedrockRates ?? [];
    for (const entry of file.entries) {
      this.byRegionAndType.set(`${entry.region}|${entry.instanceType}`, entry);
      const regions = this.regionsByType.get(entry.instanceType) ?? [];
      regions.push(entry.region);
      this.regionsByType.set(entry.instanceType, regions);
      const serviceRegions = this.regionsByService.get(entry.service) ?? new Set<string>();
      serviceRegions.add(entry.region);
      this.regionsByService.set(entry.service, serviceRegions);
    }
  }

  /** The entry for a type in a region, or undefined when the catalog has no row for it. */
  find(instanceType: string, region: string): CatalogEntry | undefined {
    return this.byRegionAndType.get(`${region}|${instanceType}`);
  }

  /** Hardware specs do not depend on the region: any row of the type has them. */
  specs(instanceType: string): CatalogEntry | undefined {
    const region = this.regionsByType.get(instanceType)?.[0];
    return region === undefined ? undefined : this.find(instanceType, region);
  }

  knowsType(instanceType: string): boolean {
    return this.regionsByType.has(instanceType);
  }

  regionsOf(instanceType: string): readonly string[] {
    return this.regionsByType.get(instanceType) ?? [];
  }

  /** The regions with a priced row for the type, us-east-1 first (the usual region to price others like). */
  pricedRegionsOf(instanceType: string): string[] {
    const priced = this.regionsOf(instanceType).filter((r) => this.find(instanceType, r)?.usdPerHour);
    return priced.sort((a, b) => Number(b === "us-east-1") - Number(a === "us-east-1"));
  }

  /** Whether the catalog has any row of this service ("ec2", "sagemaker") in the region. */
  coversRegion(service: string, region: string): boolean {
    return this.regionsByService.get(service)?.has(region) ?? false;
  }

  /** A Bedrock model-unit rate: an exact model id before a glob that covers it. */
  bedrockRate(modelId: string, commitment: BedrockCommitment, region: string): BedrockRateEntry | undefined {
    const candidates = this.bedrockRates.filter(
      (r) => r.region === region && r.commitment === commitment && globMatch(r.modelId, modelId),
    );
    return candidates.find((r) => r.modelId === modelId) ?? candidates[0];
  }

  /** Every Bedrock rate row for a model, whatever the term and region. */
  bedrockRatesOf(modelId: string): BedrockRateEntry[] {
    return this.bedrockRates.filter((r) => globMatch(r.modelId, modelId));
  }
}

/** `*` matches any run of characters; everything else literally. */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes("*")) return pattern === value;
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`).test(value);
}

export function parseCatalog(json: unknown, origin: string): PriceCatalog {
  const parsed = CatalogFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${origin}: invalid price catalog: ${describeZodError(parsed.error)}`);
  return new PriceCatalog(parsed.data);
}

export function loadCatalogFile(path: string): PriceCatalog {
  return parseCatalog(readCatalogJson(path), path);
}

function readCatalogJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read price catalog ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not valid JSON: ${(error as Error).message}`);
  }
}

let embedded: PriceCatalog | undefined;

/**
 * Loaded on first use, so importing the core costs nothing until a price is needed. The embedded
 * file is checked against the schema where it is made (scripts/generate-catalog.ts) and the tests
 * compare it byte for byte with the generator's output, so it is not validated again here:
 * validating its ~1,000 entries with zod tripled the first analysis's catalog load.
 */
export function embeddedCatalog(): PriceCatalog {
  if (embedded === undefined) {
    const json = readCatalogJson(EMBEDDED_CATALOG_PATH) as CatalogFile;
    if (json?.schemaVersion !== 1 || !Array.isArray(json.entries)) {
      throw new Error(`${EMBEDDED_CATALOG_PATH}: not a schemaVersion 1 price catalog`);
    }
    embedded = new PriceCatalog(json);
  }
  return embedded;
}
