import type { Command } from "commander";
import { csvHeader, csvRecord } from "../../src/audit/format/csv.js";
import { auditDetail } from "../../src/audit/format/detail.js";
import { auditTable } from "../../src/audit/format/table.js";
import {
  type AuditFilter,
  type AuditRecord,
  DECISIONS,
  type Decision,
  defaultAuditPath,
  logFiles,
  type ReadProblem,
  readAuditRecords,
  verifyAuditLog,
} from "../../src/audit/index.js";
import { parseSince } from "../../src/audit/since.js";
import {
  findStoreAuditRecords,
  readStoreAuditRecords,
  type StoreConnection,
  storeConfigured,
  verifyStoreAudit,
} from "../../src/store/index.js";
import { UsageError } from "../errors.js";
import { withStore } from "./store.js";

/** `audit verify` found the chain broken (same code as a blocked gate: "look at this"). */
const VERIFY_FAILED = 1;

interface LogFlags {
  log?: string;
}

interface ListFlags extends LogFlags {
  decision: string[];
  stack?: string;
  policy?: string;
  since?: string;
  format: string;
}

const LOG_OPTION = [
  "--log <file>",
  "audit log (default: the store when COMPUTEGUARD_STORE_URL is set, else COMPUTEGUARD_AUDIT_LOG or ~/.local/state/computeguard/audit.jsonl)",
] as const;

export function registerAudit(program: Command): void {
  const audit = program.command("audit").description("Read and check the audit trail of cost-gate decisions");

  audit
    .command("list")
    .description("List recorded decisions, oldest first")
    .option(
      "--decision <decision>",
      "blocked | warned | waived | passed (repeat or comma-separate)",
      collect,
      [],
    )
    .option("--stack <stack>", "stack, project/stack or org/project/stack")
    .option("--policy <policy>", "policy name")
    .option("--since <when>", "ISO date/time, or a duration back from now: 30m, 12h, 7d, 2w")
    .option("--format <format>", "table | json | csv", "table")
    .option(...LOG_OPTION)
    .action(async (flags: ListFlags) => {
      const format = oneOf(flags.format, ["table", "json", "csv"], "--format");
      if (fromStore(flags)) {
        const filter = listFilter(flags);
        return withStore((conn) => writeRecords(readStore(conn, filter), format));
      }
      const path = logPath(flags);
      const records = readLog(path, listFilter(flags));
      await writeRecords(records, format);
    });

  audit
    .command("show <id>")
    .description("Show every field of one record (its id, or a unique prefix of it)")
    .option("--format <format>", "text | json", "text")
    .option(...LOG_OPTION)
    .action(async (id: string, flags: LogFlags & { format: string }) => {
      const format = oneOf(flags.format, ["text", "json"], "--format");
      const path = fromStore(flags) ? "the audit store" : logPath(flags);
      const wanted = id.trim().toUpperCase();
      if (wanted.length < 4)
        throw new UsageError(`record id "${id}" is too short: give at least 4 characters`);
      const found = fromStore(flags)
        ? await withStore((conn) => findStoreAuditRecords(conn, wanted))
        : [...readLog(path, {})].filter((r) => r.id.toUpperCase().startsWith(wanted));
      if (found.length === 0) throw new UsageError(`no audit record with id ${id} in ${path}`);
      const exact = found.filter((r) => r.id.toUpperCase() === wanted);
      if (exact.length === 0 && found.length > 1) {
        throw new UsageError(`id prefix ${id} matches ${found.length} records; give more of the id`);
      }
      const record = (exact[0] ?? found[0])!;
      process.stdout.write(format === "json" ? `${JSON.stringify(record, null, 2)}\n` : auditDetail(record));
    });

  audit
    .command("verify")
    .description("Check the hash chain; exit 1 naming the first bad record")
    .option("--repair", "remove an incomplete last line left by an interrupted writer (nothing else)")
    .option(...LOG_OPTION)
    .action(async (flags: LogFlags & { repair?: boolean }) => {
      if (fromStore(flags)) return verifyStore(flags.repair === true);
      const path = logPath(flags);
      let result: Awaited<ReturnType<typeof verifyAuditLog>>;
      try {
        result = await verifyAuditLog(path, { repair: flags.repair === true });
      } catch (error) {
        throw new UsageError(`cannot verify audit log ${path}: ${(error as Error).message}`);
      }
      if (result.files.length === 0) throw new UsageError(`no audit log at ${path}`);
      const files = `${result.files.length} file${result.files.length === 1 ? "" : "s"}`;
      if (result.ok) {
        if (result.repaired) {
          process.stdout.write(
            result.removedBytes
              ? `repaired: removed an incomplete last line (${result.removedBytes} bytes)\n`
              : "repaired: added the missing newline after the last record\n",
          );
        }
        process.stdout.write(
          `audit log intact: ${result.records} records in ${files}, head ${result.head}\n`,
        );
        return;
      }
      const p = result.firstProblem!;
      process.stdout.write(
        `audit log NOT intact: ${p.file} line ${p.line}${p.id ? ` (record ${p.id})` : ""}: ${p.what}\n` +
          `${result.records} records verified before it, last good hash ${result.head}\n`,
      );
      process.exitCode = VERIFY_FAILED;
    });

  audit
    .command("export")
    .description("Write every record with every field")
    .option("--format <format>", "json | csv", "json")
    .option(...LOG_OPTION)
    .action(async (flags: LogFlags & { format: string }) => {
      const format = oneOf(flags.format, ["json", "csv"], "--format");
      if (fromStore(flags)) return withStore((conn) => writeRecords(readStore(conn, {}), format));
      await writeRecords(readLog(logPath(flags), {}), format);
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(",").map((v) => v.trim())];
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be ${allowed.join(" or ")}, got "${value}"`);
  }
  return value as T;
}

/** The store is the trail when COMPUTEGUARD_STORE_URL is set, unless --log names a file. */
function fromStore(flags: LogFlags): boolean {
  return flags.log === undefined && storeConfigured();
}

/** The store's records; unreadable rows are warned about and skipped, as readLog does for lines. */
function readStore(conn: StoreConnection, filter: AuditFilter): AsyncGenerator<AuditRecord> {
  return readStoreAuditRecords(conn, filter, (p) =>
    process.stderr.write(`computeguard: warning: audit store ${p.organization} seq ${p.seq}: ${p.what}\n`),
  );
}

async function verifyStore(repair: boolean): Promise<void> {
  if (repair) throw new UsageError("--repair mends a torn file log; the audit store has no torn writes");
  const result = await withStore(verifyStoreAudit);
  const chains = `${result.chains.length} organization chain${result.chains.length === 1 ? "" : "s"}`;
  if (result.ok) {
    const heads = result.chains.map((c) => `${c.organization} head ${c.head}`).join(", ");
    process.stdout.write(
      `audit store intact: ${result.records} records in ${chains}${heads ? ` (${heads})` : ""}\n`,
    );
    return;
  }
  const p = result.firstProblem!;
  const last = result.chains[result.chains.length - 1]!;
  process.stdout.write(
    `audit store NOT intact: organization ${p.organization}${p.seq === null ? " chain head" : ` seq ${p.seq}`}${p.id ? ` (record ${p.id})` : ""}: ${p.what}\n` +
      `${last.records} records of ${p.organization} verified before it, last good hash ${last.head}\n`,
  );
  process.exitCode = VERIFY_FAILED;
}

function logPath(flags: LogFlags): string {
  return flags.log ?? defaultAuditPath(process.env);
}

function listFilter(flags: ListFlags): AuditFilter {
  const filter: AuditFilter = {};
  if (flags.decision.length > 0) {
    filter.decisions = flags.decision.map((d) => oneOf(d, DECISIONS, "--decision") as Decision);
  }
  if (flags.stack !== undefined) filter.stack = flags.stack;
  if (flags.policy !== undefined) filter.policy = flags.policy;
  if (flags.since !== undefined) {
    const since = parseSince(flags.since);
    if (!since) {
      throw new UsageError(
        `--since must be an ISO date/time or a duration such as 7d or 12h, got "${flags.since}"`,
      );
    }
    filter.since = since;
  }
  return filter;
}

/**
 * The log's matching records, read lazily. Damaged lines are warned about on stderr and skipped,
 * so a damaged log can still be read; `audit verify` is what judges it.
 */
function* readLog(path: string, filter: AuditFilter): Generator<AuditRecord> {
  const warn = (p: ReadProblem) =>
    process.stderr.write(`computeguard: warning: ${p.file} line ${p.line}: ${p.what}\n`);
  try {
    if (logFiles(path).length === 0) process.stderr.write(`computeguard: no audit log at ${path}\n`);
    yield* readAuditRecords(path, filter, { onProblem: warn });
  } catch (error) {
    throw new UsageError(`cannot read audit log ${path}: ${(error as Error).message}`);
  }
}

/** Streams json/csv record by record; the table needs every row first to size its columns. */
async function writeRecords(
  records: Iterable<AuditRecord> | AsyncIterable<AuditRecord>,
  format: "table" | "json" | "csv",
): Promise<void> {
  if (format === "table") {
    const all: AuditRecord[] = [];
    for await (const record of records) all.push(record);
    process.stdout.write(auditTable(all));
    return;
  }
  if (format === "csv") {
    process.stdout.write(csvHeader());
    for await (const record of records) process.stdout.write(csvRecord(record));
    return;
  }
  let first = true;
  process.stdout.write("[");
  for await (const record of records) {
    process.stdout.write(`${first ? "\n" : ",\n"}${JSON.stringify(record)}`);
    first = false;
  }
  process.stdout.write(first ? "]\n" : "\n]\n");
}
