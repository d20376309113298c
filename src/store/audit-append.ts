import { canonicalJson } from "../audit/canonical-json.js";
import { MAX_LINE_BYTES } from "../audit/chain-tail.js";
import {
  type AuditDraft,
  type AuditRecord,
  detectActor,
  GENESIS_HASH,
  MAX_MESSAGE_CHARS,
  recordHash,
} from "../audit/index.js";
import { AuditDraftSchema, RECORD_VERSION } from "../audit/record.js";
import { newRecordId } from "../audit/record-id.js";
import { type StoreConnection, StoreFailure } from "./connection.js";

type Env = Readonly<Record<string, string | undefined>>;

export type StoreAppendResult = { ok: true; record: AuditRecord } | { ok: false; reason: string };

/**
 * Appends one record to the organisation's chain in the store: the same record, the same
 * canonical hash as the file log. The organisation's head row is locked (SELECT ... FOR UPDATE)
 * for the length of the transaction, so appends from many runners chain one after another.
 * Never throws: a bad record or a store failure comes back as `{ ok: false, reason }`.
 */
export async function appendStoreAuditRecord(
  conn: StoreConnection,
  draft: AuditDraft,
  env: Env = process.env,
): Promise<StoreAppendResult> {
  const parsed = AuditDraftSchema.safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join(".") : "record";
    return { ok: false, reason: `invalid audit record: ${field}: ${issue.message}` };
  }
  const facts = parsed.data;
  const now = new Date();
  const unchained: Omit<AuditRecord, "seq" | "prevHash" | "hash"> = {
    v: RECORD_VERSION,
    ...facts,
    id: facts.id ?? newRecordId(now.getTime()),
    time: facts.time ?? now.toISOString(),
    actor: facts.actor ?? detectActor(env),
    message:
      facts.message.length > MAX_MESSAGE_CHARS
        ? `${facts.message.slice(0, MAX_MESSAGE_CHARS)} [truncated]`
        : facts.message,
  };
  try {
    const record = await conn.transaction(async (sql) => {
      await sql.query(
        "INSERT INTO computeguard.audit_chain_heads (organization, seq, hash) VALUES ($1, 0, $2) ON CONFLICT DO NOTHING",
        [facts.organization, GENESIS_HASH],
      );
      const [head] = await sql.query<{ seq: string; hash: string }>(
        "SELECT seq, hash FROM computeguard.audit_chain_heads WHERE organization = $1 FOR UPDATE",
        [facts.organization],
      );
      const chained = { ...unchained, seq: Number(head!.seq) + 1, prevHash: head!.hash };
      const record: AuditRecord = { ...chained, hash: recordHash(chained) };
      const text = canonicalJson(record);
      if (Buffer.byteLength(text, "utf8") >= MAX_LINE_BYTES) {
        throw new RecordTooLarge(`audit record is over the ${MAX_LINE_BYTES}-byte limit`);
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
          text,
        ],
      );
      await sql.query(
        "UPDATE computeguard.audit_chain_heads SET seq = $2, hash = $3 WHERE organization = $1",
        [record.organization, record.seq, record.hash],
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

class RecordTooLarge extends Error {}
