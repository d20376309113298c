import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describeZodError } from "../validation.js";
import { type CatalogEntry, type CatalogFile, CatalogFileSchema, type CatalogSource } from "./schema.js";

/** The embedded catalog, copied next to the compiled module by the build. */
export const EMBEDDED_CATALOG_PATH = fileURLToPath(new URL("./data/aws-gpu-catalog.json", import.meta.url));

export class PriceCatalog {
  readonly version: string;
  readonly sources: Readonly<Record<string, CatalogSource>>;
  readonly entries: readonly CatalogEntry[];
  private readonly byRegionAndType = new Map<string, CatalogEntry>();
  private readonly regionsByType = new Map<string, string[]>();

  constructor(file: CatalogFile) {
    this.version = file.catalogVersion;
    this.sources = file.sources;
    this.entries = file.entries;
    for (const entry of file.entries) {
      this.byRegionAndType.set(`${entry.region}|${entry.instanceType}`, entry);
      const regions = this.regionsByType.get(entry.instanceType) ?? [];
      regions.push(entry.region);
      this.regionsByType.set(entry.instanceType, regions);
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
}

export function parseCatalog(json: unknown, origin: string): PriceCatalog {
  const parsed = CatalogFileSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${origin}: invalid price catalog: ${describeZodError(parsed.error)}`);
  return new PriceCatalog(parsed.data);
}

export function loadCatalogFile(path: string): PriceCatalog {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new Error(`cannot read price catalog ${path}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: not valid JSON: ${(error as Error).message}`);
  }
  return parseCatalog(json, path);
}

let embedded: PriceCatalog | undefined;

/** Loaded on first use, so importing the core costs nothing until a price is needed. */
export function embeddedCatalog(): PriceCatalog {
  embedded ??= loadCatalogFile(EMBEDDED_CATALOG_PATH);
  return embedded;
}
