import { inferenceEconomics } from "../../src/economics/margin.js";
import { type EstimatorOptions, estimateStack, type StackEstimate } from "../../src/estimate/estimator.js";
import type { EstimateStatus, ResourceEstimate, ResourceInput } from "../../src/estimate/types.js";
import { formatAmount, type Money, money } from "../../src/money.js";

/** A component's projected cost, as the plain values its outputs carry (money as decimal strings). */
export interface CostSummary {
  /** "priced", "unpriced", "unknown" or "not-applicable": the least certain of the component's resources. */
  costStatus: EstimateStatus;
  /** Why the cost is not priced, naming the resource. */
  costReason?: string;
  /** Monthly run-rate at the expected (baseline) count and hours, 2 decimal places. Absent unless priced. */
  monthlyBaselineUsd?: string;
  /** Monthly run-rate at the scaling maximum, always on, on demand. Absent unless priced. */
  monthlyWorstCaseUsd?: string;
  /** One-time spend (capacity blocks, declared training runs). Absent unless priced. */
  oneTimeUsd?: string;
  /** Accelerators (GPUs, Inferentia/Trainium chips) at the worst-case instance count. */
  acceleratorCount: number;
  pricingRegion?: string;
  costAssumptions: string[];
  /** Baseline monthly cost / declared millions of tokens, 4 decimal places. */
  costPer1mTokensUsd?: string;
  /** (revenue - baseline cost) / revenue x 100, 2 decimal places; what the margin policy judges. */
  grossMarginPercent?: string;
  /** Declared tokens / what the baseline instances can serve at the declared throughput, 2 places. */
  utilizationPercent?: string;
}

// Least certain first: one unknown or unpriced resource makes the component's total unknowable.
const STATUS_ORDER: readonly EstimateStatus[] = ["unknown", "unpriced", "priced", "not-applicable"];

function statusOf(estimates: readonly ResourceEstimate[]): EstimateStatus {
  for (const status of STATUS_ORDER) if (estimates.some((e) => e.status === status)) return status;
  return "not-applicable";
}

function places(value: Money, digits: number): string {
  return value.toDecimalPlaces(digits).toFixed(digits);
}

/** Instances running at the baseline: the count of every hourly baseline line item. */
function baselineInstances(estimate: ResourceEstimate): number {
  return (estimate.monthly?.baseline.lineItems ?? [])
    .filter((item) => item.unit === "hour")
    .reduce((n, item) => n + item.count, 0);
}

function marginOf(
  stack: StackEstimate,
): Pick<CostSummary, "costPer1mTokensUsd" | "grossMarginPercent" | "utilizationPercent"> {
  const capacity = stack.resources.find((e) => e.monthly !== undefined);
  if (!capacity) return {};
  const hours = capacity.economics.hoursPerMonth ?? money(stack.hoursPerMonth);
  const econ = inferenceEconomics(stack.totals.monthlyBaseline, capacity.economics, {
    instances: baselineInstances(capacity),
    hoursPerMonth: hours,
  });
  if (!econ) return {};
  return {
    costPer1mTokensUsd: places(econ.costPer1mTokensUsd, 4),
    grossMarginPercent: places(econ.grossMarginPercent, 2),
    ...(econ.utilizationPercent ? { utilizationPercent: places(econ.utilizationPercent, 2) } : {}),
  };
}

/** Summarises a whole-stack estimate of the component's children (links between them resolve). */
export function summarizeEstimate(stack: StackEstimate): CostSummary {
  const estimates = stack.resources;
  const costStatus = statusOf(estimates);
  const assumptions = [...new Set(estimates.flatMap((e) => e.assumptions))];
  const region = estimates.find((e) => e.region !== undefined)?.region?.region;
  const summary: CostSummary = {
    costStatus,
    acceleratorCount: estimates.reduce((n, e) => n + (e.accelerators?.total ?? 0), 0),
    costAssumptions: assumptions,
    ...(region ? { pricingRegion: region } : {}),
  };
  if (costStatus !== "priced") {
    const reasons = estimates
      .filter((e) => e.status === costStatus && e.reason)
      .map((e) => `${e.name}: ${e.reason}`);
    return { ...summary, ...(reasons.length > 0 ? { costReason: reasons.join("; ") } : {}) };
  }
  const { totals } = stack;
  const hasOneTime = estimates.some((e) => e.oneTime !== undefined);
  return {
    ...summary,
    monthlyBaselineUsd: formatAmount(totals.monthlyBaseline),
    monthlyWorstCaseUsd: formatAmount(totals.monthlyWorstCase),
    ...(hasOneTime ? { oneTimeUsd: formatAmount(totals.oneTime) } : {}),
    ...marginOf(stack),
  };
}

/** The core's whole-stack estimate of the children, summarised for the component's outputs. */
export function estimateChildren(
  resources: readonly ResourceInput[],
  options: EstimatorOptions,
  /** Where the settings came from: said in costAssumptions, so a missing price sheet is visible. */
  settingsNote = "",
): CostSummary {
  const summary = summarizeEstimate(estimateStack(resources, options));
  if (settingsNote) summary.costAssumptions = [...summary.costAssumptions, `priced with ${settingsNote}`];
  return summary;
}
