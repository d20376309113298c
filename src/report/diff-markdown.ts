import type { ResourceEstimate } from "../estimate/types.js";
import { formatUsd } from "../money.js";
import { isNotPriced } from "../plan/cost-diff.js";
import { enforce, type Outcome } from "../policy/enforcement.js";
import type { Finding } from "../policy/gate.js";
import { markdownAmount as amount, escapeMarkdown as md } from "./diff-markdown-escape.js";
import {
  changeLabel,
  type DiffReport,
  deltaCell,
  findings,
  type ReportResource,
  reportBanner,
  rowMark,
  shortType,
  sideCell,
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
      : `stack export ${md(fileName(s.new))} vs ${md(fileName(s.old))}`;
  const { diff } = report;
  return `Stack ${md(diff.plan.stack || "?")} · ${from} · catalog ${md(diff.catalogVersion)}${report.priceSheet ? ` · price sheet ${md(report.priceSheet)}` : ""} · ${diff.hoursPerMonth} h/month`;
}

function verdictItem(v: Finding): string {
  const e = enforce(v.policy, v.decision, v.level);
  return `- ${ICON[v.outcome]} **${e.word}** \`${v.policy}\`${e.note ? ` (${md(e.note)})` : ""}: ${md(v.message)}`;
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
  const lines = [`**${md(r.name)}** (${md(shortType(r.type))}, ${changeLabel(r.change)})`, ""];
  for (const [side, e] of [
    ["before", r.before],
    ["after", r.after],
  ] as const) {
    if (e) lines.push(...sideDetails(side, e), "");
  }
  return lines;
}

/**
 * A pull-request comment: a hidden marker, the verdict banner, the headline figure, the changed
 * resources (marked), findings, details folded away. Paths are shown by file name only.
 */
export function diffMarkdown(report: DiffReport): string {
  const { diff, gate } = report;
  const t = diff.totals;
  const banner = reportBanner(report);
  const style = ALERT[banner.kind];
  const unpricedNote =
    diff.notPriced.new > 0
      ? `, not counting ${diff.notPriced.new} resource(s) that could not be priced (unknown, not \\$0)`
      : "";
  const out = [
    prCommentMarker(diff.plan.stack),
    `### computeguard: ${style.icon} ${banner.word}`,
    "",
    `> [!${style.alert}]`,
    `> **${banner.word}**: ${banner.counts}${gate ? `; ${gate.failed ? "fails" : "passes"} \`--fail-on ${gate.failOn}\`` : ""}`,
    "",
    `**${amount(signedUsd(t.delta.monthlyWorstCase))}/mo** GPU spend (worst case)${unpricedNote}`,
    "",
    sourceLine(report),
    "",
  ];

  if (report.resources.length === 0) {
    out.push("No GPU, accelerator or inference resource changes.", "");
  } else {
    out.push(
      "| Verdict | Change | Resource | Type | Before /mo | After /mo | Delta /mo |",
      "|---|---|---|---|--:|--:|--:|",
      ...report.resources.map(
        (r) =>
          `| ${markCell(r)} | ${changeLabel(r.change)} | ${md(r.name)} | ${md(shortType(r.type))} | ${amount(sideCell(r.before))} | ${amount(sideCell(r.after))} | ${amount(deltaCell(r))} |`,
      ),
      `| | **Total** | | | **${amount(formatUsd(t.past.monthlyWorstCase))}** | **${amount(formatUsd(t.new.monthlyWorstCase))}** | **${amount(signedUsd(t.delta.monthlyWorstCase))}** |`,
      "",
    );
  }
  out.push(
    `Monthly figures are worst case (every scaler at its maximum). Baseline ${amount(formatUsd(t.past.monthlyBaseline))} → ${amount(formatUsd(t.new.monthlyBaseline))} (${amount(signedUsd(t.delta.monthlyBaseline))}/mo); one-time ${amount(formatUsd(t.past.oneTime))} → ${amount(formatUsd(t.new.oneTime))}.${diff.plan.otherChanges > 0 ? ` ${diff.plan.otherChanges} other resource change(s) carry no GPU cost.` : ""}`,
    "",
  );

  const unpriced = report.resources.flatMap((r) =>
    (
      [
        ["before", r.before],
        ["after", r.after],
      ] as const
    ).flatMap(([side, e]) =>
      e && isNotPriced(e) ? [`- **${md(r.name)}** ${side}: ${md(e.status)}: ${md(e.reason ?? "")}`] : [],
    ),
  );
  if (unpriced.length > 0) out.push("**Not priced** (left out of the totals, never \\$0):", ...unpriced, "");

  if (gate) {
    const found = findings(report);
    out.push(`**Policies** (--fail-on ${gate.failOn}: ${gate.failed ? "**fails**" : "passes"})`, "");
    out.push(
      ...(found.length > 0
        ? found.map(verdictItem)
        : [
            `All ${gate.policies.length} policies pass: ${gate.policies.map((p) => `\`${p.name}\``).join(", ")}.`,
          ]),
      "",
    );
  }
  for (const note of diff.plan.notes) out.push(`> **Note:** ${md(note)}`, "");

  const detailed = report.resources.filter((r) => r.before || r.after);
  if (detailed.length > 0) {
    out.push("<details><summary>Line items and assumptions</summary>", "");
    for (const r of detailed) out.push(...resourceDetails(r));
    out.push("</details>", "");
  }
  return `${out.join("\n").trimEnd()}\n`;
}
