import { resolve } from "node:path";
import type { ChainHead } from "./chain.js";
import { auditFailureLevel, failureLevel } from "./failure-policy.js";
import { appendAuditRecords, fileChainHead } from "./file-store.js";
import { logFiles } from "./log-path.js";
import { type AuditFilter, readAuditRecords } from "./read.js";
import type { AuditDraft, AuditRecord, Operation } from "./record.js";
import type { StoreOptions } from "./store-settings.js";
import {
  type AuditTrail,
  AuditTrailError,
  type TrailAppendResult,
  type TrailReadProblem,
  type TrailVerifyOptions,
  type TrailVerifyResult,
} from "./trail.js";
import { verifyAuditLog } from "./verify.js";

/** The audit trail as a local hash-chained JSON-lines log (rotated by size, one chain across files). */
export class FileAuditTrail implements AuditTrail {
  readonly kind = "file";
  readonly location: string;

  /** `onFailure`: the resolved failure mode, read in place of COMPUTEGUARD_AUDIT_ON_FAILURE. */
  constructor(
    private readonly options: StoreOptions & { path: string },
    private readonly onFailure?: () => string | undefined,
  ) {
    this.location = resolve(options.path);
  }

  private get env() {
    return this.options.env ?? process.env;
  }

  async append(draft: AuditDraft): Promise<TrailAppendResult> {
    const [result] = await this.appendAll([draft]);
    return result!;
  }

  async appendAll(drafts: readonly AuditDraft[]): Promise<TrailAppendResult[]> {
    const results = await appendAuditRecords(drafts, { ...this.options, path: this.location });
    return results.map((r) => (r.ok ? { ok: true, record: r.record } : { ok: false, reason: r.reason }));
  }

  failureLevel(operation: Operation): "mandatory" | "advisory" {
    return this.onFailure
      ? failureLevel(operation, this.onFailure())
      : auditFailureLevel(operation, this.env);
  }

  async *read(filter: AuditFilter = {}, onProblem?: (problem: TrailReadProblem) => void) {
    if (onProblem && logFiles(this.location).length === 0) {
      onProblem({ where: this.location, what: "no audit log here", torn: false, missing: true });
    }
    try {
      yield* readAuditRecords(
        this.location,
        filter,
        onProblem
          ? { onProblem: (p) => onProblem({ where: `${p.file} line ${p.line}`, what: p.what, torn: p.torn }) }
          : {},
      );
    } catch (error) {
      throw new AuditTrailError(`cannot read audit log ${this.location}: ${(error as Error).message}`);
    }
  }

  async find(idPrefix: string, limit = 10): Promise<AuditRecord[]> {
    const wanted = idPrefix.toUpperCase();
    const found: AuditRecord[] = [];
    for await (const record of this.read({}, () => undefined)) {
      if (record.id.toUpperCase().startsWith(wanted)) found.push(record);
      if (found.length >= limit) break;
    }
    return found;
  }

  async head(): Promise<ChainHead | null> {
    try {
      const head = fileChainHead(this.location);
      return head.seq > 0 ? head : null;
    } catch (error) {
      throw new AuditTrailError(
        `cannot read the head of audit log ${this.location}: ${(error as Error).message}`,
      );
    }
  }

  async verify(options: TrailVerifyOptions = {}): Promise<TrailVerifyResult> {
    let result: Awaited<ReturnType<typeof verifyAuditLog>>;
    try {
      result = await verifyAuditLog(this.location, {
        ...(options.repair ? { repair: true } : {}),
        ...(options.anchor ? { anchor: options.anchor } : {}),
        env: this.env,
      });
    } catch (error) {
      throw new AuditTrailError(`cannot verify audit log ${this.location}: ${(error as Error).message}`);
    }
    const count = result.files.length;
    const problem = result.firstProblem;
    return {
      ok: result.ok,
      records: result.records,
      scope: `${count} file${count === 1 ? "" : "s"}`,
      chains: [{ organization: null, records: result.records, head: result.head }],
      empty: count === 0,
      ...(problem
        ? {
            firstProblem: {
              where: `${problem.file} line ${problem.line}`,
              id: problem.id,
              what: problem.what,
            },
          }
        : {}),
      ...(result.tornTail ? { tornTail: true } : {}),
      ...(result.repaired ? { repaired: { removedBytes: result.removedBytes ?? 0 } } : {}),
    };
  }

  async close(): Promise<void> {}
}
