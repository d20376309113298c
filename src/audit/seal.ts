import { detectActor } from "./actor.js";
import { canonicalJson } from "./canonical-json.js";
import type { ChainHead } from "./chain.js";
import { type AuditDraft, AuditDraftSchema, type AuditRecord, RECORD_VERSION } from "./record.js";
import { recordHash } from "./record-hash.js";
import { newRecordId } from "./record-id.js";

type Env = Readonly<Record<string, string | undefined>>;

/** Longer messages are cut so a record stays one modest line. */
export const MAX_MESSAGE_CHARS = 4000;
/** No stored record is longer than this (a file log line, its newline included; a store row). */
export const MAX_RECORD_BYTES = 256 * 1024;

/** A record with every fact filled in, waiting for its place in the chain. */
export type UnchainedRecord = Omit<AuditRecord, "seq" | "prevHash" | "hash">;

export type Sealed = { ok: true; record: UnchainedRecord } | { ok: false; reason: string };

/**
 * Completes a draft the same way for every backend: validated (strict: a misspelt field is an
 * error), id, time and actor filled in when absent, an over-long message cut.
 */
export function sealDraft(draft: AuditDraft, env: Env = process.env, now: Date = new Date()): Sealed {
  const parsed = AuditDraftSchema.safeParse(draft);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.length > 0 ? issue.path.join(".") : "record";
    return { ok: false, reason: `invalid audit record: ${field}: ${issue.message}` };
  }
  const facts = parsed.data;
  return {
    ok: true,
    record: {
      v: RECORD_VERSION,
      ...facts,
      id: facts.id ?? newRecordId(now.getTime()),
      time: facts.time ?? now.toISOString(),
      actor: facts.actor ?? detectActor(env),
      message:
        facts.message.length > MAX_MESSAGE_CHARS
          ? `${facts.message.slice(0, MAX_MESSAGE_CHARS)} [truncated]`
          : facts.message,
    },
  };
}

/** The record as the next link after `head`: its seq, its predecessor's hash and its own hash. */
export function chainAfter(head: ChainHead, record: UnchainedRecord): AuditRecord {
  const chained = { ...record, seq: head.seq + 1, prevHash: head.hash };
  return { ...chained, hash: recordHash(chained) };
}

/** The exact text a backend stores (and the hash covers), or why it is too large to store. */
export function recordText(record: AuditRecord): { ok: true; text: string } | { ok: false; reason: string } {
  const text = canonicalJson(record);
  const bytes = Buffer.byteLength(text, "utf8") + 1;
  if (bytes > MAX_RECORD_BYTES) {
    return { ok: false, reason: `audit record is ${bytes} bytes, over the ${MAX_RECORD_BYTES} limit` };
  }
  return { ok: true, text };
}
