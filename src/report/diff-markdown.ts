import type { ResourceEstimate } from "../estimate/types.js";
import { formatUsd, type Money, money, sum } from "../money.js";
import { isNotPriced, totalDelta } from "../plan/cost-diff.js";
import { countOutcomes, enforce, type Outcome } from "../policy/enforcement.js";
import type { Finding } from "../policy/gate.js";
import { markdownAmount as amount, escapeMarkdown as md } from "./diff-markdown-escape.js";
import {
  changeLabel,
  type DiffReport,
  deltaCell,
  deltaText,
  findings,
  type ReportResource,
  reportBanner,
  rowMark,
  shortType,
  sideCell,
  sideTotalText,
  signedUsd,
} from "./diff-model.js";
import { type BannerKind, ROW_MARK_WORD, type RowMark } from "./verdict-banner.js";

const ICON: Record<Outcome, string> = {
  blocked: "⛔",
  warning: "⚠️",
  waived: "🟦",
  passed: "✅",
};

/** GitHub renders these blockquote alerts red, amber, green and grey: the banner's colour. */
const ALERT: Record<BannerKind, { alert: string; icon: string }> = {
  blocked: { alert: "CAUTION", icon: "⛔" },
  warnings: { alert: "WARNING", icon: "⚠️" },
  "not-priced": { alert: "WARNING", icon: "❔" },
  passed: { alert: "TIP", icon: "✅" },
  "not-gated": { alert: "NOTE", icon: "➖" },
};

const MARK_ICON: Record<Exclude<RowMark, undefined>, string> = {
  blocked: ICON.blocked,
  warning: ICON.warning,
  waived: ICON.waived,
  "not-priced": "❔",
};

function markCell(r: ReportResource): string {
  const mark = rowMark(r);
  return mark ? `${MARK_ICON[mark]} **${ROW_MARK_WORD[mark]}**` : "";
}

/**
 * The hidden first line of every PR comment. CI finds the comment whose body starts with
 * `<!-- computeguard:cost-report` and edits it instead of adding another; the stack name lets
 * one pull request keep one comment per stack (see docs/pr-comment.md).
 */
export const PR_COMMENT_MARKER_PREFIX = "<!-- computeguard:cost-report";

export function prCommentMarker(stack: string): string {
  // Nothing in a stack name may close the comment early.
  const safe = stack.replace(/[^A-Za-z0-9._/-]/g, "_").replace(/-{2,}/g, "-");
  return `${PR_COMMENT_MARKER_PREFIX} stack=${safe || "unknown"} -->`;
}

/** A comment is read on GitHub: the runner's directories mean nothing there. */
export function fileName(p: string): string {
  return p.split(/[\\/]/).filter(Boolean).pop() ?? p;
}

function sourceLine(report: DiffReport): string {
  const s = report.source;
  const from =
    s.kind === "preview"
      ? `preview ${md(fileName(s.preview))}`
      : s.kind === "program"
        ? `program ${md(fileName(s.program))} (offline check)`
        : `stack export ${md(fileName(s.new))} vs ${md(fileName(s.old))}`;
  const { diff } = report;
  return `Stack ${md(diff.plan.stack || "?")} · ${from} · catalog ${md(diff.catalogVersion)}${report.priceSheet ? ` · price sheet ${md(report.priceSheet)}` : ""} · ${diff.hoursPerMonth} h/month`;
}

function verdictItem(v: Finding): string {
  const e = enforce(v.policy, v.decision, v.level);
  return `- ${ICON[v.outcome]} **${e.word}** \`${v.policy}\`${e.note ? ` (${md(e.note)})` : ""}: ${md(clip(v.message, MAX_MESSAGE))}`;
}

function sideDetails(side: "before" | "after", e: ResourceEstimate): string[] {
  const lines = [
    `*${side}* — ${md(e.status)}${e.region ? `, ${md(e.region.region)} (${e.region.from})` : ""}`,
  ];
  if (e.reason) lines.push(`- why: ${md(e.reason)}`);
  if (e.monthly) {
    for (const [label, b] of [
      ["baseline", e.monthly.baseline],
      ["worst case", e.monthly.worstCase],
    ] as const) {
      lines.push(`- ${label} ${amount(formatUsd(b.total))}/mo`);
      for (const l of b.lineItems) lines.push(`  - ${md(l.description)} = ${amount(formatUsd(l.amount))}`);
    }
  }
  if (e.oneTime) {
    lines.push(`- one-time ${amount(formatUsd(e.oneTime.total))}`);
    for (const l of e.oneTime.lineItems)
      lines.push(`  - ${md(l.description)} = ${amount(formatUsd(l.amount))}`);
  }
  const sources = new Set(
    [...(e.monthly?.worstCase.lineItems ?? []), ...(e.oneTime?.lineItems ?? [])].map(
      (l) => `${l.price.source} (${l.price.date})`,
    ),
  );
  for (const s of sources) lines.push(`- price: ${md(s)}`);
  for (const a of e.assumptions) lines.push(`- assumes: ${md(a)}`);
  return lines;
}

function resourceDetails(r: ReportResource): string[] {
  const lines = [`**${name(r)}** (${md(shortType(r.type))}, ${changeLabel(r.change)})`, ""];
  for (const [side, e] of [
    ["before", r.before],
    ["after", r.after],
  ] as const) {
    if (e) lines.push(...sideDetails(side, e), "");
  }
  return lines;
}

/** GitHub refuses an issue or pull-request comment longer than this many characters. */
export const PR_COMMENT_LIMIT = 65_536;

/** Longest resource name and finding message shown; longer ones are clipped (the JSON has them whole). */
const MAX_NAME = 120;
const MAX_MESSAGE = 600;

/** Clips raw text (before escaping, so no escape is cut in half) to `max` characters. */
function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("")}…`;
}

const name = (r: ReportResource) => md(clip(r.name, MAX_NAME));

const MARK_RANK: Record<Exclude<RowMark, undefined> | "none", number> = {
  blocked: 4,
  warning: 3,
  "not-priced": 2,
  waived: 1,
  none: 0,
};

/** Blocked rows first, then warnings, unpriced, waived; the largest monthly change first within each. */
export function rankResources(resources: readonly ReportResource[]): ReportResource[] {
  // An unknown change could be any size: it goes first within its mark.
  const size = (r: ReportResource) => r.delta?.monthlyWorstCase.abs() ?? money(Number.MAX_SAFE_INTEGER);
  return resources
    .map((r, i) => ({ r, i, rank: MARK_RANK[rowMark(r) ?? "none"], size: size(r) }))
    .sort((a, b) => b.rank - a.rank || b.size.comparedTo(a.size) || a.i - b.i)
    .map((x) => x.r);
}

/** How much of each long list a comment shows. */
interface Shown {
  rows: number;
  findings: number;
  details: number;
}

/** Fewer and fewer rows, findings and details, until the comment fits. */
const LADDER: Shown[] = [
  { rows: Infinity, findings: Infinity, details: Infinity },
  { rows: Infinity, findings: Infinity, details: 10 },
  ...[300, 200, 150, 100, 75, 50, 25, 10, 0].map((n) => ({
    rows: n,
    findings: n,
    details: Math.min(5, n),
  })),
];

function outcomeCounts(items: readonly { outcome: Outcome }[]): string {
  const counts = countOutcomes(items);
  const parts = [
    counts.blocked > 0 ? `${counts.blocked} blocked` : "",
    counts.warning > 0 ? `${counts.warning} warning(s)` : "",
    counts.waived > 0 ? `${counts.waived} waived` : "",
  ].filter(Boolean);
  return parts.join(", ");
}

function hiddenRows(hidden: readonly ReportResource[]): string {
  const marks = hidden.map(rowMark);
  const count = (m: RowMark) => marks.filter((x) => x === m).length;
  const parts = [
    count("blocked") > 0 ? `${count("blocked")} blocked` : "",
    count("warning") > 0 ? `${count("warning")} warning` : "",
    count("not-priced") > 0 ? `${count("not-priced")} not priced` : "",
  ].filter(Boolean);
  const net = sum(hidden.flatMap((r) => (r.delta ? [r.delta.monthlyWorstCase] : [])));
  const unknown = hidden.filter((r) => !r.delta).length;
  return `| | | **… ${hidden.length} more**${parts.length > 0 ? ` (${parts.join(", ")})` : ""} | | | | ${amount(signedUsd(net))}${unknown > 0 ? `, ${unknown} unknown` : ""} |`;
}

function render(report: DiffReport, shown: Shown): string {
  const { diff, gate } = report;
  const t = diff.totals;
  const banner = reportBanner(report);
  const style = ALERT[banner.kind];
  const unpricedNote =
    diff.notPriced.new > 0
      ? `, not counting ${diff.notPriced.new} resource(s) that could not be priced (unknown, not \\$0)`
      : "";
  // While a changed resource cannot be priced the change is unknown, never a delta against $0.
  const delta = totalDelta(diff);
  const headline = delta
    ? `**${amount(signedUsd(delta.monthlyWorstCase))}/mo** GPU spend (worst case)${unpricedNote}`
    : `**GPU spend change unknown**: ${diff.unknownDeltas} change(s) could not be priced (unknown, not \\$0)`;
  const side = (m: Money, notPriced: number) => amount(sideTotalText(m, notPriced));
  const out = [
    prCommentMarker(diff.plan.stack),
    `### computeguard: ${style.icon} ${banner.word}`,
    "",
    `> [!${style.alert}]`,
    `> **${banner.word}**: ${banner.counts}${gate ? `; ${gate.failed ? "fails" : "passes"} \`--fail-on ${gate.failOn}\`` : ""}`,
    "",
    headline,
    "",
    sourceLine(report),
    "",
  ];
  const ranked = rankResources(report.resources);
  const rows = ranked.slice(0, shown.rows);
  const cut = ranked.length - rows.length;
  const full = "`--format json` or `--format html`";

  if (report.resources.length === 0) {
    out.push("No GPU, accelerator or inference resource changes.", "");
  } else {
    out.push(
      "| Verdict | Change | Resource | Type | Before /mo | After /mo | Delta /mo |",
      "|---|---|---|---|--:|--:|--:|",
      ...rows.map(
        (r) =>
          `| ${markCell(r)} | ${changeLabel(r.change)} | ${name(r)} | ${md(shortType(r.type))} | ${amount(sideCell(r.before))} | ${amount(sideCell(r.after))} | ${amount(deltaCell(r))} |`,
      ),
      ...(cut > 0 ? [hiddenRows(ranked.slice(rows.length))] : []),
      `| | **Total** | | | **${side(t.past.monthlyWorstCase, diff.notPriced.past)}** | **${side(t.new.monthlyWorstCase, diff.notPriced.new)}** | **${amount(deltaText(diff, (c) => c.monthlyWorstCase))}** |`,
      "",
    );
    if (cut > 0)
      out.push(
        `${rows.length} of ${ranked.length} changed resources listed (blocked, warned and unpriced first, then the largest changes); ${full} lists all.`,
        "",
      );
  }
  out.push(
    `Monthly figures are worst case (every scaler at its maximum). Baseline ${side(t.past.monthlyBaseline, diff.notPriced.past)} → ${side(t.new.monthlyBaseline, diff.notPriced.new)} (${amount(deltaText(diff, (c) => c.monthlyBaseline, "/mo"))}); one-time ${amount(formatUsd(t.past.oneTime))} → ${amount(formatUsd(t.new.oneTime))}.${diff.plan.otherChanges > 0 ? ` ${diff.plan.otherChanges} other resource change(s) carry no GPU cost.` : ""}`,
    "",
  );

  const unpriced = ranked.flatMap((r) =>
    (
      [
        ["before", r.before],
        ["after", r.after],
      ] as const
    ).flatMap(([side, e]) =>
      e && isNotPriced(e)
        ? [`- **${name(r)}** ${side}: ${md(e.status)}: ${md(clip(e.reason ?? "", MAX_MESSAGE))}`]
        : [],
    ),
  );
  if (unpriced.length > 0) {
    const listed = unpriced.slice(0, shown.rows);
    out.push("**Not priced** (left out of the totals, never \\$0):", ...listed);
    if (listed.length < unpriced.length) out.push(`- … and ${unpriced.length - listed.length} more`);
    out.push("");
  }

  if (gate) {
    const found = findings(report);
    out.push(`**Policies** (--fail-on ${gate.failOn}: ${gate.failed ? "**fails**" : "passes"})`, "");
    const listed = found.slice(0, shown.findings);
    const rest = found.slice(listed.length);
    out.push(
      ...(found.length > 0
        ? listed.map(verdictItem)
        : [
            `All ${gate.policies.length} policies pass: ${gate.policies.map((p) => `\`${p.name}\``).join(", ")}.`,
          ]),
      ...(rest.length > 0
        ? [`- … and ${rest.length} more finding(s): ${outcomeCounts(rest)}; ${full} lists all.`]
        : []),
      "",
    );
  }
  for (const note of diff.plan.notes) out.push(`> **Note:** ${md(clip(note, MAX_MESSAGE))}`, "");

  const detailed = rows.filter((r) => r.before || r.after).slice(0, shown.details);
  if (detailed.length > 0) {
    const of = ranked.filter((r) => r.before || r.after).length;
    out.push(
      `<details><summary>Line items and assumptions${detailed.length < of ? ` (top ${detailed.length} of ${of})` : ""}</summary>`,
      "",
    );
    for (const r of detailed) out.push(...resourceDetails(r));
    out.push("</details>", "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/**
 * A pull-request comment: a hidden marker, the verdict banner, the headline figure, the changed
 * resources (marked, most severe and largest first), findings, details folded away. File names
 * only, never a path on the machine that ran it. At most `limit` characters whatever the size of the
 * change: rows, findings and details are cut down until it fits, the rest summarised with counts.
 */
export function diffMarkdown(report: DiffReport, limit = PR_COMMENT_LIMIT): string {
  let text = "";
  for (const shown of LADDER) {
    text = render(report, shown);
    if (text.length <= limit) return text;
  }
  // Only an absurd stack name or plan note gets here: cut at a line, and say so.
  const tail = "\n\n_… cut at GitHub's comment size limit; `--format json` has the whole report._\n";
  const head = text.slice(0, limit - tail.length);
  return `${head.slice(0, Math.max(head.lastIndexOf("\n"), 0))}${tail}`;
}
