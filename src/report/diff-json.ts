import { formatAmount, type Money, sum } from "../money.js";
import { totalDelta } from "../plan/cost-diff.js";
import type { MonthlySeries } from "../plan/projection.js";
import { enforce } from "../policy/enforcement.js";
import type { Finding } from "../policy/gate.js";
import { type DiffReport, headlineText } from "./diff-model.js";
import { resourceJson, totalsJson } from "./estimate-json.js";

/** Version tag of the documents `computeguard estimate --preview|--compare-to --format json` writes. */
export const DIFF_SCHEMA = "computeguard.diff/v2";

export function verdictJson(v: Finding) {
  return {
    policy: v.policy,
    outcome: v.outcome,
    ruleDecision: v.decision,
    level: v.level,
    levelNote: enforce(v.policy, v.decision, v.level).note ?? null,
    message: v.message,
    urn: v.urn ?? null,
    budget: v.budget ?? null,
    projected: v.projected ? formatAmount(v.projected) : null,
    limit: v.limit ? formatAmount(v.limit) : null,
    marginPercent: v.marginPercent ? v.marginPercent.toFixed(2) : null,
    waiver: v.waiver ? { id: v.waiver.id, approvedBy: v.waiver.approvedBy, expires: v.waiver.expires } : null,
  };
}

function seriesJson(s: MonthlySeries) {
  const amounts = (xs: Money[]) => xs.map(formatAmount);
  return {
    baseline: amounts(s.baseline),
    worstCase: amounts(s.worstCase),
    total: { baseline: formatAmount(sum(s.baseline)), worstCase: formatAmount(sum(s.worstCase)) },
  };
}

/** The `computeguard.diff/v2` document (see docs/json-schemas.md). */
export function diffJson(report: DiffReport) {
  const { diff, gate, projection } = report;
  const delta = totalDelta(diff);
  return {
    schema: DIFF_SCHEMA,
    currency: "USD",
    catalogVersion: diff.catalogVersion,
    priceSheet: report.priceSheet ?? null,
    hoursPerMonth: diff.hoursPerMonth,
    source: report.source,
    stack: diff.plan.stack,
    coverage: diff.plan.coverage,
    headline: headlineText(report),
    totals: {
      // Lower bounds when counts.notPriced counts resources on that side.
      past: totalsJson(diff.totals.past),
      new: totalsJson(diff.totals.new),
      // null, never a difference against $0, while a changed resource cannot be priced.
      delta: delta ? totalsJson(delta) : null,
    },
    counts: {
      changes: diff.plan.changes,
      otherChanges: diff.plan.otherChanges,
      notPriced: diff.notPriced,
      unknownDeltas: diff.unknownDeltas,
      resources: report.resources.length,
    },
    resources: report.resources.map((r) => ({
      urn: r.urn,
      type: r.type,
      name: r.name,
      op: r.change,
      before: r.before ? resourceJson(r.before) : null,
      after: r.after ? resourceJson(r.after) : null,
      delta: r.delta ? totalsJson(r.delta) : null,
      verdicts: r.verdicts.map(verdictJson),
    })),
    policies: gate
      ? {
          failOn: gate.failOn,
          failed: gate.failed,
          evaluated: gate.policies,
          counts: gate.counts,
          stackVerdicts: report.stackVerdicts.map(verdictJson),
        }
      : null,
    projection: {
      months: projection.months,
      gpuDeflationPercentPerYear: projection.rates.gpuPercentPerYear,
      tokenDeflationPercentPerYear: projection.rates.tokenPercentPerYear,
      // Priced resources only: lower bounds when counts.notPriced says a side has others.
      past: seriesJson(projection.past),
      new: seriesJson(projection.new),
    },
    notes: diff.plan.notes,
    incomplete: report.incomplete ?? null,
  };
}
