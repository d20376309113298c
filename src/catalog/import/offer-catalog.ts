import { money } from "../../money.js";
import { describeZodError } from "../../validation.js";
import type { PriceCatalog } from "../catalog.js";
import { type CatalogEntry, type CatalogFile, CatalogFileSchema, type CatalogSource } from "../schema.js";
import { OfferImportError } from "./offer-error.js";
import type { OfferedInstance, OfferService } from "./offer-product.js";
import type { OfferPrice, OfferScan } from "./offer-scan.js";

export interface OfferCatalogOptions {
  /** Where the offer came from, for provenance: a file name or URL. */
  sourceName: string;
  /** Accelerator model and any spec the offer lacks come from here (normally the embedded catalog). */
  specs: PriceCatalog | undefined;
}

export interface OfferCatalog {
  catalog: CatalogFile;
  /** Types left out or filled in from elsewhere, one line each, for stderr. */
  warnings: string[];
}

const FILTER_DESCRIPTION: Record<OfferService, string> = {
  AmazonEC2: "Linux, shared tenancy, on-demand",
  AmazonSageMaker: "real-time inference hosting, on-demand",
};

const naturalOrder = new Intl.Collator("en", { numeric: true });

/** Turns a scanned offer into a catalog in the embedded catalog's schema, with provenance per region. */
export function offerToCatalog(scan: OfferScan, options: OfferCatalogOptions): OfferCatalog {
  const { meta } = scan;
  const date = meta.publicationDate.slice(0, 10);
  const warnings: string[] = [];
  const specs = new SpecsIndex(options.specs);
  const rows = new Map<string, { instance: OfferedInstance; price: OfferPrice }>();

  for (const row of scan.onDemand) {
    const key = `${row.instance.region}|${row.instance.instanceType}`;
    const previous = rows.get(key);
    if (previous === undefined || (!("usdPerHour" in previous.price) && "usdPerHour" in row.price)) {
      rows.set(key, row);
    } else if ("usdPerHour" in previous.price && "usdPerHour" in row.price) {
      if (previous.price.usdPerHour !== row.price.usdPerHour) {
        throw new OfferImportError(
          `${row.instance.instanceType} in ${row.instance.region}: SKUs ${previous.instance.sku} ($${previous.price.usdPerHour}/h) and ${row.instance.sku} ($${row.price.usdPerHour}/h) both pass the Linux on-demand filter`,
        );
      }
    }
  }
  for (const instance of scan.capacityBlocks) {
    const key = `${instance.region}|${instance.instanceType}`;
    if (!rows.has(key)) {
      rows.set(key, {
        instance,
        price: {
          unpricedReason: `no on-demand price in the ${instance.region} Price List: sold through EC2 Capacity Blocks only`,
        },
      });
    }
  }

  const sources: Record<string, CatalogSource> = {};
  const entries: CatalogEntry[] = [];
  for (const { instance, price } of rows.values()) {
    const resolved = specs.resolve(instance);
    if ("missing" in resolved) {
      warnings.push(
        `skipped ${instance.instanceType} in ${instance.region}: neither the offer file nor the specs catalog gives its ${resolved.missing.join(", ")}`,
      );
      continue;
    }
    if (resolved.note) warnings.push(`${instance.instanceType} in ${instance.region}: ${resolved.note}`);
    const sourceId = `aws-price-list-${meta.offerCode}-${instance.region}-${date}`;
    sources[sourceId] ??= {
      title: `AWS Price List ${meta.offerCode} offer for ${instance.region} (${FILTER_DESCRIPTION[meta.offerCode]})`,
      reference: `${options.sourceName} (formatVersion ${meta.formatVersion}, offer version ${meta.version ?? "not stated"}, published ${meta.publicationDate})`,
      date,
    };
    entries.push({
      instanceType: instance.instanceType,
      service: instance.service,
      family: familyOf(instance.instanceType),
      region: instance.region,
      usdPerHour: "usdPerHour" in price ? price.usdPerHour : null,
      ...("unpricedReason" in price ? { unpricedReason: price.unpricedReason } : {}),
      sourceId,
      priceAsOf: date,
      ...(resolved.note ? { note: resolved.note } : {}),
      accelerator: resolved.accelerator,
      vcpu: resolved.vcpu,
      memoryGiB: resolved.memoryGiB,
    });
  }
  if (entries.length === 0) {
    throw new OfferImportError(
      `no GPU or accelerator instance types with a Linux on-demand or Capacity Block row in this ${meta.offerCode} offer file`,
    );
  }
  entries.sort(
    (a, b) => a.region.localeCompare(b.region) || naturalOrder.compare(a.instanceType, b.instanceType),
  );
  const catalog: CatalogFile = {
    schemaVersion: 1,
    catalogVersion: date,
    description: `GPU and accelerator on-demand hourly prices (USD) imported from the AWS Price List (${meta.offerCode}) by computeguard prices import.`,
    currency: "USD",
    sources: Object.fromEntries(Object.entries(sources).sort(([a], [b]) => a.localeCompare(b))),
    entries,
  };
  return { catalog: validateCatalog(catalog), warnings };
}

/** The catalog zod schema, as a one-line error naming the bad field. */
export function validateCatalog(catalog: unknown): CatalogFile {
  const parsed = CatalogFileSchema.safeParse(catalog);
  if (!parsed.success) {
    throw new OfferImportError(`the imported catalog is not valid: ${describeZodError(parsed.error)}`);
  }
  return parsed.data;
}

function familyOf(instanceType: string): string {
  const bare = instanceType.startsWith("ml.") ? instanceType.slice(3) : instanceType;
  return bare.split(".")[0] ?? bare;
}

type ResolvedSpecs =
  | { accelerator: CatalogEntry["accelerator"]; vcpu: number; memoryGiB: number; note?: string }
  | { missing: string[] };

/** Specs the offer file lacks, from the same type, its EC2/SageMaker twin, or (model only) its family. */
class SpecsIndex {
  private readonly byType = new Map<string, CatalogEntry>();
  private readonly byFamily = new Map<string, CatalogEntry>();

  constructor(catalog: PriceCatalog | undefined) {
    for (const entry of catalog?.entries ?? []) {
      if (!this.byType.has(entry.instanceType)) this.byType.set(entry.instanceType, entry);
      const family = familyOf(entry.instanceType);
      if (!this.byFamily.has(family)) this.byFamily.set(family, entry);
    }
  }

  resolve(instance: OfferedInstance): ResolvedSpecs {
    const type = instance.instanceType;
    const twin = type.startsWith("ml.") ? type.slice(3) : `ml.${type}`;
    const known = this.byType.get(type) ?? this.byType.get(twin);
    const familyMate = this.byFamily.get(familyOf(type));
    const offered = instance.specs;

    const count = offered.acceleratorCount ?? known?.accelerator.count;
    const vcpu = offered.vcpu ?? known?.vcpu;
    const memoryGiB = offered.memoryGiB ?? known?.memoryGiB;
    const missing = [
      ...(count === undefined ? ["accelerator count"] : []),
      ...(vcpu === undefined ? ["vCPU count"] : []),
      ...(memoryGiB === undefined ? ["memory"] : []),
    ];
    if (count === undefined || vcpu === undefined || memoryGiB === undefined) return { missing };

    const notes: string[] = [];
    const modelFrom = known ?? familyMate;
    if (known === undefined && familyMate !== undefined) {
      notes.push(
        `accelerator model assumed from ${familyMate.instanceType} (same family) in the specs catalog`,
      );
    } else if (modelFrom === undefined) {
      notes.push("accelerator model unknown: not in the offer file nor the specs catalog");
    }
    let memoryGiBEach: number | undefined;
    if (offered.acceleratorMemoryGiBTotal !== undefined) {
      memoryGiBEach = money(offered.acceleratorMemoryGiBTotal).div(count).toDecimalPlaces(2).toNumber();
    } else if (known !== undefined) {
      memoryGiBEach = known.accelerator.memoryGiBEach;
    } else if (familyMate !== undefined) {
      memoryGiBEach = familyMate.accelerator.memoryGiBEach;
      notes.push(`accelerator memory assumed from ${familyMate.instanceType} (same family)`);
    } else {
      notes.push("accelerator memory unknown (recorded as 0)");
    }
    return {
      accelerator: {
        vendor: modelFrom?.accelerator.vendor ?? "unknown",
        model: modelFrom?.accelerator.model ?? "unknown",
        count,
        memoryGiBEach: memoryGiBEach ?? 0,
      },
      vcpu,
      memoryGiB,
      ...(notes.length > 0 ? { note: notes.join("; ") } : {}),
    };
  }
}
