import type { Command } from "commander";
import { csvHeader, csvRecord } from "../../src/audit/format/csv.js";
import { auditDetail } from "../../src/audit/format/detail.js";
import { auditTable } from "../../src/audit/format/table.js";
import {
  type AuditFilter,
  type AuditRecord,
  type AuditTrail,
  AuditTrailError,
  DECISIONS,
  type Decision,
  formatHead,
  parseHead,
  type TrailVerifyResult,
} from "../../src/audit/index.js";
import { parseSince } from "../../src/audit/since.js";
import { openAuditTrail, StoreFailure } from "../../src/store/index.js";
import { EvaluationError, UsageError } from "../errors.js";
import type { Cli } from "../io.js";

/** `audit verify` found the chain broken (same code as a blocked gate: "look at this"). */
const VERIFY_FAILED = 1;

interface LogFlags {
  log?: string;
}

interface VerifyFlags extends LogFlags {
  repair?: boolean;
  head?: string;
  organization?: string;
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

export function registerAudit(program: Command, cli: Cli): void {
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
      const filter = listFilter(flags);
      await withTrail(cli, flags, (trail) => writeRecords(cli, readWarning(cli, trail, filter), format));
    });

  audit
    .command("show <id>")
    .description("Show every field of one record (its id, or a unique prefix of it)")
    .option("--format <format>", "table | json", "table")
    .option(...LOG_OPTION)
    .action(async (id: string, flags: LogFlags & { format: string }) => {
      // One --format vocabulary across commands; `text`, the old name of the human form, still works.
      if (flags.format === "text") {
        cli.err("computeguard: warning: --format text is deprecated, use --format table\n");
        flags.format = "table";
      }
      const format = oneOf(flags.format, ["table", "json"], "--format");
      const wanted = id.trim().toUpperCase();
      if (wanted.length < 4)
        throw new UsageError(`record id "${id}" is too short: give at least 4 characters`);
      await withTrail(cli, flags, async (trail) => {
        const found = await trail.find(wanted);
        if (found.length === 0) throw new UsageError(`no audit record with id ${id} in ${trail.location}`);
        const exact = found.filter((r) => r.id.toUpperCase() === wanted);
        if (exact.length === 0 && found.length > 1) {
          throw new UsageError(`id prefix ${id} matches ${found.length} records; give more of the id`);
        }
        const record = (exact[0] ?? found[0])!;
        cli.out(format === "json" ? `${JSON.stringify(record, null, 2)}\n` : auditDetail(record));
      });
    });

  audit
    .command("verify")
    .description(
      "Check the hash chain; exit 1 naming the first bad record, or when the chain lost a head given with --head",
    )
    .option("--repair", "remove an incomplete last line left by an interrupted writer (nothing else)")
    .option(
      "--head <SEQ:SHA256>",
      "a head printed earlier (by check, the pack or verify): exit 1 unless the chain still holds it",
    )
    .option("--organization <org>", "whose chain --head belongs to, in a store with several organizations")
    .option(...LOG_OPTION)
    .action(async (flags: VerifyFlags) => {
      const anchor = flags.head === undefined ? undefined : parseHead(flags.head);
      if (flags.head !== undefined && !anchor) {
        throw new UsageError(`--head must be SEQ:SHA256 as check and verify print it, got "${flags.head}"`);
      }
      await withTrail(cli, flags, async (trail) => {
        const result = await trail.verify({
          ...(flags.repair ? { repair: true } : {}),
          ...(anchor ? { anchor } : {}),
          ...(flags.organization !== undefined ? { organization: flags.organization } : {}),
        });
        if (result.empty && trail.kind === "file") throw new UsageError(`no audit log at ${trail.location}`);
        cli.out(verifyReport(trail, result));
        if (!result.ok) cli.exitCode = VERIFY_FAILED;
      });
    });

  audit
    .command("export")
    .description("Write every record with every field")
    .option("--format <format>", "json | csv", "json")
    .option(...LOG_OPTION)
    .action(async (flags: LogFlags & { format: string }) => {
      const format = oneOf(flags.format, ["json", "csv"], "--format");
      await withTrail(cli, flags, (trail) => writeRecords(cli, readWarning(cli, trail, {}), format));
    });
}

/** What verify found, in the words the file log and the store share. */
function verifyReport(trail: AuditTrail, result: TrailVerifyResult): string {
  const noun = trail.kind === "file" ? "audit log" : "audit store";
  const lines: string[] = [];
  if (result.repaired) {
    lines.push(
      result.repaired.removedBytes
        ? `repaired: removed an incomplete last line (${result.repaired.removedBytes} bytes)`
        : "repaired: added the missing newline after the last record",
    );
  }
  const heads =
    trail.kind === "file"
      ? `, head ${formatHead(result.chains[0]!.head)}`
      : result.chains.length > 0
        ? ` (${result.chains.map((c) => `${c.organization} head ${formatHead(c.head)}`).join(", ")})`
        : "";
  if (result.ok) {
    lines.push(`${noun} intact: ${result.records} records in ${result.scope}${heads}`);
    return `${lines.join("\n")}\n`;
  }
  const p = result.firstProblem!;
  const last = result.chains[result.chains.length - 1];
  lines.push(`${noun} NOT intact: ${p.where}${p.id ? ` (record ${p.id})` : ""}: ${p.what}`);
  if (last) {
    const whose = trail.kind === "store" ? ` of ${last.organization}` : "";
    lines.push(`${last.records} records${whose} verified before it, last good head ${formatHead(last.head)}`);
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Opens the trail the flags and environment name (the store when COMPUTEGUARD_STORE_URL is set,
 * unless --log names a file), runs work, closes it. A trail that cannot be read is one line on
 * stderr: exit 3 when the store cannot be reached, else exit 2.
 */
async function withTrail(
  cli: Cli,
  flags: LogFlags,
  work: (trail: AuditTrail) => Promise<void>,
): Promise<void> {
  const trail = openAuditTrail({
    env: cli.env,
    ...(flags.log !== undefined ? { logPath: cli.path(flags.log) } : {}),
  });
  try {
    await work(trail);
  } catch (error) {
    if (error instanceof AuditTrailError) {
      // The store unreachable or failing: could not evaluate (3); anything else is the input's (2).
      if (error.cause instanceof StoreFailure) throw new EvaluationError(error.message);
      throw new UsageError(error.message);
    }
    throw error;
  } finally {
    await trail.close();
  }
}

/** The trail's matching records; unreadable ones are warned about on stderr and skipped (`verify` judges them). */
function readWarning(cli: Cli, trail: AuditTrail, filter: AuditFilter): AsyncIterable<AuditRecord> {
  return trail.read(filter, (p) =>
    cli.err(
      p.missing
        ? `computeguard: no audit log at ${p.where}\n`
        : `computeguard: warning: ${p.where}: ${p.what}\n`,
    ),
  );
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

/** Streams json/csv record by record; the table needs every row first to size its columns. */
async function writeRecords(
  cli: Cli,
  records: Iterable<AuditRecord> | AsyncIterable<AuditRecord>,
  format: "table" | "json" | "csv",
): Promise<void> {
  if (format === "table") {
    const all: AuditRecord[] = [];
    for await (const record of records) all.push(record);
    cli.outTable(auditTable(all));
    return;
  }
  if (format === "csv") {
    cli.out(csvHeader());
    for await (const record of records) {
      if (cli.stdoutClosed) return;
      cli.out(csvRecord(record));
    }
    return;
  }
  let first = true;
  cli.out("[");
  for await (const record of records) {
    if (cli.stdoutClosed) return;
    cli.out(`${first ? "\n" : ",\n"}${JSON.stringify(record)}`);
    first = false;
  }
  cli.out(first ? "]\n" : "\n]\n");
}
