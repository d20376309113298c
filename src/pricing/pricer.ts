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

/**
 * Why a quote has no price, as the price-sheet entry that would give it one. `priceLike`: a
 * catalog region that prices it, which a one-line `regions` rule can price the region like.
 */
export type MissingPrice =
  | { kind: "instance-rate"; instanceType: string; priceLike?: string }
  | { kind: "bedrock-rate"; model: string; commitment: BedrockCommitment; priceLike?: string }
  | { kind: "serverless-rate" };

export interface UnpricedRate {
  priced: false;
  reason: string;
  missing: MissingPrice;
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
    if (entry?.usdPerHour) return this.fromCatalog(entry);
    const like = this.priceLike(region, (other) => {
      const elsewhere = this.catalog.find(instanceType, other);
      return elsewhere?.usdPerHour ? this.fromCatalog(elsewhere) : undefined;
    });
    if (like) return like;
    const elsewhere = this.catalog.pricedRegionsOf(instanceType).filter((r) => r !== region);
    return {
      priced: false,
      reason: this.missingPrice(request, entry, elsewhere),
      missing: {
        kind: "instance-rate",
        instanceType,
        ...priceLikeOf(elsewhere),
      },
    };
  }

  /** Why a type has no price in a region, and the one-line price-sheet fix. */
  private missingPrice(
    { instanceType, region, service }: RateRequest,
    entry: CatalogEntry | undefined,
    elsewhere: readonly string[],
  ): string {
    let why: string;
    if (entry) why = `${instanceType} in ${region}: ${clause(entry.unpricedReason)}`;
    else if (separatePartition(region)) why = `${instanceType} in ${region}: ${separatePartition(region)}`;
    else if (!this.catalog.knowsType(instanceType)) return `${instanceType} is not in the price catalog`;
    else if (service === "sagemaker") why = `${instanceType} has no sourced SageMaker price for ${region}`;
    else if (!this.catalog.coversRegion(service, region)) {
      why = `${instanceType} has no price for ${region}: the catalog has no ${service} prices for that region`;
    } else why = `${instanceType} has no on-demand price for ${region} in the catalog (not offered there)`;
    return `${why}${elsewhereHint(region, elsewhere)}`;
  }

  /** The sheet's `regions` rule: the price in the region it names, times its multiplier, said so. */
  private priceLike(
    region: string,
    priceIn: (other: string) => PricedRate | undefined,
  ): PricedRate | undefined {
    const rule = this.sheet?.regions[region];
    const quote = rule && priceIn(rule.priceLike);
    if (!rule || !quote) return undefined;
    return {
      ...quote,
      usdPerHour: quote.usdPerHour.times(money(rule.multiplier)),
      adjustments: [
        `${region} priced like ${rule.priceLike} x ${rule.multiplier} (price sheet regions)`,
        ...quote.adjustments,
      ],
    };
  }

  private fromCatalog(entry: CatalogEntry): PricedRate {
    return this.catalogPrice(entry.usdPerHour!, entry.sourceId, entry.priceAsOf, "on-demand");
  }

  /** A public catalog price, less the sheet's negotiated discount, with its source and date. */
  private catalogPrice(listedUsd: string, sourceId: string, date: string, basis: string): PricedRate {
    const discounted = this.discounted(money(listedUsd));
    const source = this.catalog.sources[sourceId];
    return {
      priced: true,
      usdPerHour: discounted.rate,
      basis,
      adjustments: discounted.notes,
      price: { source: source ? source.reference : sourceId, date },
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
    const fromCatalog = (entry: BedrockRateEntry | undefined) =>
      entry?.usdPerModelUnitHour
        ? this.catalogPrice(
            entry.usdPerModelUnitHour,
            entry.sourceId,
            entry.priceAsOf,
            modelUnitBasis(commitment),
          )
        : undefined;
    const entry = this.catalog.bedrockRate(model, commitment, region);
    const quote =
      fromCatalog(entry) ??
      this.priceLike(region, (other) => fromCatalog(this.catalog.bedrockRate(model, commitment, other)));
    if (quote) return quote;
    const term = `${commitment === "none" ? "no" : commitment} commitment`;
    const elsewhere = this.catalog
      .bedrockRatesOf(model)
      .filter((r) => r.commitment === commitment && r.usdPerModelUnitHour !== null && r.region !== region)
      .map((r) => r.region);
    const why = entry
      ? `${model} (${term}) in ${region}: ${clause(entry.unpricedReason)}`
      : `no Bedrock model-unit rate for ${model} (${term}) in ${region}: public provisioned-throughput prices are sparse and quoted per account`;
    return {
      priced: false,
      reason: `${why}${elsewhereHint(region, elsewhere)}`,
      missing: { kind: "bedrock-rate", model, commitment, ...priceLikeOf(elsewhere) },
    };
  }

  serverlessGbSecond(): RateQuote {
    const rate = this.sheet?.sagemakerServerless?.usdPerGbSecond;
    if (rate === undefined) {
      return {
        priced: false,
        reason:
          "SageMaker Serverless Inference is billed per GB-second and no confirmed rate is embedded: set sagemakerServerless.usdPerGbSecond in the price sheet",
        missing: { kind: "serverless-rate" },
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

/** A catalog reason as a clause: the sentence it joins ends it ("rate.." otherwise). */
function clause(text: string | undefined): string {
  return (text ?? "no price").replace(/[\s.]+$/, "");
}

/** The region elsewhereHint names for a `regions` rule (the first where the catalog has a price). */
function priceLikeOf(pricedIn: readonly string[]): { priceLike?: string } {
  return pricedIn[0] === undefined ? {} : { priceLike: pricedIn[0] };
}

/**
 * Where else the catalog has a price, and the one-line price-sheet fix that uses it: a `regions`
 * rule prices everything in the region like the first of them (us-east-1 when it has one).
 */
function elsewhereHint(region: string, pricedIn: readonly string[]): string {
  const like = pricedIn[0];
  if (like === undefined) return "";
  const shown = `${pricedIn.slice(0, 4).join(", ")}${pricedIn.length > 4 ? ` and ${pricedIn.length - 4} more` : ""}`;
  return ` (priced in ${shown}); a price-sheet regions rule {"${region}": {"priceLike": "${like}", "multiplier": "<ratio>"}} or rate prices it`;
}
