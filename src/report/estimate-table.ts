import type { StackEstimate } from "../estimate/estimator.js";
import type { ResourceEstimate } from "../estimate/types.js";
import { formatUsd, type Money } from "../money.js";

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
  // Not priced is never $0: with any left out, the totals are what is known, at least.
  const amount = (m: Money) => `${stack.notPriced > 0 ? "≥ " : ""}${formatUsd(m)}`;
  out.push(
    `TOTAL  baseline ${amount(t.monthlyBaseline)}/mo   worst case ${amount(t.monthlyWorstCase)}/mo   one-time ${amount(t.oneTime)}${stack.notPriced > 0 ? `   (${stack.notPriced} not priced)` : ""}`,
    `${applicable.length} priced or flagged, ${skipped} not applicable${stack.notPriced > 0 ? `, ${stack.notPriced} NOT PRICED (unpriced or unknown: not included in the totals, never $0)` : ""}`,
  );
  return `${out.join("\n")}\n`;
}
