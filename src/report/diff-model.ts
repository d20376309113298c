import type { CostTotals } from "../estimate/estimator.js";
import type { ResourceEstimate } from "../estimate/types.js";
import { nameFromUrn } from "../inputs/stack-export.js";
import { formatUsd, type Money, ZERO } from "../money.js";
import { type CostDiff, isNotPriced, type ResourceCostChange, totalDelta } from "../plan/cost-diff.js";
import type { GateResult } from "../plan/gate.js";
import type { SpendProjection } from "../plan/projection.js";
import { bySeverity, worstOutcome } from "../policy/enforcement.js";
import type { Finding } from "../policy/gate.js";
import { type RowMark, type VerdictBanner, verdictBanner } from "./verdict-banner.js";

/** Where the plan came from, as the user named it. */
export type DiffSource =
  | { kind: "preview"; preview: string }
  | { kind: "stack-exports"; new: string; old: string }
  /** `check`: a program run offline, every resource it registers as created. */
  | { kind: "program"; program: string };

/** "preview plan.json", "stack export new.json vs old.json", "program index.ts (offline check)". */
export function sourceText(s: DiffSource): string {
  if (s.kind === "preview") return `preview ${s.preview}`;
  if (s.kind === "program") return `program ${s.program} (offline check)`;
  return `stack export ${s.new} vs ${s.old}`;
}

export interface ReportResource extends ResourceCostChange {
  verdicts: Finding[];
}

/** Everything every diff format shows, assembled once. */
export interface DiffReport {
  diff: CostDiff;
  gate: GateResult | undefined;
  projection: SpendProjection;
  source: DiffSource;
  priceSheet: string | undefined;
  /** Priced resources the plan changes (or whose estimate moves), and any with a finding. */
  resources: ReportResource[];
  /** Verdicts about the stack as a whole (budgets, training spend). */
  stackVerdicts: Finding[];
  /** The plan is incomplete (a failed preview); it fails the run unless allowed (--allow-incomplete). */
  incomplete?: { reason: string; allowed: boolean };
}

/** Whether the run should fail: the gate fails, or the plan is incomplete and that is not allowed. */
export function reportFails(report: DiffReport): boolean {
  return report.gate?.failed === true || (report.incomplete !== undefined && !report.incomplete.allowed);
}

export function buildDiffReport(args: {
  diff: CostDiff;
  gate?: GateResult | undefined;
  projection: SpendProjection;
  source: DiffSource;
  priceSheet?: string | undefined;
  incomplete?: { reason: string; allowed: boolean };
}): DiffReport {
  const byUrn = new Map<string, Finding[]>();
  const stackVerdicts: Finding[] = [];
  for (const v of args.gate?.verdicts ?? []) {
    if (v.urn === undefined) {
      stackVerdicts.push(v);
      continue;
    }
    const list = byUrn.get(v.urn) ?? [];
    list.push(v);
    byUrn.set(v.urn, list);
  }
  const resources = args.diff.resources
    .map((r) => ({ ...r, verdicts: byUrn.get(r.urn) ?? [] }))
    .filter((r) => r.changed || r.verdicts.some(isFinding));
  return {
    diff: args.diff,
    gate: args.gate,
    projection: args.projection,
    source: args.source,
    priceSheet: args.priceSheet,
    resources,
    stackVerdicts,
    ...(args.incomplete ? { incomplete: args.incomplete } : {}),
  };
}

/** Anything but a pass is worth a reader's attention. */
export function isFinding(v: Finding): boolean {
  return v.outcome !== "passed";
}

/** Blocks first, then warnings, then waivers; plan order within each. */
export function findings(report: DiffReport): Finding[] {
  return bySeverity(
    [...report.resources.flatMap((r) => r.verdicts), ...report.stackVerdicts].filter(isFinding),
  );
}

/** What the report leads with: the gate's verdict and how many resources could not be priced. */
export function reportBanner(report: DiffReport): VerdictBanner {
  return verdictBanner({ gate: report.gate, notPriced: report.diff.notPriced.new });
}

/** Whether either side of a resource cannot be priced. */
export function hasUnpricedSide(r: ResourceCostChange): boolean {
  return [r.before, r.after].some((e) => e !== undefined && isNotPriced(e));
}

/** A row's mark: its worst finding, else "not-priced" when a side cannot be priced, else none. */
export function rowMark(r: ReportResource): RowMark {
  const worst = worstOutcome(r.verdicts.map((v) => v.outcome));
  if (worst !== "passed") return worst;
  return hasUnpricedSide(r) ? "not-priced" : undefined;
}

/** "+$1,234.00", "-$5.00", "$0.00". */
export function signedUsd(m: Money): string {
  return m.isPositive() && !m.isZero() ? `+${formatUsd(m)}` : formatUsd(m);
}

/** A total of one side: a lower bound ("≥ $X") while resources on that side are not priced. */
export function sideTotalText(m: Money, notPriced: number): string {
  return `${notPriced > 0 ? "≥ " : ""}${formatUsd(m)}`;
}

/**
 * The change in one total: signed, or unknown while a changed resource cannot be priced (never a
 * delta computed against $0).
 */
export function deltaText(diff: CostDiff, pick: (c: CostTotals) => Money, unit = ""): string {
  const delta = totalDelta(diff);
  return delta ? `${signedUsd(pick(delta))}${unit}` : `unknown: ${diff.unknownDeltas} change(s) not priced`;
}

/** `aws:sagemaker/endpointConfiguration:EndpointConfiguration` -> `sagemaker/EndpointConfiguration`. */
export function shortType(type: string): string {
  const [, module, kind] = type.split(":");
  return module && kind ? `${module.split("/")[0]}/${kind}` : type;
}

/** One side's worst-case monthly cost as a cell: an amount, or why there is none. */
export function sideCell(e: ResourceEstimate | undefined): string {
  if (!e) return "—";
  if (isNotPriced(e)) return "not priced";
  if (e.status === "not-applicable") return e.linkedTo ? `in ${nameFromUrn(e.linkedTo)}` : "n/a";
  return formatUsd(e.monthly?.worstCase.total ?? ZERO);
}

export function deltaCell(r: ResourceCostChange): string {
  return r.delta ? signedUsd(r.delta.monthlyWorstCase) : "unknown";
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The verdict counts worth a headline: "1 blocked, 2 warnings". */
export function verdictSummary(gate: GateResult): string {
  const parts: string[] = [];
  if (gate.counts.blocked > 0) parts.push(`${gate.counts.blocked} blocked`);
  if (gate.counts.warning > 0) parts.push(plural(gate.counts.warning, "warning"));
  if (gate.counts.waived > 0) parts.push(`${gate.counts.waived} waived`);
  return parts.length > 0
    ? parts.join(", ")
    : `all ${plural(gate.policies.length, "policy", "policies")} pass`;
}

/** Headline parts after the amount: verdicts, then resources that could not be priced. */
export function headlineParts(report: DiffReport): string[] {
  const parts: string[] = [];
  if (report.gate) parts.push(verdictSummary(report.gate));
  if (report.diff.notPriced.new > 0) parts.push(`${report.diff.notPriced.new} not priced`);
  return parts;
}

export const CHANGE_LABEL: Record<string, string> = {
  create: "create",
  update: "update",
  replace: "replace",
  delete: "delete",
  same: "unchanged",
  read: "read",
  refresh: "refresh",
  import: "import",
  discard: "discard",
  "remove-pending-replace": "remove pending replace",
};

export function changeLabel(change: string): string {
  return CHANGE_LABEL[change] ?? change;
}

/** The headline as plain text: "+$12,345.67/mo GPU spend (worst case), 1 blocked". */
export function headlineText(report: DiffReport): string {
  const delta = totalDelta(report.diff);
  return [
    delta
      ? `${signedUsd(delta.monthlyWorstCase)}/mo GPU spend (worst case)`
      : `GPU spend change unknown (${report.diff.unknownDeltas} change(s) not priced)`,
    ...headlineParts(report),
  ].join(", ");
}
