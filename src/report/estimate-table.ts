import type { StackEstimate } from "../estimate/estimator.js";
import type { ResourceEstimate } from "../estimate/types.js";
import { formatUsd } from "../money.js";

function block(e: ResourceEstimate): string[] {
  const head = `${e.name}  ${e.type}  ${e.status.toUpperCase()}${e.region ? `  ${e.region.region} (${e.region.from})` : ""}`;
  const lines = [head];
  if (e.reason) lines.push(`  why: ${e.reason}`);
  if (e.monthly) {
    lines.push(`  baseline   ${formatUsd(e.monthly.baseline.total).padStart(14)}/mo`);
    for (const l of e.monthly.baseline.lineItems)
      lines.push(`      ${l.description} = ${formatUsd(l.amount)}`);
    lines.push(`  worst case ${formatUsd(e.monthly.worstCase.total).padStart(14)}/mo`);
    for (const l of e.monthly.worstCase.lineItems)
      lines.push(`      ${l.description} = ${formatUsd(l.amount)}`);
  }
  if (e.oneTime) {
    lines.push(`  one-time   ${formatUsd(e.oneTime.total).padStart(14)}`);
    for (const l of e.oneTime.lineItems) lines.push(`      ${l.description} = ${formatUsd(l.amount)}`);
  }
  const sources = new Set(
    [...(e.monthly?.worstCase.lineItems ?? []), ...(e.oneTime?.lineItems ?? [])].map(
      (l) => `${l.price.source} (${l.price.date})`,
    ),
  );
  for (const s of sources) lines.push(`  price: ${s}`);
  for (const a of e.assumptions) lines.push(`  assumes: ${a}`);
  return lines;
}

/** What a person reads: each GPU/inference resource with its line items, then totals. */
export function estimateTable(stack: StackEstimate): string {
  const applicable = stack.resources.filter((r) => r.status !== "not-applicable");
  const skipped = stack.resources.length - applicable.length;
  const out = [
    `computeguard estimate  (catalog ${stack.catalogVersion}, USD, ${stack.hoursPerMonth} h/month)`,
    "",
  ];
  for (const r of applicable) out.push(...block(r), "");
  if (applicable.length === 0) out.push("No GPU, accelerator or inference resources.", "");
  const t = stack.totals;
  const flagged = applicable.filter(
    (r) => r.status === "unpriced" || (r.status === "unknown" && !r.monthly),
  ).length;
  out.push(
    `TOTAL  baseline ${formatUsd(t.monthlyBaseline)}/mo   worst case ${formatUsd(t.monthlyWorstCase)}/mo   one-time ${formatUsd(t.oneTime)}`,
    `${applicable.length} priced or flagged, ${skipped} not applicable${flagged > 0 ? `, ${flagged} NOT PRICED (unpriced or unknown: not included in the totals)` : ""}`,
  );
  return `${out.join("\n")}\n`;
}
