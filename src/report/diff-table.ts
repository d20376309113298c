import type { CostTotals } from "../estimate/estimator.js";
import type { Money } from "../money.js";
import { isNotPriced } from "../plan/cost-diff.js";
import { enforce } from "../policy/enforcement.js";
import type { Finding } from "../policy/gate.js";
import {
  changeLabel,
  type DiffReport,
  deltaCell,
  deltaText,
  findings,
  reportBanner,
  rowMark,
  shortType,
  sideCell,
  sideTotalText,
  sourceText,
  verdictSummary,
} from "./diff-model.js";
import { ROW_MARK_WORD } from "./verdict-banner.js";

function sourceLabel(report: DiffReport): string {
  return sourceText(report.source);
}

/** Left-aligned text columns, right-aligned money columns. */
function columns(rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) =>
    r
      .map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
}

function verdictLine(v: Finding): string {
  const e = enforce(v.policy, v.decision, v.level);
  return `  ${e.word.padEnd(7)}  ${v.policy}${e.note ? ` (${e.note})` : ""}: ${v.message}`;
}

/** What a person reads in a terminal: the verdict, then changed resources, totals, findings and notes. */
export function diffTable(report: DiffReport): string {
  const { diff, gate } = report;
  const banner = reportBanner(report);
  const out = [
    `computeguard ${banner.line}`,
    `computeguard cost diff  (${sourceLabel(report)}, stack ${diff.plan.stack || "?"}, catalog ${diff.catalogVersion}, USD, ${diff.hoursPerMonth} h/month)`,
    "",
  ];
  if (report.resources.length === 0) {
    out.push("No GPU, accelerator or inference resource changes.");
  } else {
    const rows = [
      ["VERDICT", "CHANGE", "RESOURCE", "TYPE", "BEFORE/MO", "AFTER/MO", "DELTA/MO"],
      ...report.resources.map((r) => {
        const mark = rowMark(r);
        return [
          mark ? ROW_MARK_WORD[mark] : "",
          changeLabel(r.change),
          r.name,
          shortType(r.type),
          sideCell(r.before),
          sideCell(r.after),
          deltaCell(r),
        ];
      }),
    ];
    out.push(...columns(rows, new Set([4, 5, 6])), "(monthly figures are worst case)");
    const unpriced = report.resources.flatMap((r) =>
      (
        [
          ["before", r.before],
          ["after", r.after],
        ] as const
      ).flatMap(([side, e]) =>
        e && isNotPriced(e) ? [`  ${r.name} ${side}: ${e.status}: ${e.reason ?? ""}`] : [],
      ),
    );
    if (unpriced.length > 0) out.push("", "NOT PRICED (left out of the totals, never $0)", ...unpriced);
  }
  const t = diff.totals;
  const line = (label: string, pick: (c: CostTotals) => Money, unit: string) =>
    `${label} ${sideTotalText(pick(t.past), diff.notPriced.past)}${unit} -> ${sideTotalText(pick(t.new), diff.notPriced.new)}${unit}  (${deltaText(diff, pick, unit)})`;
  out.push(
    "",
    line("TOTAL  worst case", (c) => c.monthlyWorstCase, "/mo"),
    line("       baseline  ", (c) => c.monthlyBaseline, "/mo"),
    line("       one-time  ", (c) => c.oneTime, ""),
    `${report.resources.length} priced resource(s) listed, ${diff.plan.otherChanges} other resource change(s); not priced: ${diff.notPriced.past} before, ${diff.notPriced.new} after`,
  );
  if (gate) {
    out.push(
      "",
      `POLICIES  ${verdictSummary(gate)}  -> ${gate.failed ? "FAILS" : "passes"} (--fail-on ${gate.failOn})`,
      ...findings(report).map(verdictLine),
    );
  }
  if (report.incomplete) {
    out.push(
      "",
      `INCOMPLETE  ${report.incomplete.reason}  -> ${report.incomplete.allowed ? "reported (--allow-incomplete)" : "FAILS (--allow-incomplete to report it without failing)"}`,
    );
  }
  if (diff.plan.notes.length > 0) out.push("", "NOTES", ...diff.plan.notes.map((n) => `  - ${n}`));
  return `${out.join("\n")}\n`;
}
