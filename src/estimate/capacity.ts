import { formatRate, type Money, money, sum, toCents } from "../money.js";
import { acceleratorTypes } from "../pricing/accelerator-types.js";
import {
  type PriceRef,
  type Purchase,
  type Service,
  serviceOf,
  type UnpricedRate,
} from "../pricing/pricer.js";
import type { AcceleratorSummary, CostBreakdown, EstimateContext, LineItem } from "./types.js";

/** Instances of one type bought one way: the unit every compute adapter reduces its props to. */
export interface CapacityPool {
  /** e.g. "variant AllTraffic"; prefixed to the line item. */
  label?: string;
  instanceType: string;
  /** The type the worst case is priced at, when several may run (most expensive of the candidates). */
  worstCaseInstanceType?: string;
  purchase: Purchase;
  baselineCount: number;
  worstCaseCount: number;
}

export interface CapacityUsage {
  service: Service;
  region: string;
  pools: CapacityPool[];
  baselineHours: Money;
  worstCaseHours: Money;
}

export type CapacityPricing =
  | {
      priced: true;
      monthly: { baseline: CostBreakdown; worstCase: CostBreakdown };
      accelerators?: AcceleratorSummary;
      adjustments: string[];
    }
  | UnpricedRate;

export function lineItem(
  label: string,
  basis: string,
  unitPrice: Money,
  quantity: Money,
  unit: LineItem["unit"],
  count: number,
  price: PriceRef,
): LineItem {
  const unitText = unit === "hour" ? "h" : unit === "model-unit-hour" ? "model-unit-h" : "";
  return {
    description:
      `${label} ${basis} ${formatRate(unitPrice)} x ${quantity.toFixed()} ${unitText} x ${count}`.replace(
        /\s+/g,
        " ",
      ),
    unitPrice,
    unit,
    quantity,
    count,
    amount: toCents(unitPrice.times(quantity).times(count)),
    price,
  };
}

export function breakdown(lineItems: LineItem[]): CostBreakdown {
  return { total: sum(lineItems.map((l) => l.amount)), lineItems };
}

/**
 * The one pricing step for instance capacity. Baseline: the pool's purchase option (spot factor,
 * savings plan) at baseline hours and count. Worst case: on-demand (spot can be reclaimed and
 * re-bought at up to on-demand; usage above a savings-plan commitment bills on demand) at
 * worst-case hours and count.
 */
export function priceCapacity(usage: CapacityUsage, ctx: EstimateContext): CapacityPricing {
  const baseline: LineItem[] = [];
  const worstCase: LineItem[] = [];
  const adjustments = new Set<string>();
  let accelerators: AcceleratorSummary | undefined;
  for (const pool of usage.pools) {
    const label = pool.label ? `${pool.label}: ${pool.instanceType}` : pool.instanceType;
    const base = ctx.pricer.hourly({
      instanceType: pool.instanceType,
      region: usage.region,
      service: usage.service,
      purchase: pool.purchase,
      applySavingsPlan: true,
    });
    if (!base.priced) return base;
    const worstType = pool.worstCaseInstanceType ?? pool.instanceType;
    const worst = ctx.pricer.hourly({
      instanceType: worstType,
      region: usage.region,
      service: usage.service,
      purchase: "on-demand",
      applySavingsPlan: false,
    });
    if (!worst.priced) return worst;
    for (const a of [...base.adjustments, ...worst.adjustments]) adjustments.add(a);
    baseline.push(
      lineItem(
        label,
        base.basis,
        base.usdPerHour,
        usage.baselineHours,
        "hour",
        pool.baselineCount,
        base.price,
      ),
    );
    const worstLabel = pool.label ? `${pool.label}: ${worstType}` : worstType;
    worstCase.push(
      lineItem(
        worstLabel,
        worst.basis,
        worst.usdPerHour,
        usage.worstCaseHours,
        "hour",
        pool.worstCaseCount,
        worst.price,
      ),
    );
    const specs = ctx.pricer.catalog.specs(worstType);
    if (specs && specs.accelerator.count > 0) {
      const total = (accelerators?.total ?? 0) + specs.accelerator.count * pool.worstCaseCount;
      accelerators = {
        vendor: specs.accelerator.vendor,
        model: specs.accelerator.model,
        perInstance: Math.max(accelerators?.perInstance ?? 0, specs.accelerator.count),
        total,
      };
    }
  }
  return {
    priced: true,
    monthly: { baseline: breakdown(baseline), worstCase: breakdown(worstCase) },
    ...(accelerators ? { accelerators } : {}),
    adjustments: [...adjustments],
  };
}

export type Dearest =
  | { found: true; type: string }
  | { found: false; unpriced?: { type: string; quote: UnpricedRate } };

/**
 * The candidate that costs the most at its worst-case count (what the worst case assumes). An
 * accelerator type without a price makes the worst case unknown, since it may be the dearest; a
 * type without an accelerator that the catalog does not know is not GPU spend and is passed over.
 * With `offeredOnly` (candidates a rule allows, not a list the program wrote), types not sold on
 * demand in the region are passed over too: they cannot launch there.
 */
export function dearest(
  types: readonly string[],
  region: string,
  service: Service,
  ctx: EstimateContext,
  options: { countOf?: (type: string) => number; offeredOnly?: boolean } = {},
): Dearest {
  const accelerators = acceleratorTypes(ctx.pricer.catalog);
  let best: { type: string; cost: Money } | undefined;
  for (const type of types) {
    if (serviceOf(type) !== service) continue;
    const quote = ctx.pricer.hourly({
      instanceType: type,
      region,
      service,
      purchase: "on-demand",
      applySavingsPlan: false,
    });
    if (!quote.priced) {
      if (options.offeredOnly || !accelerators.isAccelerator(type)) continue;
      return { found: false, unpriced: { type, quote } };
    }
    const cost = quote.usdPerHour.times(options.countOf?.(type) ?? 1);
    if (!best || cost.greaterThan(best.cost)) best = { type, cost };
  }
  return best ? { found: true, type: best.type } : { found: false };
}

export function hoursAssumptions(
  ctx: EstimateContext,
  declared: Money | undefined,
): { baselineHours: Money; worstCaseHours: Money; assumptions: string[] } {
  const month = money(ctx.hoursPerMonth);
  if (declared === undefined) {
    return {
      baselineHours: month,
      worstCaseHours: month,
      assumptions: [`${ctx.hoursPerMonth} hours per month (always on)`],
    };
  }
  const worst = declared.greaterThan(month) ? declared : month;
  return {
    baselineHours: declared,
    worstCaseHours: worst,
    assumptions: [
      `baseline ${declared.toFixed()} hours per month (computeguard:hours-per-month); worst case ${worst.toFixed()} hours (the schedule may not be enforced)`,
    ],
  };
}
