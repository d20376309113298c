import {
  closeSync,
  existsSync,
  fstatSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  statSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { type ChainHead, GENESIS_HEAD } from "./chain.js";
import { readChainTail } from "./chain-tail.js";
import { AuditLockPermissionError, AuditLockTimeoutError, withLogLock } from "./log-lock.js";
import { logFiles, rotatedPath } from "./log-path.js";
import type { AuditDraft, AuditRecord } from "./record.js";
import { chainAfter, recordText, type Sealed, sealDraft, type UnchainedRecord } from "./seal.js";
import { AuditSettingError, type StoreOptions, storeSettings } from "./store-settings.js";

export type AppendFailureCode =
  | "invalid-record"
  | "settings"
  | "lock-timeout"
  | "permission"
  | "torn-tail"
  | "unreadable-tail"
  | "io";

export type AppendResult =
  | { ok: true; record: AuditRecord; path: string }
  | { ok: false; code: AppendFailureCode; reason: string };

export interface AppendOptions extends StoreOptions {
  /** Test hook: write the line in two calls with this pause between, so a kill can tear it. */
  splitWritePauseMs?: number;
}

class AppendFailure extends Error {
  constructor(
    readonly code: AppendFailureCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Appends one record to the hash-chained audit log: lock, read the chain head from the end of
 * the file, write the line in one call, fsync, unlock. Rotates first when the line would take
 * the active file past maxBytes.
 *
 * Never throws and never rejects: an unwritable path, a full disk, a lock timeout or a torn
 * tail come back as `{ ok: false, reason }` so the caller decides how loud to be
 * (see auditFailureLevel). A torn tail (a writer died mid-line) is not repaired here: appending
 * is refused until `computeguard audit verify --repair` has been run.
 */
export async function appendAuditRecord(
  draft: AuditDraft,
  options: AppendOptions = {},
): Promise<AppendResult> {
  const [result] = await appendAuditRecords([draft], options);
  return result!;
}

/**
 * Appends records in order as consecutive links of the chain, under one lock, in one write and
 * one fsync (the decisions of one resource, say): all of them are written or none is. A draft
 * that is not a valid record fails alone. One result per draft, in order; never throws.
 */
export async function appendAuditRecords(
  drafts: readonly AuditDraft[],
  options: AppendOptions = {},
): Promise<AppendResult[]> {
  let sealed: Sealed[] = [];
  let written: Locked[] = [];
  let path = "";
  try {
    const settings = storeSettings(options);
    sealed = drafts.map((draft) => sealDraft(draft, options.env ?? process.env));
    const records = sealed.flatMap((s) => (s.ok ? [s.record] : []));
    if (records.length > 0) {
      const dir = dirname(settings.path);
      try {
        makeDirectory(dir);
      } catch (error) {
        throw new AppendFailure("io", `cannot create audit log directory ${dir}: ${describe(error)}`);
      }
      // One lock per file however it is reached (relative path, symlinked directory).
      path = join(realpathSync(dir), basename(settings.path));
      written = await withLogLock(path, settings, () =>
        appendLocked(path, records, settings.maxBytes, options.splitWritePauseMs),
      );
    }
  } catch (error) {
    const failed = asFailure(error);
    return drafts.map((_, i) => {
      const s = sealed[i];
      return s && !s.ok ? failure("invalid-record", s.reason) : failed;
    });
  }
  let next = 0;
  return sealed.map((s) => {
    if (!s.ok) return failure("invalid-record", s.reason);
    const outcome = written[next++]!;
    return outcome.ok ? { ok: true, record: outcome.record, path } : outcome;
  });
}

function failure(code: AppendFailureCode, reason: string): AppendResult {
  return { ok: false, code, reason };
}

function asFailure(error: unknown): AppendResult {
  if (error instanceof AppendFailure) return failure(error.code, error.message);
  if (error instanceof AuditLockTimeoutError) return failure("lock-timeout", error.message);
  if (error instanceof AuditLockPermissionError) return failure("permission", error.message);
  if (error instanceof AuditSettingError) return failure("settings", error.message);
  return failure("io", `audit log: ${describe(error)}`);
}

type Locked = { ok: true; record: AuditRecord } | { ok: false; code: AppendFailureCode; reason: string };

/** Everything under the lock; synchronous (see withLogLock). */
function appendLocked(
  path: string,
  unchained: readonly UnchainedRecord[],
  maxBytes: number,
  splitPauseMs?: number,
): Locked[] {
  let fd = openSync(path, "a+", 0o640);
  try {
    let head = chainHead(path, fd);
    const outcomes: Locked[] = [];
    const lines: string[] = [];
    for (const next of unchained) {
      const record = chainAfter(head, next);
      const text = recordText(record);
      // Too large to store: this one fails, the next links to the record before it.
      if (!text.ok) {
        outcomes.push({ ok: false, code: "invalid-record", reason: text.reason });
        continue;
      }
      outcomes.push({ ok: true, record });
      lines.push(`${text.text}\n`);
      head = { seq: record.seq, hash: record.hash };
    }
    if (lines.length === 0) return outcomes;
    const bytes = Buffer.from(lines.join(""), "utf8");
    let sizeBefore = fstatSync(fd).size;
    if (sizeBefore > 0 && sizeBefore + bytes.length > maxBytes) {
      closeSync(fd);
      fd = -1;
      renameSync(path, rotatedPath(path, nextRotation(path)));
      fd = openSync(path, "a+", 0o640);
      sizeBefore = 0;
    }
    writeLine(fd, bytes, sizeBefore, splitPauseMs);
    fsyncSync(fd);
    // A new file (first record, or just rotated) needs its directory entry made durable too.
    if (sizeBefore === 0) fsyncDirectory(dirname(path));
    return outcomes;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

/**
 * The log's chain head, read without the lock (a writer may be mid-line: that reads as a torn
 * tail and throws, like any other damage, naming what to run).
 */
export function fileChainHead(path: string): ChainHead {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  try {
    return chainHead(path, fd);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** The head the next record links to: this file's last record, else the newest rotated file's, else genesis. */
function chainHead(path: string, fd: number | undefined): ChainHead {
  const tail = fd === undefined ? ({ kind: "empty" } as const) : readChainTail(fd);
  if (tail.kind === "head") return tail.head;
  if (tail.kind === "torn") {
    throw new AppendFailure(
      "torn-tail",
      `audit log ${path} ends with an incomplete record (a writer was interrupted mid-write); ` +
        "run `computeguard audit verify --repair` to remove it, then retry",
    );
  }
  if (tail.kind === "unreadable") {
    throw new AppendFailure(
      "unreadable-tail",
      `cannot continue the audit chain in ${path}: ${tail.why}; run \`computeguard audit verify\``,
    );
  }
  const previous = logFiles(path).filter((f) => f.rotation !== null);
  const newest = previous[previous.length - 1];
  if (!newest) return GENESIS_HEAD;
  const rotatedFd = openSync(newest.path, "r");
  try {
    const rotatedTail = readChainTail(rotatedFd);
    if (rotatedTail.kind === "head") return rotatedTail.head;
    throw new AppendFailure(
      "unreadable-tail",
      `cannot continue the audit chain from ${newest.path}: ${rotatedTail.kind === "unreadable" ? rotatedTail.why : `it is ${rotatedTail.kind}`}; run \`computeguard audit verify\``,
    );
  } finally {
    closeSync(rotatedFd);
  }
}

function nextRotation(path: string): number {
  const rotations = logFiles(path).map((f) => f.rotation ?? 0);
  return Math.max(0, ...rotations) + 1;
}

/**
 * One write call. A short or failed write (disk full) is cut back to the previous end so no
 * partial line is left behind for the next writer.
 */
function writeLine(fd: number, line: Buffer, sizeBefore: number, splitPauseMs?: number): void {
  let written = 0;
  try {
    if (splitPauseMs !== undefined) {
      const half = Math.floor(line.length / 2);
      written = writeSync(fd, line, 0, half);
      sleepSync(splitPauseMs);
      written += writeSync(fd, line, half, line.length - half);
    } else {
      written = writeSync(fd, line);
    }
  } catch (error) {
    undoPartialWrite(fd, sizeBefore);
    throw new AppendFailure("io", `cannot write to the audit log: ${describe(error)}`);
  }
  if (written !== line.length) {
    undoPartialWrite(fd, sizeBefore);
    throw new AppendFailure(
      "io",
      `short write to the audit log (${written} of ${line.length} bytes; disk full?)`,
    );
  }
}

function undoPartialWrite(fd: number, sizeBefore: number): void {
  try {
    ftruncateSync(fd, sizeBefore);
    fsyncSync(fd);
  } catch {
    // Not a regular file, or the disk refuses: verify will report the torn tail.
  }
}

function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Some filesystems cannot fsync a directory; the record itself is already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Node's errno messages already carry the code and path ("ENOTDIR: not a directory, mkdir '/x'"). */
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * mkdir -p, one level at a time: Node 20's recursive mkdir never returns for some paths (under
 * /proc), which would hang a deploy instead of reporting an unwritable audit log.
 */
function makeDirectory(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) {
      throw Object.assign(new Error(`ENOTDIR: not a directory, mkdir '${dir}'`), { code: "ENOTDIR" });
    }
    return;
  }
  const parent = dirname(dir);
  if (parent !== dir) makeDirectory(parent);
  mkdirSync(dir, { mode: 0o750 });
}
