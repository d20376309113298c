import { embeddedCatalog, type PriceCatalog } from "../catalog/catalog.js";
import { type Money, sum } from "../money.js";
import { acceleratorTypes } from "../pricing/accelerator-types.js";
import type { PriceSheet } from "../pricing/price-sheet.js";
import { Pricer } from "../pricing/pricer.js";
import { adapterFor, admit, REFERENCES } from "../resources/registry.js";
import { tripwire } from "../resources/tripwire.js";
import { blankEstimate, notApplicable, withStatus } from "./build.js";
import { StackLinks } from "./links.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "./types.js";

export const DEFAULT_HOURS_PER_MONTH = 730;

export interface EstimatorOptions {
  catalog?: PriceCatalog;
  priceSheet?: PriceSheet;
  /** The stack's `aws:region` config: used after the provider, availability zone and ARN. */
  stackRegion?: string;
  /** Said in every estimate that uses it, e.g. "Pulumi.prod.yaml" or "preview config". */
  stackRegionSource?: string;
  defaultRegion?: string;
  /** Said in every estimate that falls back to the default region, e.g. "--region". */
  defaultRegionSource?: string;
  hoursPerMonth?: number;
  boundingInstanceTypes?: readonly string[];
}

/** One pricer per catalog and sheet, so its quotes are reused by every estimate made with them. */
const pricers = new WeakMap<PriceCatalog, Map<PriceSheet | undefined, Pricer>>();

function pricerFor(catalog: PriceCatalog, sheet: PriceSheet | undefined): Pricer {
  let bySheet = pricers.get(catalog);
  if (!bySheet) {
    bySheet = new Map();
    pricers.set(catalog, bySheet);
  }
  let pricer = bySheet.get(sheet);
  if (!pricer) {
    pricer = new Pricer(catalog, sheet);
    bySheet.set(sheet, pricer);
  }
  return pricer;
}

/** Links between the resources of one stack, as the adapter registry declares them. */
export function stackLinks(complete: boolean, resources: Iterable<ResourceInput> = []): StackLinks {
  return new StackLinks(complete, REFERENCES, resources, admit);
}

export function createContext(options: EstimatorOptions, links: StackLinks): EstimateContext {
  return {
    pricer: pricerFor(options.catalog ?? embeddedCatalog(), options.priceSheet),
    ...(options.stackRegion !== undefined ? { stackRegion: options.stackRegion } : {}),
    ...(options.stackRegionSource ? { stackRegionSource: options.stackRegionSource } : {}),
    defaultRegion: options.defaultRegion ?? "us-east-1",
    defaultRegionSource: options.defaultRegionSource ?? "built-in default us-east-1",
    hoursPerMonth: options.hoursPerMonth ?? DEFAULT_HOURS_PER_MONTH,
    links,
    ...(options.boundingInstanceTypes ? { boundingInstanceTypes: options.boundingInstanceTypes } : {}),
  };
}

/**
 * Never throws: an adapter failure on odd props is an `unknown` finding, not a crash or $0. A type
 * no adapter prices goes through the tripwire: unpriced if its properties name an accelerator type.
 */
export function estimateResource(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const adapter = adapterFor(input.type);
  if (!adapter) {
    return (
      tripwire(input, acceleratorTypes(ctx.pricer.catalog)) ??
      notApplicable(input, "not a GPU, accelerator or inference resource")
    );
  }
  try {
    return adapter(input, ctx);
  } catch (error) {
    return withStatus(
      blankEstimate(input, "none"),
      "unknown",
      `could not read the resource's properties: ${(error as Error).message}`,
    );
  }
}

export interface CostTotals {
  monthlyBaseline: Money;
  monthlyWorstCase: Money;
  oneTime: Money;
}

export interface StackEstimate {
  resources: ResourceEstimate[];
  /** What the priced resources cost: a lower bound ("at least") when `notPriced` > 0. */
  totals: CostTotals;
  /** Resources left out of the totals because they cannot be priced (never counted as $0). */
  notPriced: number;
  catalogVersion: string;
  hoursPerMonth: number;
}

/** Unpriced, or unknown with no bound: never $0, so left out of totals and deltas, and counted. */
export function isNotPriced(e: ResourceEstimate): boolean {
  return e.status === "unpriced" || (e.status === "unknown" && !e.monthly && !e.oneTime);
}

export function totalsOf(estimates: readonly ResourceEstimate[]): CostTotals {
  return {
    monthlyBaseline: sum(estimates.flatMap((e) => (e.monthly ? [e.monthly.baseline.total] : []))),
    monthlyWorstCase: sum(estimates.flatMap((e) => (e.monthly ? [e.monthly.worstCase.total] : []))),
    oneTime: sum(estimates.flatMap((e) => (e.oneTime ? [e.oneTime.total] : []))),
  };
}

/** Every resource of a stack, with references between them resolved. */
export function estimateStack(
  inputs: readonly ResourceInput[],
  options: EstimatorOptions = {},
): StackEstimate {
  const ctx = createContext(options, stackLinks(true, inputs));
  const resources = inputs.map((input) => estimateResource(input, ctx));
  return {
    resources,
    totals: totalsOf(resources),
    notPriced: resources.filter(isNotPriced).length,
    catalogVersion: ctx.pricer.catalog.version,
    hoursPerMonth: ctx.hoursPerMonth,
  };
}
