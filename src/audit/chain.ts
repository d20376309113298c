/**
 * The hash chain every audit backend keeps: what links one record to the one before it, how a
 * walk checks each link, and the anchor (`SEQ:SHA256`) that proves nothing was cut from the end or
 * rewritten with recomputed hashes. The file log and the store both verify with checkLink.
 */
import { type AuditRecord, AuditRecordSchema, GENESIS_HASH } from "./record.js";
import { recordHash } from "./record-hash.js";

/** A record's place in the chain: what the next record links to, and what an anchor names. */
export interface ChainHead {
  seq: number;
  hash: string;
}

export const GENESIS_HEAD: ChainHead = { seq: 0, hash: GENESIS_HASH };

/** `SEQ:SHA256`, the form `check`, the pack and `audit verify` print and `--head` reads. */
export function formatHead(head: ChainHead): string {
  return `${head.seq}:${head.hash}`;
}

/** Parses `SEQ:SHA256` (seq >= 1, lowercase or uppercase hex); undefined when it is not one. */
export function parseHead(text: string): ChainHead | undefined {
  const match = /^([1-9]\d*):([0-9a-fA-F]{64})$/.exec(text.trim());
  if (!match || !Number.isSafeInteger(Number(match[1]))) return undefined;
  return { seq: Number(match[1]), hash: match[2]!.toLowerCase() };
}

/** Where a walk is: the last good record, and the one before it (tells an insertion from a replacement). */
export interface ChainState extends ChainHead {
  beforeHash: string | null;
  records: number;
}

export const CHAIN_START: ChainState = { ...GENESIS_HEAD, beforeHash: null, records: 0 };

export type LinkCheck =
  | { next: ChainState; record: AuditRecord; id: string }
  | { problem: string; id: string | null; blamePrevious?: boolean };

/**
 * Checks one stored record (its exact text) as the link after `state`: valid JSON, its own hash,
 * a valid record, the next seq, and its prevHash. With an anchor, the record at the anchored seq
 * must be the anchored one. Returns the state after it, or the first thing wrong.
 */
export function checkLink(state: ChainState, text: string, anchor?: ChainHead): LinkCheck {
  if (text === "") return { problem: "empty line", id: null };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { problem: "not valid JSON: the record's bytes were damaged or edited", id: idHint(text) };
  }
  if (raw === null || typeof raw !== "object" || Array.isArray(raw))
    return { problem: "not a JSON object", id: null };
  const fields = raw as Record<string, unknown>;
  const id = typeof fields.id === "string" ? fields.id : null;
  if (typeof fields.hash !== "string") return { problem: "has no hash", id };
  let computed: string;
  try {
    computed = recordHash(fields);
  } catch {
    return { problem: "content cannot be hashed (a value with no JSON form)", id };
  }
  if (computed !== fields.hash) {
    return { problem: "content does not match its hash: the record was edited after it was written", id };
  }
  const parsed = AuditRecordSchema.safeParse(fields);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { problem: `not a valid audit record: ${issue.path.join(".") || "record"}: ${issue.message}`, id };
  }
  const record = parsed.data;
  const expected = state.seq + 1;
  if (record.hash === state.hash) return { problem: "duplicate of the record before it", id };
  if (record.seq === state.seq && record.prevHash === state.beforeHash) {
    return {
      problem: "inserted: the record after it links to the record before it",
      id,
      blamePrevious: true,
    };
  }
  if (record.seq > expected) {
    const missing = record.seq - expected;
    return {
      problem: `seq ${record.seq} where ${expected} was expected: ${missing} record${missing === 1 ? "" : "s"} before it deleted, or records reordered`,
      id,
    };
  }
  if (record.seq < expected) {
    return {
      problem: `seq ${record.seq} where ${expected} was expected: records reordered or duplicated`,
      id,
    };
  }
  if (record.prevHash !== state.hash) {
    return {
      problem: "prevHash does not match the previous record's hash: a record was replaced or inserted",
      id,
    };
  }
  if (anchor && record.seq === anchor.seq && record.hash !== anchor.hash) {
    return {
      problem: `not the anchored record ${formatHead(anchor)}: the chain was rewritten at or before seq ${anchor.seq} (hashes recomputed)`,
      id,
    };
  }
  return {
    next: { seq: record.seq, hash: record.hash, beforeHash: state.hash, records: state.records + 1 },
    record,
    id: record.id,
  };
}

/**
 * After the last record: a chain that ends before the anchored seq lost its tail (cut, or the
 * whole log replaced by a shorter one). Undefined when the anchor was reached (checkLink already
 * compared its hash) or there is no anchor.
 */
export function anchorNotReached(last: ChainHead, anchor: ChainHead | undefined): string | undefined {
  if (!anchor || last.seq >= anchor.seq) return undefined;
  const missing = anchor.seq - last.seq;
  return `the chain ends at seq ${last.seq}, before the anchored head ${formatHead(anchor)}: ${missing} record${missing === 1 ? "" : "s"} cut from the end (or the log replaced)`;
}

function idHint(text: string): string | null {
  return /"id":"([0-9A-Za-z-]{1,64})"/.exec(text)?.[1] ?? null;
}
