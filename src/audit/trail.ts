import type { ChainHead } from "./chain.js";
import type { AuditFilter } from "./read.js";
import type { AuditDraft, AuditRecord, Operation } from "./record.js";

export type TrailAppendResult = { ok: true; record: AuditRecord } | { ok: false; reason: string };

/** A record or row that cannot be read back: where it is and what is wrong. */
export interface TrailReadProblem {
  /** "FILE line N", or "organization ORG seq N". */
  where: string;
  what: string;
  /** An incomplete last line of the file log (a writer was interrupted, or is writing right now). */
  torn: boolean;
  /** There is no log at all where the trail looked (a mistyped path, or nothing recorded yet). */
  missing?: boolean;
}

/** Where a verify walk found the chain broken. */
export interface TrailProblem {
  /** "FILE line N", "organization ORG seq N" or "organization ORG chain head". */
  where: string;
  id: string | null;
  what: string;
}

export interface TrailVerifyOptions {
  /** Remove a torn final line of the file log (only that); the store has no torn writes. */
  repair?: boolean;
  /** A head printed earlier (`SEQ:SHA256`): the chain must still contain it. */
  anchor?: ChainHead;
  /** Whose chain the anchor belongs to, in the store (one chain per organisation). */
  organization?: string;
}

export interface TrailVerifyResult {
  ok: boolean;
  /** Records verified (up to the first problem when there is one). */
  records: number;
  /** What was walked, for people: "1 file", "3 organization chains". */
  scope: string;
  /** Each chain's last verified record: one for the file log, one per organisation in the store. */
  chains: Array<{ organization: string | null; records: number; head: ChainHead }>;
  /** Nothing there at all (no log file, no record in the store). */
  empty: boolean;
  firstProblem?: TrailProblem;
  /** The file log ended in an incomplete line (a writer interrupted mid-write). */
  tornTail?: boolean;
  /** `repair` fixed that torn tail, removing this many bytes (0: it only added a missing newline). */
  repaired?: { removedBytes: number };
}

/**
 * The audit trail, wherever it is kept: the hash-chained file log or the PostgreSQL store. Both
 * seal drafts the same way (sealDraft, chainAfter) and check links the same way (checkLink), so a
 * record reads and verifies alike from either. Open one with openAuditTrail (src/store).
 */
export interface AuditTrail {
  readonly kind: "file" | "store";
  /** For messages: the log's path, or "the audit store at HOST/DB". */
  readonly location: string;
  /** Never throws: an unwritable log or an unreachable store comes back as `{ ok: false, reason }`. */
  append(draft: AuditDraft): Promise<TrailAppendResult>;
  /**
   * Appends records in order, together: one lock and one fsync (one transaction in the store),
   * all written or none. A draft that is not a valid record fails alone. One result per draft.
   */
  appendAll(drafts: readonly AuditDraft[]): Promise<TrailAppendResult[]>;
  /** How loud a failed append is in this operation (mandatory in an update unless overridden). */
  failureLevel(operation: Operation): "mandatory" | "advisory";
  /** Matching records oldest first; unreadable ones go to onProblem and are skipped. */
  read(filter?: AuditFilter, onProblem?: (problem: TrailReadProblem) => void): AsyncIterable<AuditRecord>;
  /** Records whose id starts with the prefix (case-insensitive), at most `limit`. */
  find(idPrefix: string, limit?: number): Promise<AuditRecord[]>;
  /** The chain's last record (the organisation's, in the store): what to print as an anchor. */
  head(organization: string): Promise<ChainHead | null>;
  verify(options?: TrailVerifyOptions): Promise<TrailVerifyResult>;
  close(): Promise<void>;
}

/** The trail could not be read or verified (I/O, the store, a bad request); the message says which, in one line. */
export class AuditTrailError extends Error {
  override name = "AuditTrailError";
}
