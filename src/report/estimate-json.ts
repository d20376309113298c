import type { CostTotals, StackEstimate } from "../estimate/estimator.js";
import type { CostBreakdown, LineItem, ResourceEstimate } from "../estimate/types.js";
import { formatAmount } from "../money.js";

/** Version tag of the JSON documents `computeguard estimate --format json` writes. */
export const ESTIMATE_SCHEMA = "computeguard.estimate/v1";

export function lineItemJson(item: LineItem) {
  return {
    description: item.description,
    unitPrice: item.unitPrice.toFixed(),
    unit: item.unit,
    quantity: item.quantity.toFixed(),
    count: item.count,
    amount: formatAmount(item.amount),
    priceSource: item.price.source,
    priceDate: item.price.date,
  };
}

export function breakdownJson(b: CostBreakdown | undefined) {
  return b ? { total: formatAmount(b.total), lineItems: b.lineItems.map(lineItemJson) } : null;
}

export function totalsJson(t: CostTotals) {
  return {
    monthlyBaseline: formatAmount(t.monthlyBaseline),
    monthlyWorstCase: formatAmount(t.monthlyWorstCase),
    oneTime: formatAmount(t.oneTime),
  };
}

export function resourceJson(e: ResourceEstimate) {
  return {
    urn: e.urn,
    type: e.type,
    name: e.name,
    status: e.status,
    reason: e.reason ?? null,
    category: e.category,
    region: e.region ?? null,
    monthly: e.monthly
      ? { baseline: breakdownJson(e.monthly.baseline), worstCase: breakdownJson(e.monthly.worstCase) }
      : null,
    oneTime: breakdownJson(e.oneTime),
    instanceTypes: e.instanceTypes,
    accelerators: e.accelerators ?? null,
    scaling: e.scaling ? { ...e.scaling, max: e.scaling.max ?? null } : null,
    assumptions: e.assumptions,
    unknownFields: e.unknownFields,
    // Of those, a scaler's maximum: while one is unknown nothing bounds the scale.
    unknownMaxima: e.unknownMaxima ?? [],
    // Why there is no price, as the price-sheet entry that would give one (or no adapter: the tripwire).
    unpriced: e.unpriced ?? null,
    unpricedTypes: e.unpricedTypes ?? [],
    tripwire: e.tripwire ?? [],
    linkedTo: e.linkedTo ?? null,
  };
}

export function estimateJson(stack: StackEstimate, meta: { priceSheet?: string | undefined } = {}) {
  const counts = { priced: 0, unpriced: 0, unknown: 0, "not-applicable": 0 };
  for (const r of stack.resources) counts[r.status] += 1;
  return {
    schema: ESTIMATE_SCHEMA,
    currency: "USD",
    catalogVersion: stack.catalogVersion,
    priceSheet: meta.priceSheet ?? null,
    hoursPerMonth: stack.hoursPerMonth,
    totals: totalsJson(stack.totals),
    // Resources left out of the totals, which are then lower bounds: never a $0 for what has no price.
    notPriced: stack.notPriced,
    counts,
    resources: stack.resources.map(resourceJson),
  };
}
