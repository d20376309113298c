import { fstatSync, readSync } from "node:fs";
import type { ChainHead } from "./chain.js";
import { MAX_RECORD_BYTES } from "./seal.js";

export type TailState =
  | { kind: "empty" }
  | { kind: "head"; head: ChainHead }
  | { kind: "torn"; size: number }
  | { kind: "unreadable"; why: string };

/** Records are about 1 KB; the window grows fourfold when the last line is longer. */
const WINDOW_BYTES = 8 * 1024;
/** No record line is longer than this; a longer last line is damage, not a record. */
const MAX_LINE_BYTES = MAX_RECORD_BYTES;

/**
 * Reads only the end of the file: the final newline and the line before it. A file whose last
 * byte is not a newline ends in a torn write. The last record is taken at its word (its `hash`
 * and `seq` are not re-checked here; verify does that), so appends stay O(1) in the log's size.
 */
export function readChainTail(fd: number): TailState {
  const size = fstatSync(fd).size;
  if (size === 0) return { kind: "empty" };
  for (let window = Math.min(size, WINDOW_BYTES); ; window = Math.min(size, window * 4)) {
    const buffer = Buffer.alloc(window);
    const read = readSync(fd, buffer, 0, window, size - window);
    if (read !== window) return { kind: "unreadable", why: "the file changed size while it was read" };
    if (buffer[window - 1] !== 0x0a) return { kind: "torn", size };
    const start = window >= 2 ? buffer.lastIndexOf(0x0a, window - 2) + 1 : 0;
    if (start > 0 || window === size) return parseHead(buffer.subarray(start, window - 1).toString("utf8"));
    if (window >= MAX_LINE_BYTES)
      return { kind: "unreadable", why: `the last line is longer than ${MAX_LINE_BYTES} bytes` };
  }
}

function parseHead(line: string): TailState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return { kind: "unreadable", why: "the last line is not valid JSON" };
  }
  const { seq, hash } = (parsed ?? {}) as { seq?: unknown; hash?: unknown };
  if (typeof seq !== "number" || !Number.isSafeInteger(seq) || seq < 1) {
    return { kind: "unreadable", why: "the last record has no valid seq" };
  }
  if (typeof hash !== "string" || !/^[0-9a-f]{64}$/.test(hash)) {
    return { kind: "unreadable", why: "the last record has no valid hash" };
  }
  return { kind: "head", head: { seq, hash } };
}
