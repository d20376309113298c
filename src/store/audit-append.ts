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
  const sealed = sealDraft(draft, env);
  if (!sealed.ok) return sealed;
  try {
    const record = await conn.transaction(async (sql) => {
      const [head] = await sql.query<{ seq: string; hash: string }>(
        "SELECT seq, hash FROM computeguard.lock_audit_chain($1)",
        [sealed.record.organization],
      );
      const record = chainAfter({ seq: Number(head!.seq), hash: head!.hash }, sealed.record);
      const text = recordText(record);
      if (!text.ok) throw new RecordTooLarge(text.reason);
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
      return record;
    });
    return { ok: true, record };
  } catch (error) {
    if (error instanceof StoreFailure || error instanceof RecordTooLarge)
      return { ok: false, reason: error.message };
    return { ok: false, reason: `audit store: ${(error as Error).message}` };
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

class RecordTooLarge extends Error {}
