import type { PriceCatalog } from "../catalog/catalog.js";
import type { CatalogEntry } from "../catalog/schema.js";
import { formatRate, type Money, money } from "../money.js";
import type { PriceSheet } from "./price-sheet.js";

export type Service = "ec2" | "sagemaker";
export type Purchase = "on-demand" | "spot";

/** Where a price came from, carried into every line item. */
export interface PriceRef {
  source: string;
  date: string;
}

export interface PricedRate {
  priced: true;
  usdPerHour: Money;
  /** "on-demand" or "spot" and every adjustment, in words, for the line item. */
  basis: string;
  adjustments: string[];
  price: PriceRef;
}

export interface UnpricedRate {
  priced: false;
  reason: string;
}

export type RateQuote = PricedRate | UnpricedRate;

export interface RateRequest {
  instanceType: string;
  region: string;
  service: Service;
  purchase: Purchase;
  /** Savings plans cover committed (baseline) usage; worst-case usage above it bills on demand. */
  applySavingsPlan: boolean;
}

export function familyOf(instanceType: string): string {
  const bare = instanceType.startsWith("ml.") ? instanceType.slice(3) : instanceType;
  return bare.split(".")[0] ?? bare;
}

export function serviceOf(instanceType: string): Service {
  return instanceType.startsWith("ml.") ? "sagemaker" : "ec2";
}

/** Turns an instance type, region and purchase option into an hourly rate: price sheet first, then catalog. */
export class Pricer {
  /** Quotes by request: a stack asks for the same few types thousands of times. Callers only read them. */
  private readonly quotes = new Map<string, RateQuote>();

  constructor(
    readonly catalog: PriceCatalog,
    readonly sheet?: PriceSheet,
  ) {}

  hourly(request: RateRequest): RateQuote {
    const key = `${request.instanceType}|${request.region}|${request.service}|${request.purchase}|${request.applySavingsPlan}`;
    let quote = this.quotes.get(key);
    if (quote === undefined) {
      quote = this.quote(request);
      this.quotes.set(key, quote);
    }
    return quote;
  }

  private quote(request: RateRequest): RateQuote {
    const base = this.onDemand(request);
    if (!base.priced) return base;
    let rate = base.usdPerHour;
    const adjustments = [...base.adjustments];
    let basis = "on-demand";
    if (request.purchase === "spot") {
      const factor = this.sheet?.spotFactor;
      if (factor !== undefined) {
        rate = rate.times(money(factor));
        basis = "spot";
        adjustments.push(`spot at ${factor} x on-demand (price sheet spotFactor)`);
      } else {
        basis = "spot (priced at on-demand)";
        adjustments.push("spot priced at on-demand: the price sheet sets no spotFactor (upper bound)");
      }
    } else if (request.applySavingsPlan && this.sheet?.savingsPlan?.services.includes(request.service)) {
      const pct = this.sheet.savingsPlan.discountPercent;
      rate = rate.times(money(100 - pct)).dividedBy(100);
      basis = "savings plan";
      adjustments.push(`savings plan -${pct}% (price sheet)`);
    }
    return { priced: true, usdPerHour: rate, basis, adjustments, price: base.price };
  }

  private onDemand(request: RateRequest): RateQuote {
    const custom = this.customRate(request);
    if (custom) return custom;
    const { instanceType, region } = request;
    const entry = this.catalog.find(instanceType, region);
    if (entry?.usdPerHour) return this.fromCatalog(entry, []);
    const rule = this.sheet?.regions[region];
    if (rule) {
      const other = this.catalog.find(instanceType, rule.priceLike);
      if (other?.usdPerHour) {
        const quote = this.fromCatalog(other, [
          `${region} priced like ${rule.priceLike} x ${rule.multiplier} (price sheet regions)`,
        ]);
        return { ...quote, usdPerHour: quote.usdPerHour.times(money(rule.multiplier)) };
      }
    }
    if (entry) return { priced: false, reason: `${instanceType} in ${region}: ${entry.unpricedReason}` };
    const regions = this.catalog.regionsOf(instanceType);
    if (regions.length > 0) {
      return {
        priced: false,
        reason: `${instanceType} has no price for ${region} (catalog has ${regions.join(", ")})`,
      };
    }
    return { priced: false, reason: `${instanceType} is not in the price catalog` };
  }

  private fromCatalog(entry: CatalogEntry, adjustments: string[]): PricedRate {
    const source = this.catalog.sources[entry.sourceId];
    let rate = money(entry.usdPerHour!);
    const notes = [...adjustments];
    const discount = this.sheet?.discountPercent ?? 0;
    if (discount > 0) {
      rate = rate.times(money(100 - discount)).dividedBy(100);
      notes.push(
        `negotiated discount -${discount}% on ${formatRate(money(entry.usdPerHour!))} (price sheet)`,
      );
    }
    return {
      priced: true,
      usdPerHour: rate,
      basis: "on-demand",
      adjustments: notes,
      price: { source: source ? source.reference : entry.sourceId, date: entry.priceAsOf },
    };
  }

  private customRate(request: RateRequest): PricedRate | undefined {
    const rates = (this.sheet?.rates ?? []).filter((r) => r.service === request.service);
    const family = familyOf(request.instanceType);
    // Most specific first, whatever the order in the sheet: type before family, own region before "*".
    const match =
      rates.find((r) => r.instanceType === request.instanceType && r.region === request.region) ??
      rates.find((r) => r.instanceType === request.instanceType && r.region === "*") ??
      rates.find((r) => r.family === family && r.region === request.region) ??
      rates.find((r) => r.family === family && r.region === "*");
    if (!match) return undefined;
    const what = match.instanceType ? match.instanceType : `family ${match.family}`;
    return {
      priced: true,
      usdPerHour: money(match.usdPerHour),
      basis: "on-demand",
      adjustments: [`custom rate for ${what} (price sheet)`],
      price: {
        source: `price sheet "${this.sheet!.name}"${match.note ? ` (${match.note})` : ""}`,
        date: this.sheet!.effectiveDate ?? "undated",
      },
    };
  }

  bedrockModelUnit(model: string, commitment: string, region: string): RateQuote {
    const rates = (this.sheet?.bedrockRates ?? []).filter(
      (r) => globMatch(r.model, model) && r.commitment === commitment,
    );
    // Most specific first, whatever the order in the sheet: exact model before a glob, own region before "*".
    const match =
      rates.find((r) => r.model === model && r.region === region) ??
      rates.find((r) => r.model === model && r.region === "*") ??
      rates.find((r) => r.region === region) ??
      rates.find((r) => r.region === "*");
    if (!match) {
      return {
        priced: false,
        reason: `no Bedrock model-unit rate for ${model} (${commitment} commitment) in ${region}: public Bedrock provisioned-throughput prices are quoted per account`,
      };
    }
    return {
      priced: true,
      usdPerHour: money(match.usdPerModelUnitHour),
      basis: `${commitment === "none" ? "no-commitment" : `${commitment} commitment`} model unit`,
      adjustments: [],
      price: {
        source: `price sheet "${this.sheet!.name}"${match.note ? ` (${match.note})` : ""}`,
        date: this.sheet!.effectiveDate ?? "undated",
      },
    };
  }

  serverlessGbSecond(): RateQuote {
    const rate = this.sheet?.sagemakerServerless?.usdPerGbSecond;
    if (rate === undefined) {
      return {
        priced: false,
        reason:
          "SageMaker Serverless Inference is billed per GB-second and no confirmed rate is embedded: set sagemakerServerless.usdPerGbSecond in the price sheet",
      };
    }
    return {
      priced: true,
      usdPerHour: money(rate).times(3600),
      basis: `serverless $${rate}/GB-second`,
      adjustments: [],
      price: { source: `price sheet "${this.sheet!.name}"`, date: this.sheet!.effectiveDate ?? "undated" },
    };
  }
}

/** `*` matches any run of characters; everything else literally. */
export function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes("*")) return pattern === value;
  const escaped = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*")}$`).test(value);
}
