import type { ChainHead } from "../audit/chain.js";
import { failureLevel } from "../audit/failure-policy.js";
import type { AuditFilter } from "../audit/read.js";
import type { AuditDraft, AuditRecord, Operation } from "../audit/record.js";
import {
  type AuditTrail,
  AuditTrailError,
  type TrailAppendResult,
  type TrailReadProblem,
  type TrailVerifyOptions,
  type TrailVerifyResult,
} from "../audit/trail.js";
import { appendStoreAuditRecords, storeChainHead } from "./audit-append.js";
import { findStoreAuditRecords, readStoreAuditRecords } from "./audit-read.js";
import { verifyStoreAudit } from "./audit-verify.js";
import { type StoreConnection, StoreFailure } from "./connection.js";
import { storeFailureLevel } from "./failure-level.js";
import { MigrationError } from "./migrate.js";
import { StoreSettingError } from "./settings.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * The audit trail in the shared PostgreSQL store: one chain per organisation, the same records
 * and hashes as the file log. The connection is made on first use (a malformed setting surfaces
 * there, as a failed append or an AuditTrailError), and may be shared with the spend ledger.
 */
export class StoreAuditTrail implements AuditTrail {
  readonly kind = "store";

  constructor(
    private readonly connect: () => StoreConnection,
    private readonly env: Env = process.env,
    private readonly onClose: () => Promise<void> = async () => undefined,
    /** The resolved failure mode, read in place of COMPUTEGUARD_STORE_ON_FAILURE. */
    private readonly onFailure?: () => string | undefined,
  ) {}

  get location(): string {
    try {
      return `the audit store at ${this.connect().target}`;
    } catch {
      return "the audit store";
    }
  }

  async append(draft: AuditDraft): Promise<TrailAppendResult> {
    const [result] = await this.appendAll([draft]);
    return result!;
  }

  async appendAll(drafts: readonly AuditDraft[]): Promise<TrailAppendResult[]> {
    let conn: StoreConnection;
    try {
      conn = this.connect();
    } catch (error) {
      if (!(error instanceof StoreSettingError)) throw error;
      return drafts.map(() => ({ ok: false, reason: `audit store: ${error.message}` }));
    }
    const results = await appendStoreAuditRecords(conn, drafts, this.env);
    return results.map((r) => (r.ok ? r : { ok: false, reason: `audit store: ${r.reason}` }));
  }

  failureLevel(operation: Operation): "mandatory" | "advisory" {
    return this.onFailure
      ? failureLevel(operation, this.onFailure())
      : storeFailureLevel(operation, this.env);
  }

  async *read(filter: AuditFilter = {}, onProblem?: (problem: TrailReadProblem) => void) {
    const rows = readStoreAuditRecords(await this.use(async (conn) => conn), filter, (p) =>
      onProblem?.({ where: `organization ${p.organization} seq ${p.seq}`, what: p.what, torn: false }),
    );
    try {
      yield* rows;
    } catch (error) {
      throw trailError(error);
    }
  }

  find(idPrefix: string, limit = 10): Promise<AuditRecord[]> {
    return this.use((conn) => findStoreAuditRecords(conn, idPrefix, limit));
  }

  head(organization: string): Promise<ChainHead | null> {
    return this.use((conn) => storeChainHead(conn, organization));
  }

  async verify(options: TrailVerifyOptions = {}): Promise<TrailVerifyResult> {
    if (options.repair)
      throw new AuditTrailError("--repair mends a torn file log; the audit store has no torn writes");
    return this.use(async (conn) => {
      const anchor = options.anchor
        ? { organization: options.organization ?? (await onlyOrganization(conn)), head: options.anchor }
        : undefined;
      const result = await verifyStoreAudit(conn, anchor);
      const count = result.chains.length;
      const p = result.firstProblem;
      return {
        ok: result.ok,
        records: result.records,
        scope: `${count} organization chain${count === 1 ? "" : "s"}`,
        chains: result.chains,
        empty: count === 0,
        ...(p
          ? {
              firstProblem: {
                where: `organization ${p.organization}${p.seq === null ? " chain head" : ` seq ${p.seq}`}`,
                id: p.id,
                what: p.what,
              },
            }
          : {}),
      };
    });
  }

  close(): Promise<void> {
    return this.onClose();
  }

  /** Runs a read against the store; any store problem becomes one AuditTrailError line. */
  private async use<T>(work: (conn: StoreConnection) => Promise<T>): Promise<T> {
    try {
      return await work(this.connect());
    } catch (error) {
      throw trailError(error);
    }
  }
}

function trailError(error: unknown): unknown {
  const known =
    error instanceof StoreFailure ||
    error instanceof StoreSettingError ||
    error instanceof MigrationError ||
    error instanceof AuditTrailError;
  // The cause says what failed: the CLI tells an unreachable store (exit 3) from bad input (exit 2).
  return known ? new AuditTrailError((error as Error).message, { cause: error }) : error;
}

/** An anchor names one organisation's chain: the only one there is, or the caller must say which. */
async function onlyOrganization(conn: StoreConnection): Promise<string> {
  const rows = await conn.query<{ organization: string }>(
    "SELECT organization FROM computeguard.audit_chain_heads ORDER BY organization",
  );
  if (rows.length === 1) return rows[0]!.organization;
  throw new AuditTrailError(
    rows.length === 0
      ? "the audit store has no chain to hold that head"
      : `the audit store holds ${rows.length} organization chains (${rows.map((r) => r.organization).join(", ")}): name the head's with --organization`,
  );
}
