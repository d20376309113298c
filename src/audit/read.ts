import { resolve } from "node:path";
import { readLines } from "./line-reader.js";
import { logFiles } from "./log-path.js";
import { type AuditRecord, AuditRecordSchema, type Decision } from "./record.js";

export interface AuditFilter {
  decisions?: readonly Decision[];
  /** A stack name, "project/stack" or "organization/project/stack". */
  stack?: string;
  policy?: string;
  /** Records at or after this instant. */
  since?: Date;
}

export interface ReadProblem {
  file: string;
  line: number;
  what: string;
  /** An incomplete last line (a writer was interrupted, or is writing right now). */
  torn: boolean;
}

export interface ReadOptions {
  /** Called for each unreadable line, which is then skipped; without it a damaged line throws. */
  onProblem?: (problem: ReadProblem) => void;
}

/** A line that is not a record, with its file and line. */
export class AuditLogError extends Error {
  override name = "AuditLogError";
}

/**
 * The log's records oldest first, across rotated files, one line at a time (constant memory).
 * Hashes are not checked here: that is verifyAuditLog's job. An incomplete last line is skipped
 * (reported to onProblem when given); any other damaged line goes to onProblem or throws.
 */
export function* readAuditRecords(
  path: string,
  filter: AuditFilter = {},
  options: ReadOptions = {},
): Generator<AuditRecord> {
  for (const file of logFiles(resolve(path))) {
    for (const line of readLines(file.path)) {
      const torn = !line.terminated && file.rotation === null;
      const record = torn ? undefined : parseRecord(line.text);
      if (typeof record === "object") {
        if (matches(record, filter)) yield record;
        continue;
      }
      const problem: ReadProblem = {
        file: file.path,
        line: line.lineNumber,
        what: torn ? "incomplete last line (skipped)" : (record as string),
        torn,
      };
      if (options.onProblem) options.onProblem(problem);
      else if (!torn) throw new AuditLogError(`${problem.file}:${problem.line}: ${problem.what}`);
    }
  }
}

/** The record, or what is wrong with the line. */
/** One stored line as a record, or what is wrong with it. */
export function parseRecord(text: string): AuditRecord | string {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return "not valid JSON";
  }
  const parsed = AuditRecordSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  return `not a valid audit record: ${issue.path.join(".") || "record"}: ${issue.message}`;
}

export function matches(record: AuditRecord, filter: AuditFilter): boolean {
  if (filter.decisions && filter.decisions.length > 0 && !filter.decisions.includes(record.decision))
    return false;
  if (filter.policy !== undefined && record.policy !== filter.policy) return false;
  if (filter.stack !== undefined) {
    const names = [
      record.stack,
      `${record.project}/${record.stack}`,
      `${record.organization}/${record.project}/${record.stack}`,
    ];
    if (!names.includes(filter.stack)) return false;
  }
  if (filter.since !== undefined && Date.parse(record.time) < filter.since.getTime()) return false;
  return true;
}
