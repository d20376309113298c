import type { EstimatorOptions } from "../estimate/estimator.js";
import { diffCosts } from "../plan/cost-diff.js";
import { evaluateGate } from "../plan/gate.js";
import { DEFAULT_DEFLATION, type DeflationRates, projectSpend } from "../plan/projection.js";
import type { ResourcePlan } from "../plan/resource-plan.js";
import type { FailOn } from "../policy/enforcement.js";
import type { PolicySetting } from "../policy/pack-config.js";
import { buildDiffReport, type DiffReport, type DiffSource } from "./diff-model.js";

export interface PlanReportOptions {
  source: DiffSource;
  estimator?: EstimatorOptions & { priceSheetName?: string };
  /** The enabled policies; no gate without them. */
  policies?: readonly PolicySetting[];
  failOn?: FailOn;
  deflation?: DeflationRates;
  /** Report an incomplete plan (a failed preview) without failing (--allow-incomplete). */
  allowIncomplete?: boolean;
}

/**
 * The stack's own `aws:region` (a preview's config) is where its default provider deploys: it
 * comes before any fallback region the caller gives.
 */
function withStackRegion(
  estimator: EstimatorOptions & { priceSheetName?: string },
  plan: ResourcePlan,
): EstimatorOptions & { priceSheetName?: string } {
  if (!plan.stackRegion) return estimator;
  return {
    ...estimator,
    defaultRegion: plan.stackRegion,
    defaultRegionSource: "the stack's aws:region config",
  };
}

/** A plan priced on both sides, gated by the policies, projected: what every diff format renders. */
export function reportPlan(plan: ResourcePlan, options: PlanReportOptions): DiffReport {
  const estimator = withStackRegion(options.estimator ?? {}, plan);
  const diff = diffCosts(plan, estimator);
  const gate = options.policies
    ? evaluateGate(
        options.policies,
        diff.afterInputs,
        // With the old state, stack and team budgets judge the change (see gpu-stack-budget).
        { ...estimator, stack: plan.stack || "unknown-stack", before: { estimates: diff.pastEstimates } },
        options.failOn ?? "blocked",
      )
    : undefined;
  return buildDiffReport({
    diff,
    gate,
    projection: projectSpend(diff.pastEstimates, diff.newEstimates, options.deflation ?? DEFAULT_DEFLATION),
    source: options.source,
    priceSheet: estimator.priceSheetName,
    ...(plan.incomplete
      ? { incomplete: { reason: plan.incomplete, allowed: options.allowIncomplete === true } }
      : {}),
  });
}
