import type { AuditRecord } from "../record.js";

/** RFC 4180 field: quoted when it holds a comma, quote, CR or LF; quotes doubled. */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function csvRow(values: ReadonlyArray<string | number | null | undefined>): string {
  return `${values.map(csvField).join(",")}\r\n`;
}

/** Every record field, nested ones as dotted columns, in a fixed order. */
export const CSV_COLUMNS: ReadonlyArray<
  readonly [string, (r: AuditRecord) => string | number | null | undefined]
> = [
  ["seq", (r) => r.seq],
  ["id", (r) => r.id],
  ["time", (r) => r.time],
  ["organization", (r) => r.organization],
  ["project", (r) => r.project],
  ["stack", (r) => r.stack],
  ["operation", (r) => r.operation],
  ["resource.urn", (r) => r.resource?.urn],
  ["resource.type", (r) => r.resource?.type],
  ["policy", (r) => r.policy],
  ["decision", (r) => r.decision],
  ["enforcementLevel", (r) => r.enforcementLevel],
  ["costs.monthlyBaseline", (r) => r.costs.monthlyBaseline],
  ["costs.monthlyWorstCase", (r) => r.costs.monthlyWorstCase],
  ["costs.oneTime", (r) => r.costs.oneTime],
  ["limit", (r) => r.limit],
  ["budget", (r) => r.budget],
  ["marginPercent", (r) => r.marginPercent],
  ["waiver.id", (r) => r.waiver?.id],
  ["waiver.approvedBy", (r) => r.waiver?.approvedBy],
  ["waiver.expires", (r) => r.waiver?.expires],
  ["catalog.version", (r) => r.catalog.version],
  ["catalog.date", (r) => r.catalog.date],
  ["configDigest", (r) => r.configDigest],
  ["pack.name", (r) => r.pack.name],
  ["pack.version", (r) => r.pack.version],
  ["actor.user", (r) => r.actor.user],
  ["actor.ci", (r) => r.actor.ci],
  ["actor.repository", (r) => r.actor.repository],
  ["actor.commit", (r) => r.actor.commit],
  ["actor.runUrl", (r) => r.actor.runUrl],
  ["message", (r) => r.message],
  ["prevHash", (r) => r.prevHash],
  ["hash", (r) => r.hash],
];

export function csvHeader(): string {
  return csvRow(CSV_COLUMNS.map(([name]) => name));
}

export function csvRecord(record: AuditRecord): string {
  return csvRow(CSV_COLUMNS.map(([, value]) => value(record)));
}
