import { createHash } from "node:crypto";
import type { CostTotals } from "../../estimate/estimator.js";
import type { ResourceEstimate } from "../../estimate/types.js";
import { formatUsd, type Money, sum } from "../../money.js";
import { type CostDiff, totalDelta } from "../../plan/cost-diff.js";
import { enforce } from "../../policy/enforcement.js";
import type { Finding } from "../../policy/gate.js";
import {
  changeLabel,
  type DiffReport,
  deltaCell,
  deltaText,
  findings,
  headlineText,
  type ReportResource,
  reportBanner,
  rowMark,
  shortType,
  sideCell,
  sideTotalText,
  sourceText,
} from "../diff-model.js";
import { ROW_MARK_WORD, type VerdictBanner } from "../verdict-banner.js";
import { chartData } from "./chart-data.js";
import type { ChartLibrary } from "./chart-library.js";
import { escapeHtml as h, inlineScript, jsonForScript } from "./escape.js";
import { PAGE_SCRIPT } from "./page-script.js";
import { STYLES } from "./styles.js";

/** Only the page's own inline scripts may run (by hash), and nothing may be fetched. No `"` in it. */
function contentSecurityPolicy(scripts: string[]): string {
  const hashes = scripts.map((s) => `'sha256-${createHash("sha256").update(s, "utf8").digest("base64")}'`);
  return [
    "default-src 'none'",
    `script-src ${hashes.join(" ")}`,
    "style-src 'unsafe-inline'",
    "img-src data:",
    "base-uri 'none'",
    "form-action 'none'",
  ].join("; ");
}

/** Committed spend is held at its price for each term, not deflated: say so when there is some. */
function committedNote(report: DiffReport): string {
  const committed = [...report.diff.pastEstimates, ...report.diff.newEstimates].filter((e) => e.commitment);
  if (committed.length === 0) return "";
  const terms = [...new Set(committed.map((e) => e.commitment!.term))].sort().join(" and ");
  return `; committed capacity (${h(terms)} terms) keeps the price it was bought at for each term`;
}

/** The class colouring an amount by the direction it moves spend, if it moves it. */
function trend(m: Money): string[] {
  if (m.isZero()) return [];
  return [m.isPositive() ? "up" : "down"];
}

/** One total's card: the change (unknown while a changed resource is not priced), then both sides. */
function card(diff: CostDiff, title: string, pick: (c: CostTotals) => Money, unit: string): string {
  const delta = totalDelta(diff);
  const t = diff.totals;
  return `<div class="card"><h3>${h(title)}</h3>
<div class="${["big", ...(delta ? trend(pick(delta)) : ["unknown"])].join(" ")}">${h(deltaText(diff, pick, unit))}</div>
<div class="meta">${h(sideTotalText(pick(t.past), diff.notPriced.past))}${unit} → ${h(sideTotalText(pick(t.new), diff.notPriced.new))}${unit}</div></div>`;
}

/** The first thing on the page, before any figure: red, amber, green or grey, with the counts. */
function bannerHtml(banner: VerdictBanner): string {
  return `<div class="banner ${h(banner.kind)}" id="verdict" role="status">
<span class="banner-word">${h(banner.word)}</span>
<span class="banner-counts">${h(banner.counts)}${banner.job ? ` · ${h(banner.job)}` : ""}</span>
</div>`;
}

function markCell(r: ReportResource): string {
  const mark = rowMark(r);
  return mark ? `<span class="badge ${h(mark)}">${h(ROW_MARK_WORD[mark])}</span>` : "";
}

function resourceRows(resources: ReportResource[]): string {
  return resources
    .map((r) => {
      const mark = rowMark(r);
      return `<tr${mark ? ` class="mark-${h(mark)}"` : ""}><td>${markCell(r)}</td><td>${h(changeLabel(r.change))}</td><td title="${h(r.urn)}">${h(r.name)}</td><td>${h(shortType(r.type))}</td>
<td class="num">${h(sideCell(r.before))}</td><td class="num">${h(sideCell(r.after))}</td><td class="${["num", ...(r.delta ? trend(r.delta.monthlyWorstCase) : [])].join(" ")}">${h(deltaCell(r))}</td></tr>`;
    })
    .join("\n");
}

function verdictItem(v: Finding): string {
  const e = enforce(v.policy, v.decision, v.level);
  return `<li class="verdict"><span class="badge ${h(v.outcome)}">${h(e.word)}</span><code>${h(v.policy)}</code>${e.note ? ` (${h(e.note)})` : ""}: ${h(v.message)}</li>`;
}

function sideDetails(side: string, e: ResourceEstimate): string {
  const items: string[] = [];
  if (e.reason) items.push(`why: ${e.reason}`);
  if (e.monthly) {
    for (const [label, b] of [
      ["baseline", e.monthly.baseline],
      ["worst case", e.monthly.worstCase],
    ] as const) {
      items.push(`${label} ${formatUsd(b.total)}/mo`);
      for (const l of b.lineItems) items.push(`  ${l.description} = ${formatUsd(l.amount)}`);
    }
  }
  if (e.oneTime) {
    items.push(`one-time ${formatUsd(e.oneTime.total)}`);
    for (const l of e.oneTime.lineItems) items.push(`  ${l.description} = ${formatUsd(l.amount)}`);
  }
  for (const a of e.assumptions) items.push(`assumes: ${a}`);
  return `<p><em>${h(side)}</em> — ${h(e.status)}${e.region ? `, ${h(e.region.region)} (${h(e.region.from)})` : ""}</p>
<ul>${items.map((i) => `<li>${h(i)}</li>`).join("")}</ul>`;
}

function details(resources: ReportResource[]): string {
  return resources
    .map(
      (r) => `<details><summary>${h(r.name)} (${h(shortType(r.type))}, ${h(changeLabel(r.change))})</summary>
${r.before ? sideDetails("before", r.before) : ""}${r.after ? sideDetails("after", r.after) : ""}</details>`,
    )
    .join("\n");
}

/**
 * One self-contained HTML file: totals, a bar chart of each resource's monthly cost before and
 * after, and the deflated 12-month projection. chart.js is inlined; every string from the plan is
 * escaped; a content security policy lets only these scripts run and nothing load.
 */
export function renderHtmlReport(report: DiffReport, library: ChartLibrary): string {
  const { diff, gate, projection } = report;
  const t = diff.totals;
  const headline = headlineText(report);
  const source = sourceText(report.source);
  const data = jsonForScript(chartData(report));
  const libraryScript = inlineScript(library.code);
  const pageScript = inlineScript(PAGE_SCRIPT);
  const found = findings(report);
  const total12 = (xs: Money[]) => formatUsd(sum(xs));

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy([libraryScript, pageScript])}">
<meta name="generator" content="computeguard (chart.js ${h(library.version)})">
<title>computeguard cost diff — ${h(diff.plan.stack || "stack")}</title>
<style>${STYLES}</style>
</head>
<body>
${bannerHtml(reportBanner(report))}
<header>
<h1>computeguard cost diff</h1>
<p class="headline" id="headline">${h(headline)}</p>
<p class="meta">Stack ${h(diff.plan.stack || "?")} · ${h(source)} · catalog ${h(diff.catalogVersion)}${report.priceSheet ? ` · price sheet ${h(report.priceSheet)}` : ""} · ${diff.hoursPerMonth} h/month · USD</p>
</header>
<section id="totals">
<h2>Totals</h2>
<div class="cards">
${card(diff, "Worst case", (c) => c.monthlyWorstCase, "/mo")}
${card(diff, "Baseline", (c) => c.monthlyBaseline, "/mo")}
${card(diff, "One-time", (c) => c.oneTime, "")}
</div>
<p class="note-small">Not priced (left out of the totals, never $0): ${diff.notPriced.past} before, ${diff.notPriced.new} after. ${diff.plan.otherChanges} other resource change(s) carry no GPU cost.</p>
</section>
<section id="by-resource">
<h2>Monthly cost per resource (worst case)</h2>
<div class="chart"><canvas id="cost-by-resource" role="img" aria-label="Bar chart: monthly worst-case cost of each changed resource before and after"></canvas></div>
</section>
<section id="projection-section">
<h2>${projection.months}-month projection</h2>
<p class="note-small">GPU-hour prices deflating ${projection.rates.gpuPercentPerYear}%/yr, per-token prices ${projection.rates.tokenPercentPerYear}%/yr, compounded monthly${committedNote(report)}. ${projection.months}-month total: before ${h(total12(projection.past.worstCase))} worst case / ${h(total12(projection.past.baseline))} baseline; after ${h(total12(projection.new.worstCase))} worst case / ${h(total12(projection.new.baseline))} baseline.</p>
<div class="chart"><canvas id="projection" role="img" aria-label="Line chart: projected monthly spend before and after, deflated"></canvas></div>
</section>
<section id="resources">
<h2>Changed resources</h2>
${
  report.resources.length === 0
    ? "<p>No GPU, accelerator or inference resource changes.</p>"
    : `<table>
<thead><tr><th>Verdict</th><th>Change</th><th>Resource</th><th>Type</th><th class="num">Before /mo</th><th class="num">After /mo</th><th class="num">Delta /mo</th></tr></thead>
<tbody>
${resourceRows(report.resources)}
</tbody>
<tfoot><tr><th colspan="4">Total (worst case)</th><th class="num">${h(sideTotalText(t.past.monthlyWorstCase, diff.notPriced.past))}</th><th class="num">${h(sideTotalText(t.new.monthlyWorstCase, diff.notPriced.new))}</th><th class="num">${h(deltaText(diff, (c) => c.monthlyWorstCase))}</th></tr></tfoot>
</table>`
}
</section>
${
  gate
    ? `<section id="policies">
<h2>Policies (--fail-on ${h(gate.failOn)}: ${gate.failed ? "fails" : "passes"})</h2>
${found.length > 0 ? `<ul>\n${found.map(verdictItem).join("\n")}\n</ul>` : `<p>All ${gate.policies.length} policies pass.</p>`}
</section>`
    : ""
}
${diff.plan.notes.length > 0 ? `<section id="notes"><h2>Notes</h2><ul class="notes">${diff.plan.notes.map((n) => `<li>${h(n)}</li>`).join("")}</ul></section>` : ""}
<section id="details">
<h2>Line items and assumptions</h2>
${details(report.resources)}
</section>
<script type="application/json" id="report-data">${data}</script>
<script>${libraryScript}</script>
<script>${pageScript}</script>
</body>
</html>
`;
}
