import { formatHead } from "../audit/chain.js";
import type { CostBreakdown, ResourceEstimate } from "../estimate/types.js";
import { formatUsd, type Money } from "../money.js";
import { enforce } from "../policy/enforcement.js";
import type { Finding } from "../policy/gate.js";
import { blockingFindings, type CheckedResource, type CheckReport, exitCodeOf } from "./check-report.js";
import type { VerdictBanner } from "./verdict-banner.js";

function instances(b: CostBreakdown | undefined): number {
  return b?.lineItems.reduce((n, l) => n + l.count, 0) ?? 0;
}

/** What the money buys, at a glance: "2..4 x ml.g5.2xlarge", "1 model unit", "max 12" for a scaler. */
export function capacityOf(e: ResourceEstimate): string {
  const worstItems = e.monthly?.worstCase ?? e.oneTime;
  if (!worstItems) return e.scaling ? `max ${e.scaling.max ?? "unbounded"}` : "-";
  const worst = instances(worstItems);
  const base = e.monthly ? instances(e.monthly.baseline) : worst;
  const count = base === worst ? `${worst}` : `${base}..${worst}`;
  if (e.category === "bedrock-throughput") return `${count} model unit${worst === 1 ? "" : "s"}`;
  const [first, ...others] = e.instanceTypes;
  if (!first) return count;
  return `${count} x ${first}${others.length > 0 ? ` +${others.length}` : ""}`;
}

function percent(value: Money | undefined): string {
  return value === undefined ? "-" : `${value.toFixed(1)}%`;
}

function cost(r: CheckedResource, pick: "baseline" | "worstCase"): string {
  const e = r.estimate;
  if (e.monthly) return formatUsd(e.monthly[pick].total);
  // A scaling target's capacity is counted with the endpoint configuration it scales.
  if (e.oneTime || e.status === "not-applicable") return "-";
  return e.status.toUpperCase();
}

function table(rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}

function findingLine(subject: string, f: Finding, width: number): string {
  const e = enforce(f.policy, f.decision, f.level);
  return `  ${subject.padEnd(width)}  ${e.word.padEnd(7)}  ${f.policy}${e.note ? ` (${e.note})` : ""}: ${f.message}`;
}

function outcomeLine(report: CheckReport): string {
  const blocking = blockingFindings(report);
  const warnings = report.findings.filter((f) => f.outcome === "warning").length;
  const waived = report.findings.filter((f) => f.outcome === "waived").length;
  const notes = [
    warnings > 0 ? `${warnings} warning${warnings > 1 ? "s" : ""}` : "",
    waived > 0 ? `${waived} waived` : "",
  ].filter(Boolean);
  const tail = notes.length > 0 ? ` (${notes.join(", ")})` : "";
  if (blocking.length === 0 && exitCodeOf(report) !== 0) {
    return `BLOCKED: decisions could not be recorded in the audit trail (COMPUTEGUARD_AUDIT_ON_FAILURE=block)${tail}`;
  }
  if (blocking.length === 0) return `PASSED: nothing mandatory failed${tail}`;
  // The engine stops at the first resource blocked as it registers; a resource blocked only once the
  // whole stack is known stops the deployment at the stack check, not at that resource.
  const first = report.resources.find((r) =>
    r.findings.some((f) => f.outcome === "blocked" && f.phase === "resource"),
  );
  const stops = first
    ? `; a deployment would stop at ${first.estimate.name}`
    : "; a deployment would stop at the stack check (after every resource is analysed)";
  return `BLOCKED: ${blocking.length} mandatory finding${blocking.length > 1 ? "s" : ""}${stops}${tail}`;
}

function auditLines(report: CheckReport): string[] {
  const audit = report.audit;
  if (!audit) return [];
  const lines: string[] = [];
  if (audit.recorded > 0 && audit.head) {
    lines.push(
      `audit: ${audit.recorded} decision${audit.recorded > 1 ? "s" : ""} recorded in ${audit.log}; chain head ${formatHead(audit.head)}`,
    );
  } else if (audit.failures.length === 0) {
    lines.push(
      `audit: nothing to record in ${audit.log} (passes are recorded with COMPUTEGUARD_AUDIT_ALL=1)`,
    );
  }
  for (const reason of audit.failures) {
    lines.push(
      `audit ${audit.failureBlocks ? "BLOCKED" : "warning"}: a decision was not recorded: ${reason}`,
    );
  }
  return lines;
}

/** The preview a person reads: each GPU/inference resource's cost, budget share, margin and verdict, then why. */
/** The table `check` prints; with a verdict, it leads with it (as every report does). */
export function checkTable(report: CheckReport, verdict?: VerdictBanner): string {
  const out = [
    ...(verdict ? [`computeguard ${verdict.line}`] : []),
    `computeguard check  ${report.project}/${report.stack}  ${report.program}`,
    `${report.registeredCount} resources registered; catalog ${report.catalogVersion}${report.priceSheet ? `, price sheet "${report.priceSheet}"` : ""}, USD, ${report.hoursPerMonth} h/month`,
    "",
  ];
  if (report.resources.length === 0) {
    out.push("No GPU, accelerator or inference resources.");
  } else {
    const oneTime = report.resources.some((r) => r.estimate.oneTime);
    const header = ["RESOURCE", "CAPACITY", "BASELINE/MO", "WORST CASE/MO", ...(oneTime ? ["ONE-TIME"] : [])];
    header.push("BUDGET", "MARGIN", "VERDICT");
    const rows = [header];
    for (const r of report.resources) {
      rows.push([
        r.estimate.name,
        capacityOf(r.estimate),
        cost(r, "baseline"),
        cost(r, "worstCase"),
        ...(oneTime ? [r.estimate.oneTime ? formatUsd(r.estimate.oneTime.total) : "-"] : []),
        percent(r.budgetSharePercent),
        percent(r.marginPercent),
        r.outcome,
      ]);
    }
    const t = report.totals;
    rows.push([
      "TOTAL",
      "",
      formatUsd(t.monthlyBaseline),
      formatUsd(t.monthlyWorstCase),
      ...(oneTime ? [formatUsd(t.oneTime)] : []),
      percent(report.stackBudget?.usedPercent),
      "",
      "",
    ]);
    const numbers = new Set(oneTime ? [2, 3, 4, 5, 6] : [2, 3, 4, 5]);
    out.push(...table(rows, numbers));
    if (report.stackBudget) {
      const b = report.stackBudget;
      out.push(
        `BUDGET is the share of the stack's ${formatUsd(b.limit)}/mo budget (${b.basis}); MARGIN the declared gross margin.`,
      );
    }
  }
  const notable = report.findings.filter((f) => f.outcome !== "passed");
  if (notable.length > 0) {
    const subjects = new Map(report.resources.map((r) => [r.estimate.urn, r.estimate.name]));
    const subjectOf = (f: Finding) => (f.urn ? (subjects.get(f.urn) ?? f.urn) : "stack");
    const width = Math.max(...notable.map((f) => subjectOf(f).length));
    out.push("", "Why:");
    for (const f of notable) out.push(findingLine(subjectOf(f), f, width));
  }
  if (report.placeholderDataSources.length > 0) {
    out.push(
      "",
      `note: answered offline with the program's own arguments (no real lookup): ${report.placeholderDataSources.join(", ")}`,
    );
  }
  if (report.unexpandedComponents.length > 0) {
    out.push("", "Remote components not expanded (what they create is not in this check):");
    const rows = report.unexpandedComponents.map((c) => [
      c.name,
      c.type,
      c.computeFree ? `creates no compute: ${c.computeFree}` : "could run accelerators: not priced",
    ]);
    out.push(...table(rows, new Set()).map((line) => `  ${line}`));
  }
  if (report.summary) out.push("", report.summary);
  out.push("", outcomeLine(report), ...auditLines(report));
  return `${out.join("\n")}\n`;
}
