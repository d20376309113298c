import {
  type CostTotals,
  type EstimatorOptions,
  estimateStack,
  isNotPriced,
  totalsOf,
} from "../estimate/estimator.js";
import type { ResourceEstimate, ResourceInput } from "../estimate/types.js";
import { ZERO } from "../money.js";
import { type ChangeKind, isUnchanging } from "./operations.js";
import type { ResourcePlan } from "./resource-plan.js";

/** One priced resource's cost before and after the deployment. */
export interface ResourceCostChange {
  urn: string;
  type: string;
  name: string;
  change: ChangeKind;
  /** Absent when the resource does not exist before (create) ... */
  before?: ResourceEstimate;
  /** ... or after (delete). */
  after?: ResourceEstimate;
  /** after - before; undefined when either side exists but cannot be priced. */
  delta?: CostTotals;
  /** The deployment changes it, or its estimate moves (a linked scaling target changed). */
  changed: boolean;
}

export interface CostDiff {
  plan: ResourcePlan;
  resources: ResourceCostChange[];
  /**
   * `past` and `new` are what the priced resources cost: lower bounds ("at least") when `notPriced`
   * counts any on that side. `delta` is their difference, only meaningful when `unknownDeltas` is 0:
   * read it through `totalDelta`.
   */
  totals: { past: CostTotals; new: CostTotals; delta: CostTotals };
  /** Resources on each side left out of the totals because they cannot be priced. */
  notPriced: { past: number; new: number };
  /** Changed resources with a side that cannot be priced: while any, the total delta is unknown. */
  unknownDeltas: number;
  /** The whole stack before and after, as the estimator saw it (for projections and charts). */
  pastEstimates: ResourceEstimate[];
  newEstimates: ResourceEstimate[];
  /** The after-deployment inputs in plan order: what a policy run judges. */
  afterInputs: ResourceInput[];
  catalogVersion: string;
  hoursPerMonth: number;
}

const NO_COST: CostTotals = { monthlyBaseline: ZERO, monthlyWorstCase: ZERO, oneTime: ZERO };

export { isNotPriced };

function costOf(e: ResourceEstimate | undefined): CostTotals | undefined {
  if (!e) return NO_COST;
  return isNotPriced(e) ? undefined : totalsOf([e]);
}

/** The change in spend, or undefined when a changed resource cannot be priced (never against $0). */
export function totalDelta(diff: CostDiff): CostTotals | undefined {
  return diff.unknownDeltas > 0 ? undefined : diff.totals.delta;
}

export function minus(a: CostTotals, b: CostTotals): CostTotals {
  return {
    monthlyBaseline: a.monthlyBaseline.minus(b.monthlyBaseline),
    monthlyWorstCase: a.monthlyWorstCase.minus(b.monthlyWorstCase),
    oneTime: a.oneTime.minus(b.oneTime),
  };
}

function sameCost(a: ResourceEstimate | undefined, b: ResourceEstimate | undefined): boolean {
  if (!a || !b) return a === b;
  if (a.status !== b.status) return false;
  const ca = costOf(a);
  const cb = costOf(b);
  if (!ca || !cb) return !ca && !cb;
  const d = minus(ca, cb);
  return d.monthlyBaseline.isZero() && d.monthlyWorstCase.isZero() && d.oneTime.isZero();
}

/**
 * Prices both sides of a plan as whole stacks (links resolved within each side: the old endpoint
 * configuration with the old scaling target, the new with the new) and pairs them by URN.
 */
export function diffCosts(plan: ResourcePlan, options: EstimatorOptions = {}): CostDiff {
  const pastInputs = plan.resources.flatMap((r) => (r.before ? [r.before] : []));
  const afterInputs = plan.resources.flatMap((r) => (r.after ? [r.after] : []));
  const past = estimateStack(pastInputs, options);
  const next = estimateStack(afterInputs, options);
  // Paired by position, not URN: a copy awaiting deletion shares its URN with the live resource.
  let p = 0;
  let n = 0;

  const resources = plan.resources.map((r): ResourceCostChange => {
    const before = r.before ? past.resources[p++] : undefined;
    const after = r.after ? next.resources[n++] : undefined;
    const b = costOf(before);
    const a = costOf(after);
    return {
      urn: r.urn,
      type: r.type,
      name: r.name,
      change: r.change,
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
      ...(a && b ? { delta: minus(a, b) } : {}),
      changed: !isUnchanging(r.change) || !sameCost(before, after),
    };
  });
  const totals = { past: past.totals, new: next.totals, delta: minus(next.totals, past.totals) };
  return {
    plan,
    resources,
    totals,
    unknownDeltas: resources.filter((r) => r.changed && !r.delta).length,
    notPriced: {
      past: past.resources.filter(isNotPriced).length,
      new: next.resources.filter(isNotPriced).length,
    },
    pastEstimates: past.resources,
    newEstimates: next.resources,
    afterInputs,
    catalogVersion: next.catalogVersion,
    hoursPerMonth: next.hoursPerMonth,
  };
}
