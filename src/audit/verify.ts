import { closeSync, fsyncSync, ftruncateSync, openSync, realpathSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { anchorNotReached, CHAIN_START, type ChainHead, type ChainState, checkLink } from "./chain.js";
import { type LogLine, readLines } from "./line-reader.js";
import { AuditLockPermissionError, AuditLockTimeoutError, withLogLock } from "./log-lock.js";
import { type LogFile, logFiles } from "./log-path.js";
import { recordHash } from "./record-hash.js";
import { type StoreOptions, storeSettings } from "./store-settings.js";

/** Where the chain first goes wrong: the file, its 1-based line, the record's id when readable. */
export interface AuditProblem {
  file: string;
  line: number;
  id: string | null;
  what: string;
}

export interface VerifyResult {
  ok: boolean;
  /** Records verified (up to the first problem when there is one). */
  records: number;
  /** Files walked, oldest first. Empty when there is no log at all. */
  files: string[];
  /** The last verified record (seq 0 and the genesis hash when none): print it elsewhere to anchor the chain. */
  head: ChainHead;
  firstProblem?: AuditProblem;
  /** The active file ended in an incomplete line (a writer interrupted mid-write). */
  tornTail?: boolean;
  /** --repair fixed that torn tail. */
  repaired?: boolean;
  /** Bytes the repair removed (0 when it only completed a whole record's missing newline). */
  removedBytes?: number;
}

export interface VerifyOptions extends Omit<StoreOptions, "path" | "maxBytes"> {
  /** Remove a torn final line (only that: any other problem is reported, never "fixed"). */
  repair?: boolean;
  /** A head printed earlier (`check`, the pack, a previous verify): the log must still contain it. */
  anchor?: ChainHead;
}

interface LineRef {
  file: string;
  line: number;
  id: string | null;
}

interface TornTail {
  file: string;
  line: number;
  offset: number;
  bytes: number;
  id: string | null;
  /** The line is a whole valid record that only lacks its newline. */
  wholeRecord: boolean;
  /** The chain including that whole record, once its newline is restored. */
  completed?: ChainState;
}

interface ScanOutcome {
  state: ChainState;
  previous: LineRef | null;
  problem?: AuditProblem;
  torn?: TornTail;
}

/**
 * Walks every file of the log (rotated ones oldest first, then the active one) and checks each
 * record's own hash, its seq and its link to the one before. Reads without the lock; when it finds
 * a problem in the active file, or is asked to repair, it re-reads that part under the lock so a
 * writer mid-line or mid-rotation is never mistaken for damage.
 *
 * Throws only for I/O errors (unreadable file) and, with `repair`, a lock that cannot be taken.
 */
export async function verifyAuditLog(path: string, options: VerifyOptions = {}): Promise<VerifyResult> {
  const settings = storeSettings({ ...options, path });
  const logPath = canonicalLogPath(settings.path);
  const files = logFiles(logPath);
  const rotated = files.filter((f) => f.rotation !== null);
  const anchor = options.anchor;
  let state = CHAIN_START;
  let previous: LineRef | null = null;
  for (const file of rotated) {
    const outcome = scanFile(file, state, previous, anchor);
    if (outcome.problem) return failed(files, outcome);
    ({ state, previous } = outcome);
  }
  const active = files.find((f) => f.rotation === null);
  const unlocked = active ? scanFile(active, state, previous, anchor) : { state, previous };
  if (!unlocked.problem && !unlocked.torn) return intact(files, unlocked, anchor);

  const lastRotation = rotated[rotated.length - 1]?.rotation ?? 0;
  const resume = { state, previous };
  try {
    return await withLogLock(logPath, settings, () =>
      verifyTailLocked(logPath, lastRotation, resume, options.repair ?? false, anchor),
    );
  } catch (error) {
    // Without a repair the lock only rules out a writer mid-line: a reader who cannot take it still gets an answer.
    const lockUnavailable =
      error instanceof AuditLockTimeoutError || error instanceof AuditLockPermissionError;
    if (lockUnavailable && !options.repair) return failed(files, unlocked);
    throw error;
  }
}

/** Re-walks whatever came after the rotated files already checked, with no writer active. */
function verifyTailLocked(
  logPath: string,
  lastRotation: number,
  resume: { state: ChainState; previous: LineRef | null },
  repair: boolean,
  anchor: ChainHead | undefined,
): VerifyResult {
  const files = logFiles(logPath);
  let { state, previous } = resume;
  for (const file of files.filter((f) => f.rotation === null || f.rotation > lastRotation)) {
    const outcome = scanFile(file, state, previous, anchor);
    if (outcome.problem) return failed(files, outcome);
    if (outcome.torn) {
      if (!repair) return failed(files, outcome);
      const removedBytes = repairTornTail(outcome.torn);
      const repaired = outcome.torn.completed ?? outcome.state;
      return {
        ...intact(files, { state: repaired, previous: outcome.previous }, anchor),
        tornTail: true,
        repaired: true,
        removedBytes,
      };
    }
    ({ state, previous } = outcome);
  }
  return intact(files, { state, previous }, anchor);
}

/** Every link held; with an anchor, the chain must also reach the anchored seq. */
function intact(
  files: LogFile[],
  outcome: { state: ChainState; previous: LineRef | null },
  anchor: ChainHead | undefined,
): VerifyResult {
  const { state, previous } = outcome;
  const result = { ok: true, records: state.records, files: paths(files), head: headOf(state) };
  const cut = anchorNotReached(state, anchor);
  if (!cut) return result;
  const last = files[files.length - 1]?.path ?? "";
  return {
    ...result,
    ok: false,
    firstProblem: { file: previous?.file ?? last, line: (previous?.line ?? 0) + 1, id: null, what: cut },
  };
}

function headOf(state: ChainState): ChainHead {
  return { seq: state.seq, hash: state.hash };
}

function scanFile(
  file: LogFile,
  start: ChainState,
  startPrevious: LineRef | null,
  anchor: ChainHead | undefined,
): ScanOutcome {
  let state = start;
  let previous = startPrevious;
  for (const line of readLines(file.path)) {
    const here = (id: string | null, what: string): AuditProblem => ({
      file: file.path,
      line: line.lineNumber,
      id,
      what,
    });
    const check = checkLink(state, line.text, anchor);
    if (!line.terminated) {
      if (file.rotation !== null) {
        return {
          state,
          previous,
          problem: here(check.id, "no newline at the end of a rotated file: truncated or damaged"),
        };
      }
      if ("next" in check) {
        const torn = { ...tornAt(file, line), id: check.id, wholeRecord: true, completed: check.next };
        return { state, previous, torn };
      }
      if (startsWithWholeRecord(line.text)) {
        return {
          state,
          previous,
          problem: here(check.id, "a record followed by stray bytes instead of a newline"),
        };
      }
      return { state, previous, torn: { ...tornAt(file, line), id: null, wholeRecord: false } };
    }
    if ("problem" in check) {
      const blamed =
        check.blamePrevious && previous
          ? { ...previous, what: check.problem }
          : here(check.id, check.problem);
      return { state, previous, problem: blamed };
    }
    state = check.next;
    previous = { file: file.path, line: line.lineNumber, id: check.id };
  }
  return { state, previous };
}

function tornAt(file: LogFile, line: LogLine): { file: string; line: number; offset: number; bytes: number } {
  return { file: file.path, line: line.lineNumber, offset: line.offset, bytes: line.byteLength };
}

/** A torn write is a prefix of a record; a whole record with more bytes after it is damage. */
function startsWithWholeRecord(text: string): boolean {
  const end = text.lastIndexOf("}");
  if (end < 0 || end === text.length - 1) return false;
  try {
    const fields = JSON.parse(text.slice(0, end + 1)) as Record<string, unknown>;
    return typeof fields.hash === "string" && recordHash(fields) === fields.hash;
  } catch {
    return false;
  }
}

/** Cuts the torn line off, or, for a whole record missing only its newline, adds the newline. */
function repairTornTail(torn: TornTail): number {
  const fd = openSync(torn.file, "r+");
  try {
    if (torn.wholeRecord) {
      writeSync(fd, "\n", torn.offset + torn.bytes);
    } else {
      ftruncateSync(fd, torn.offset);
    }
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return torn.wholeRecord ? 0 : torn.bytes;
}

function failed(files: LogFile[], outcome: ScanOutcome): VerifyResult {
  const result: VerifyResult = {
    ok: false,
    records: outcome.state.records,
    files: paths(files),
    head: headOf(outcome.state),
  };
  if (outcome.problem) {
    result.firstProblem = outcome.problem;
  } else if (outcome.torn) {
    const torn = outcome.torn;
    result.tornTail = true;
    result.firstProblem = {
      file: torn.file,
      line: torn.line,
      id: torn.id,
      what: torn.wholeRecord
        ? "the last record has no newline (its writer was interrupted); `computeguard audit verify --repair` adds it"
        : `incomplete last line (${torn.bytes} bytes): a writer was interrupted mid-write; \`computeguard audit verify --repair\` removes it`,
    };
  }
  return result;
}

function paths(files: LogFile[]): string[] {
  return files.map((f) => f.path);
}

/** The same path the writers lock, however the caller spelt it. */
function canonicalLogPath(path: string): string {
  try {
    return join(realpathSync(dirname(path)), basename(path));
  } catch {
    return path;
  }
}
