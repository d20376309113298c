import { money } from "../../money.js";
import {
  type ContainerKind,
  JsonNumber,
  type JsonPath,
  type JsonStreamHandler,
  type JsonValue,
  parseJsonStream,
  type Visit,
} from "./json-stream.js";
import { OfferImportError } from "./offer-error.js";
import {
  classifyProduct,
  isRecord,
  OFFER_SERVICES,
  type OfferedInstance,
  type OfferService,
  owned,
} from "./offer-product.js";

export interface OfferMeta {
  formatVersion: string;
  offerCode: OfferService;
  version: string | undefined;
  /** As published, e.g. "2026-07-20T13:44:30Z". */
  publicationDate: string;
}

export type OfferPrice = { usdPerHour: string } | { unpricedReason: string };

export interface OfferScan {
  meta: OfferMeta;
  onDemand: { instance: OfferedInstance; price: OfferPrice }[];
  /** Capacity Block rows of GPU types (one per region and type). */
  capacityBlocks: OfferedInstance[];
}

export interface ScanOptions {
  service?: OfferService;
  /** Keep only this region's products. */
  region?: string;
}

/** The global on-demand offer term code. */
const ON_DEMAND_TERM = "JRTCKXETXF";

/**
 * One streaming pass over an offer file: `products` (which AWS writes before `terms`) decides
 * which SKUs to keep, then only those SKUs' `terms.OnDemand` entries are built and read.
 * Reserved terms and everything else are validated as JSON and dropped.
 */
export async function scanOffer(
  source: AsyncIterable<Uint8Array | string>,
  options: ScanOptions,
): Promise<OfferScan> {
  const handler = new OfferScanHandler(options);
  await parseJsonStream(source, handler);
  return handler.result();
}

class OfferScanHandler implements JsonStreamHandler {
  private readonly root: Record<string, string> = {};
  private productsSeen = false;
  private onDemandSeen = false;
  private service: OfferService | undefined;
  private readonly kept = new Map<string, OfferedInstance>();
  private readonly prices = new Map<string, OfferPrice>();
  private readonly capacityBlocks = new Map<string, OfferedInstance>();

  constructor(private readonly options: ScanOptions) {}

  enterContainer(path: JsonPath, kind: ContainerKind): Visit {
    const [top, second, third] = path;
    switch (path.length) {
      case 0:
        if (kind !== "object")
          throw new OfferImportError("not an AWS Price List offer file: the top level is not an object");
        return "descend";
      case 1:
        if (top === "products") {
          expectObject(kind, "products");
          this.productsSeen = true;
          this.service = this.resolveService();
          return "descend";
        }
        if (top === "terms") {
          expectObject(kind, "terms");
          if (!this.productsSeen) {
            throw new OfferImportError(
              "terms come before products; AWS offer files list products first, and one streaming pass needs that order",
            );
          }
          return "descend";
        }
        return "skip";
      case 2:
        if (top === "products") return "collect";
        if (top === "terms" && second === "OnDemand") {
          expectObject(kind, "terms.OnDemand");
          this.onDemandSeen = true;
          return "descend";
        }
        return "skip";
      case 3:
        return top === "terms" && second === "OnDemand" && this.kept.has(String(third)) ? "collect" : "skip";
      default:
        return "skip";
    }
  }

  value(path: JsonPath, value: JsonValue): void {
    const [top, second, third] = path;
    if (path.length === 1) {
      if (top === "products" || top === "terms") throw new OfferImportError(`${top}: expected an object`);
      if (typeof value === "string") this.root[String(top)] = owned(value);
    } else if (path.length === 2 && top === "products") {
      this.product(String(second), value);
    } else if (path.length === 2 && top === "terms" && second === "OnDemand") {
      throw new OfferImportError("terms.OnDemand: expected an object");
    } else if (path.length === 3 && top === "terms" && second === "OnDemand") {
      const sku = String(third);
      if (this.kept.has(sku)) this.prices.set(sku, readOnDemandPrice(sku, value));
    }
  }

  private product(sku: string, value: JsonValue): void {
    const verdict = classifyProduct(sku, value, this.service);
    if (verdict.kind === "other") return;
    const { instance } = verdict;
    if (this.options.region !== undefined && instance.region !== this.options.region) return;
    if (verdict.kind === "on-demand") this.kept.set(instance.sku, instance);
    else this.capacityBlocks.set(`${instance.region}|${instance.instanceType}`, instance);
  }

  /** --service when given (it must agree with the file's offerCode), else the offerCode. */
  private resolveService(): OfferService | undefined {
    const offerCode = this.root.offerCode;
    if (offerCode !== undefined && !(OFFER_SERVICES as readonly string[]).includes(offerCode)) {
      throw new OfferImportError(
        `offerCode is ${offerCode}; only ${OFFER_SERVICES.join(" and ")} offer files can be imported`,
      );
    }
    if (this.options.service !== undefined && offerCode !== undefined && offerCode !== this.options.service) {
      throw new OfferImportError(
        `this is an ${offerCode} offer file, not ${this.options.service} (--service)`,
      );
    }
    return this.options.service ?? (offerCode as OfferService | undefined);
  }

  result(): OfferScan {
    const { formatVersion, publicationDate, version } = this.root;
    if (formatVersion === undefined)
      throw new OfferImportError("not an AWS Price List offer file: no formatVersion");
    if (publicationDate === undefined || !/^\d{4}-\d{2}-\d{2}T/.test(publicationDate)) {
      throw new OfferImportError(
        `publicationDate: expected an ISO timestamp, got ${publicationDate === undefined ? "nothing" : JSON.stringify(publicationDate)}`,
      );
    }
    if (!this.productsSeen) throw new OfferImportError("no products map");
    if (!this.onDemandSeen) throw new OfferImportError("no terms.OnDemand map");
    const offerCode = this.resolveService();
    if (offerCode === undefined) {
      throw new OfferImportError("no offerCode in the file: say which service it is with --service");
    }
    return {
      meta: { formatVersion, offerCode, version, publicationDate },
      onDemand: [...this.kept.values()].map((instance) => ({
        instance,
        price: this.prices.get(instance.sku) ?? {
          unpricedReason: `the offer file has no on-demand term for its Linux on-demand product (SKU ${instance.sku})`,
        },
      })),
      capacityBlocks: [...this.capacityBlocks.values()],
    };
  }
}

function expectObject(kind: ContainerKind, where: string): void {
  if (kind !== "object") throw new OfferImportError(`${where}: expected an object, found an array`);
}

/** Reads the hourly USD price of one SKU's on-demand terms, naming any field that is malformed. */
export function readOnDemandPrice(sku: string, offer: JsonValue): OfferPrice {
  const at = `terms.OnDemand.${sku}`;
  if (!isRecord(offer)) throw new OfferImportError(`${at}: expected an object`);
  const terms = Object.entries(offer);
  const globalTerms = terms.filter(
    ([code, term]) =>
      code.endsWith(`.${ON_DEMAND_TERM}`) || (isRecord(term) && term.offerTermCode === ON_DEMAND_TERM),
  );
  const hourly = new Set<string>();
  for (const [code, term] of globalTerms.length > 0 ? globalTerms : terms) {
    if (!isRecord(term)) throw new OfferImportError(`${at}.${code}: expected an object`);
    const dimensions = term.priceDimensions;
    if (!isRecord(dimensions))
      throw new OfferImportError(`${at}.${code}.priceDimensions: missing or not an object`);
    for (const [rateCode, dimension] of Object.entries(dimensions)) {
      const where = `${at}.${code}.priceDimensions.${rateCode}`;
      if (!isRecord(dimension)) throw new OfferImportError(`${where}: expected an object`);
      if (dimension.unit !== "Hrs") continue;
      const usd = isRecord(dimension.pricePerUnit) ? dimension.pricePerUnit.USD : undefined;
      const text = typeof usd === "string" ? usd : usd instanceof JsonNumber ? usd.text : undefined;
      let amount: ReturnType<typeof money>;
      try {
        if (text === undefined) throw new RangeError("missing");
        amount = money(text);
      } catch {
        throw new OfferImportError(
          `${where}.pricePerUnit.USD: expected a decimal string such as "55.0400000000", got ${JSON.stringify(text ?? null)}`,
        );
      }
      if (amount.isNegative())
        throw new OfferImportError(`${where}.pricePerUnit.USD: negative price ${text}`);
      hourly.add(amount.toFixed());
    }
  }
  if (terms.length === 0) return { unpricedReason: `the offer file lists no on-demand term (SKU ${sku})` };
  if (hourly.size === 0)
    return { unpricedReason: `the on-demand term has no hourly (Hrs) price (SKU ${sku})` };
  if (hourly.size > 1) {
    return {
      unpricedReason: `the on-demand term lists several hourly prices (${[...hourly].join(", ")}; SKU ${sku})`,
    };
  }
  const usdPerHour = [...hourly][0]!;
  if (money(usdPerHour).isZero()) {
    return {
      unpricedReason: `the offer file lists $0.00/h on demand (SKU ${sku}), which is not a real price`,
    };
  }
  return { usdPerHour };
}
