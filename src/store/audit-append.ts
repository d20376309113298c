import type { ChainHead } from "../audit/chain.js";
import type { AuditDraft, AuditRecord } from "../audit/record.js";
import { chainAfter, recordText, sealDraft } from "../audit/seal.js";
import { type StoreConnection, StoreFailure } from "./connection.js";

type Env = Readonly<Record<string, string | undefined>>;

export type StoreAppendResult = { ok: true; record: AuditRecord } | { ok: false; reason: string };

/**
 * Appends one record to the organisation's chain in the store: the same record, the same
 * canonical hash as the file log. lock_audit_chain locks the organisation's head row for the
 * transaction (appends from many runners chain one after another) and the database's trigger
 * admits only the record that continues that head, and moves the head on (migration 003).
 * Never throws: a bad record or a store failure comes back as `{ ok: false, reason }`.
 */
export async function appendStoreAuditRecord(
  conn: StoreConnection,
  draft: AuditDraft,
  env: Env = process.env,
): Promise<StoreAppendResult> {
  const [result] = await appendStoreAuditRecords(conn, [draft], env);
  return result!;
}

/**
 * Appends records in order, each continuing its organisation's chain, in one transaction: all of
 * them are stored or none is. A draft that is not a valid record (or too large) fails alone.
 * One result per draft, in order; never throws.
 */
export async function appendStoreAuditRecords(
  conn: StoreConnection,
  drafts: readonly AuditDraft[],
  env: Env = process.env,
): Promise<StoreAppendResult[]> {
  const sealed = drafts.map((draft) => sealDraft(draft, env));
  if (!sealed.some((s) => s.ok)) return sealed.map((s) => s as StoreAppendResult);
  try {
    return await conn.transaction(async (sql) => {
      const heads = new Map<string, ChainHead>();
      const results: StoreAppendResult[] = [];
      for (const s of sealed) {
        if (!s.ok) {
          results.push(s);
          continue;
        }
        const organization = s.record.organization;
        let head = heads.get(organization);
        if (!head) {
          const [row] = await sql.query<{ seq: string; hash: string }>(
            "SELECT seq, hash FROM computeguard.lock_audit_chain($1)",
            [organization],
          );
          head = { seq: Number(row!.seq), hash: row!.hash };
        }
        const record = chainAfter(head, s.record);
        const text = recordText(record);
        if (!text.ok) {
          results.push(text);
          continue;
        }
        await sql.query(
          `INSERT INTO computeguard.audit_records
             (organization, seq, id, recorded_at, project, stack, policy, decision, prev_hash, hash, record)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
          [
            record.organization,
            record.seq,
            record.id,
            record.time,
            record.project,
            record.stack,
            record.policy,
            record.decision,
            record.prevHash,
            record.hash,
            text.text,
          ],
        );
        heads.set(organization, { seq: record.seq, hash: record.hash });
        results.push({ ok: true, record });
      }
      return results;
    });
  } catch (error) {
    const reason = error instanceof StoreFailure ? error.message : `audit store: ${(error as Error).message}`;
    return sealed.map((s) => (s.ok ? { ok: false, reason } : s));
  }
}

/** The organisation's chain head as the database keeps it; null before its first record. */
export async function storeChainHead(conn: StoreConnection, organization: string): Promise<ChainHead | null> {
  const [row] = await conn.query<{ seq: string; hash: string }>(
    "SELECT seq, hash FROM computeguard.audit_chain_heads WHERE organization = $1",
    [organization],
  );
  return row && Number(row.seq) > 0 ? { seq: Number(row.seq), hash: row.hash } : null;
}
