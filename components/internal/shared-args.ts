/**
 * Argument types every component shares. Plain interfaces without unions, intersections or
 * string-literal types, so `pulumi package add` can turn them into Python, Go, .NET and YAML types.
 */

/** What the capacity earns and who pays for it; stamped on the AWS resources as tags the policy pack reads. */
export interface EconomicsArgs {
  /** Tokens served per month (computeguard:tokens-per-month). */
  tokensPerMonth?: number;
  /** Price charged per 1M tokens, USD (computeguard:price-per-1m-tokens-usd). */
  pricePer1mTokensUsd?: number;
  /** Peak tokens per second one instance serves (computeguard:throughput-tokens-per-second). */
  throughputTokensPerSecond?: number;
  /** Model served or trained (computeguard:model). */
  model?: string;
  /** Team the spend is charged to (tags `team` and computeguard:team). */
  team?: string;
  /** Cost center the spend is charged to (tag `cost-center`). */
  costCenter?: string;
}

/** A rate for an instance type or family, already negotiated. Give exactly one of instanceType or family. */
export interface PriceSheetRateArgs {
  instanceType?: string;
  family?: string;
  /** "ec2" (default) or "sagemaker". */
  service?: string;
  /** A region, or "*" (default) for every region. */
  region?: string;
  /** Decimal string, e.g. "40.00". */
  usdPerHour: string;
  note?: string;
}

export interface PriceSheetBedrockRateArgs {
  /** Model id or glob, e.g. "anthropic.claude-3-*". */
  model: string;
  /** "none" (default), "1-month" or "6-month". */
  commitment?: string;
  region?: string;
  /** Decimal string. */
  usdPerModelUnitHour: string;
  note?: string;
}

export interface PriceSheetSavingsPlanArgs {
  discountPercent: number;
  /** "ec2" and/or "sagemaker". */
  services: string[];
}

export interface PriceSheetRegionRuleArgs {
  /** Region whose catalog prices this region borrows. */
  priceLike: string;
  /** Decimal string, default "1". */
  multiplier?: string;
}

export interface PriceSheetServerlessArgs {
  /** Decimal string. */
  usdPerGbSecond: string;
}

/** The price sheet (see src/pricing/price-sheet.ts): validated with the same schema the CLI and policy pack use. */
export interface PriceSheetArgs {
  name?: string;
  /** ISO date, YYYY-MM-DD. */
  effectiveDate?: string;
  discountPercent?: number;
  /** Decimal string in (0, 1]. */
  spotFactor?: string;
  savingsPlan?: PriceSheetSavingsPlanArgs;
  rates?: PriceSheetRateArgs[];
  bedrockRates?: PriceSheetBedrockRateArgs[];
  regions?: { [region: string]: PriceSheetRegionRuleArgs };
  sagemakerServerless?: PriceSheetServerlessArgs;
}

/** Arguments about pricing and ownership that every component takes. */
export interface CostArgs {
  economics?: EconomicsArgs;
  /** Extra tags for the AWS resources; computeguard:* keys are set through `economics` instead. */
  tags?: { [key: string]: string };
  /** A price sheet object; give this or `priceSheetPath`, not both. */
  priceSheet?: PriceSheetArgs;
  /** Path of a price sheet JSON file, relative to the program's working directory. */
  priceSheetPath?: string;
  /** A catalog written by `computeguard prices import` / `prices refresh`, laid over the embedded one. */
  catalogPath?: string;
  /** Region to deploy and price in; without it, the provider's region (aws:region) is used. */
  region?: string;
}
