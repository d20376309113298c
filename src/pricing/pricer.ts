import { globMatch, type PriceCatalog } from "../catalog/catalog.js";
import type { BedrockCommitment, BedrockRateEntry, CatalogEntry } from "../catalog/schema.js";
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
    return { priced: false, reason: this.missingPrice(request, entry) };
  }

  /** Why a type has no price in a region, and the one-line price-sheet fix. */
  private missingPrice(
    { instanceType, region, service }: RateRequest,
    entry: CatalogEntry | undefined,
  ): string {
    const elsewhere = this.catalog.pricedRegionsOf(instanceType).filter((r) => r !== region);
    let why: string;
    if (entry) why = `${instanceType} in ${region}: ${entry.unpricedReason}`;
    else if (separatePartition(region)) why = `${instanceType} in ${region}: ${separatePartition(region)}`;
    else if (!this.catalog.knowsType(instanceType)) return `${instanceType} is not in the price catalog`;
    else if (service === "sagemaker") why = `${instanceType} has no sourced SageMaker price for ${region}`;
    else if (!this.catalog.coversRegion(service, region)) {
      why = `${instanceType} has no price for ${region}: the catalog has no ${service} prices for that region`;
    } else why = `${instanceType} has no on-demand price for ${region} in the catalog (not offered there)`;
    return `${why}${pricedIn(elsewhere)}${regionsFix(region, elsewhere[0])}`;
  }

  private fromCatalog(entry: CatalogEntry, adjustments: string[]): PricedRate {
    const source = this.catalog.sources[entry.sourceId];
    const discounted = this.discounted(money(entry.usdPerHour!));
    return {
      priced: true,
      usdPerHour: discounted.rate,
      basis: "on-demand",
      adjustments: [...adjustments, ...discounted.notes],
      price: { source: source ? source.reference : entry.sourceId, date: entry.priceAsOf },
    };
  }

  /** The sheet's negotiated discount on a public catalog price. */
  private discounted(listed: Money): { rate: Money; notes: string[] } {
    const discount = this.sheet?.discountPercent ?? 0;
    if (discount <= 0) return { rate: listed, notes: [] };
    return {
      rate: listed.times(money(100 - discount)).dividedBy(100),
      notes: [`negotiated discount -${discount}% on ${formatRate(listed)} (price sheet)`],
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

  bedrockModelUnit(model: string, commitment: BedrockCommitment, region: string): RateQuote {
    const rates = (this.sheet?.bedrockRates ?? []).filter(
      (r) => globMatch(r.model, model) && r.commitment === commitment,
    );
    // Most specific first, whatever the order in the sheet: exact model before a glob, own region before "*".
    const match =
      rates.find((r) => r.model === model && r.region === region) ??
      rates.find((r) => r.model === model && r.region === "*") ??
      rates.find((r) => r.region === region) ??
      rates.find((r) => r.region === "*");
    if (match) {
      return {
        priced: true,
        usdPerHour: money(match.usdPerModelUnitHour),
        basis: modelUnitBasis(commitment),
        adjustments: [],
        price: {
          source: `price sheet "${this.sheet!.name}"${match.note ? ` (${match.note})` : ""}`,
          date: this.sheet!.effectiveDate ?? "undated",
        },
      };
    }
    const entry = this.catalog.bedrockRate(model, commitment, region);
    if (entry?.usdPerModelUnitHour) return this.bedrockFromCatalog(entry, commitment, []);
    const rule = this.sheet?.regions[region];
    const other = rule && this.catalog.bedrockRate(model, commitment, rule.priceLike);
    if (rule && other?.usdPerModelUnitHour) {
      const quote = this.bedrockFromCatalog(other, commitment, [
        `${region} priced like ${rule.priceLike} x ${rule.multiplier} (price sheet regions)`,
      ]);
      return { ...quote, usdPerHour: quote.usdPerHour.times(money(rule.multiplier)) };
    }
    const term = `${commitment === "none" ? "no" : commitment} commitment`;
    const elsewhere = this.catalog
      .bedrockRatesOf(model)
      .filter((r) => r.commitment === commitment && r.usdPerModelUnitHour !== null && r.region !== region)
      .map((r) => r.region);
    const why = entry
      ? `${model} (${term}) in ${region}: ${entry.unpricedReason}`
      : `no Bedrock model-unit rate for ${model} (${term}) in ${region}: public provisioned-throughput prices are sparse and quoted per account`;
    return { priced: false, reason: `${why}${pricedIn(elsewhere)}${regionsFix(region, elsewhere[0])}` };
  }

  private bedrockFromCatalog(entry: BedrockRateEntry, commitment: BedrockCommitment, adjustments: string[]) {
    const listed = money(entry.usdPerModelUnitHour!);
    const discounted = this.discounted(listed);
    const source = this.catalog.sources[entry.sourceId];
    return {
      priced: true as const,
      usdPerHour: discounted.rate,
      basis: modelUnitBasis(commitment),
      adjustments: [...adjustments, ...discounted.notes],
      price: { source: source ? source.reference : entry.sourceId, date: entry.priceAsOf },
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

function modelUnitBasis(commitment: BedrockCommitment): string {
  return `${commitment === "none" ? "no-commitment" : `${commitment} commitment`} model unit`;
}

/** GovCloud, China and the isolated regions publish prices in their own partition's Price List. */
export function separatePartition(region: string): string | undefined {
  if (region.startsWith("us-gov-")) {
    return "AWS GovCloud (US) is a separate AWS partition whose prices the embedded catalog does not carry";
  }
  if (region.startsWith("cn-")) {
    return "the AWS China regions are a separate partition (priced in CNY by the local operators) that the embedded catalog does not carry";
  }
  if (/-iso[a-z]?-/.test(region)) {
    return "AWS isolated (ISO) regions are a separate partition whose prices are not public";
  }
  return undefined;
}

/** " (priced in us-east-1, us-west-2 and 18 more)", or nothing. */
function pricedIn(regions: readonly string[]): string {
  if (regions.length === 0) return "";
  const shown = regions.slice(0, 4).join(", ");
  return ` (priced in ${shown}${regions.length > 4 ? ` and ${regions.length - 4} more` : ""})`;
}

/** The one-line price-sheet fix where another region has a price: a regions rule prices the whole region like it. */
function regionsFix(region: string, like: string | undefined): string {
  if (like === undefined) return "";
  return `; a price-sheet regions rule {"${region}": {"priceLike": "${like}", "multiplier": "<ratio>"}} or rate prices it`;
}
