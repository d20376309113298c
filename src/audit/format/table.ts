import { formatUsd, money } from "../../money.js";
import type { AuditRecord } from "../record.js";
import { terminalText } from "./terminal-text.js";

const COLUMNS = ["TIME", "DECISION", "STACK", "POLICY", "RESOURCE", "WORST CASE/MO", "LIMIT", "ACTOR", "ID"];

/** The resource's name: the last `::` segment of its URN. */
function resourceName(record: AuditRecord): string {
  if (!record.resource) return "(stack)";
  const urn = record.resource.urn;
  return urn.slice(urn.lastIndexOf("::") + 2) || urn;
}

function usd(amount: string | null): string {
  return amount === null ? "-" : formatUsd(money(amount));
}

function row(record: AuditRecord): string[] {
  return [
    record.time.replace(/\.\d+Z$/, "Z"),
    record.decision,
    `${record.project}/${record.stack}`,
    record.policy,
    resourceName(record),
    usd(record.costs.monthlyWorstCase),
    record.limit === null ? "-" : `${usd(record.limit)}${record.budget ? ` (${record.budget})` : ""}`,
    record.actor.ci ? `${record.actor.user} (${record.actor.ci})` : record.actor.user,
    record.id,
  ].map((cell) => terminalText(cell));
}

/** What a person scans: one line per record, columns padded to fit. */
export function auditTable(records: readonly AuditRecord[]): string {
  if (records.length === 0) return "No audit records match.\n";
  const rows = [COLUMNS, ...records.map(row)];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const lines = rows.map((r) =>
    r
      .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd(),
  );
  return `${lines.join("\n")}\n${records.length} record${records.length === 1 ? "" : "s"}\n`;
}
