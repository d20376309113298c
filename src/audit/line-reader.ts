import { closeSync, openSync, readSync } from "node:fs";

export interface LogLine {
  /** UTF-8 text without the newline. */
  text: string;
  /** 1-based. */
  lineNumber: number;
  /** Byte offset of the line's first byte. */
  offset: number;
  byteLength: number;
  /** False only for a final line with no newline: a torn write or a damaged end. */
  terminated: boolean;
}

const NEWLINE = 0x0a;

/** Lines of a file in constant memory, split on "\n" only (a stray "\r" stays in the line). */
export function* readLines(path: string, chunkBytes = 1 << 16): Generator<LogLine> {
  const fd = openSync(path, "r");
  try {
    const chunk = Buffer.allocUnsafe(chunkBytes);
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    let offset = 0;
    let lineNumber = 0;
    for (;;) {
      const read = readSync(fd, chunk, 0, chunkBytes, null);
      if (read === 0) break;
      let start = 0;
      for (let nl = chunk.indexOf(NEWLINE, 0); nl !== -1 && nl < read; nl = chunk.indexOf(NEWLINE, start)) {
        const bytes = Buffer.concat([...pending, chunk.subarray(start, nl)]);
        pending = [];
        pendingBytes = 0;
        lineNumber++;
        yield {
          text: bytes.toString("utf8"),
          lineNumber,
          offset,
          byteLength: bytes.length,
          terminated: true,
        };
        offset += bytes.length + 1;
        start = nl + 1;
      }
      if (start < read) {
        // Copy: the chunk buffer is reused by the next read.
        pending.push(Buffer.from(chunk.subarray(start, read)));
        pendingBytes += read - start;
      }
    }
    if (pendingBytes > 0) {
      const bytes = Buffer.concat(pending);
      yield {
        text: bytes.toString("utf8"),
        lineNumber: lineNumber + 1,
        offset,
        byteLength: bytes.length,
        terminated: false,
      };
    }
  } finally {
    closeSync(fd);
  }
}
