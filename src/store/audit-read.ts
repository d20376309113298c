import type { AuditFilter, AuditRecord } from "../audit/index.js";
import { matches, parseRecord } from "../audit/read.js";
import type { StoreConnection } from "./connection.js";

/** A row whose record cannot be read back: where it is and what is wrong. */
export interface StoreReadProblem {
  organization: string;
  seq: number;
  what: string;
}

interface RecordRow {
  organization: string;
  seq: string;
  /** Text, not a Date: keeps the microseconds the next page starts after. */
  cursor_at: string;
  record: string;
}

const PAGE = 500;

/**
 * The store's matching records in time order (organisation and seq break ties), a page at a
 * time so an export never holds the whole table. Hashes are not checked: verifyStoreAudit does.
 * A row that is not a valid record goes to onProblem and is skipped.
 */
export async function* readStoreAuditRecords(
  conn: StoreConnection,
  filter: AuditFilter = {},
  onProblem: (problem: StoreReadProblem) => void = () => undefined,
): AsyncGenerator<AuditRecord> {
  const where: string[] = [];
  const values: unknown[] = [];
  const param = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  if (filter.since) where.push(`recorded_at >= ${param(filter.since.toISOString())}`);
  if (filter.policy !== undefined) where.push(`policy = ${param(filter.policy)}`);
  if (filter.decisions && filter.decisions.length > 0)
    where.push(`decision = ANY(${param(filter.decisions)})`);
  let after: RecordRow | undefined;
  for (;;) {
    const page = [...where];
    const pageValues = [...values];
    if (after) {
      pageValues.push(after.cursor_at, after.organization, after.seq);
      const n = pageValues.length;
      page.push(`(recorded_at, organization, seq) > ($${n - 2}::timestamptz, $${n - 1}, $${n}::bigint)`);
    }
    const rows = await conn.query<RecordRow>(
      `SELECT organization, seq, recorded_at::text AS cursor_at, record FROM computeguard.audit_records
       ${page.length > 0 ? `WHERE ${page.join(" AND ")}` : ""}
       ORDER BY recorded_at, organization, seq LIMIT ${PAGE}`,
      pageValues,
    );
    for (const row of rows) {
      const record = parseRow(row);
      if (typeof record === "string")
        onProblem({ organization: row.organization, seq: Number(row.seq), what: record });
      else if (matches(record, filter)) yield record;
    }
    if (rows.length < PAGE) return;
    after = rows[rows.length - 1];
  }
}

/** Records whose id starts with the prefix (case-insensitive), at most `limit`. */
export async function findStoreAuditRecords(
  conn: StoreConnection,
  idPrefix: string,
  limit = 10,
): Promise<AuditRecord[]> {
  const rows = await conn.query<RecordRow>(
    `SELECT organization, seq, recorded_at::text AS cursor_at, record FROM computeguard.audit_records
     WHERE upper(id) LIKE $1 ORDER BY recorded_at, organization, seq LIMIT ${limit}`,
    [`${idPrefix.toUpperCase().replace(/[\\%_]/g, "\\$&")}%`],
  );
  return rows.map(parseRow).filter((r): r is AuditRecord => typeof r !== "string");
}

function parseRow(row: RecordRow): AuditRecord | string {
  return parseRecord(row.record);
}
