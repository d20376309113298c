import { shouldRecord } from "../../src/audit/index.js";
import type { ResourceEstimate } from "../../src/estimate/types.js";
import { type AuditContext, auditDecision, auditDraft } from "../../src/policy/audit-draft.js";
import type { Finding } from "../../src/policy/gate.js";
import type { AuditOutcome } from "../../src/report/check-report.js";
import { type FailureModes, openAuditTrail } from "../../src/store/index.js";

/**
 * Appends every decision of a check to the audit trail, as the policy pack does for a preview:
 * blocked, warned and waived always, passes only with COMPUTEGUARD_AUDIT_ALL=1. The trail is the
 * one `computeguard audit list` reads (the store when COMPUTEGUARD_STORE_URL is set, else the file
 * log). A failed write is reported, and blocks only when the failure mode says so.
 */
export async function recordCheckDecisions(
  findings: readonly Finding[],
  estimateOf: (f: Finding) => ResourceEstimate | undefined,
  configOf: (policy: string) => unknown,
  failureModes: FailureModes,
  ctx: AuditContext,
  env: NodeJS.ProcessEnv = process.env,
): Promise<AuditOutcome> {
  const trail = openAuditTrail({ env, failureModes });
  const outcome: AuditOutcome = {
    log: trail.location,
    recorded: 0,
    failures: [],
    failureBlocks: trail.failureLevel(ctx.operation) === "mandatory",
  };
  try {
    const drafts = findings
      .filter((f) => shouldRecord(auditDecision(f, f.level), env))
      .map((f) => auditDraft(f, f.level, estimateOf(f), configOf(f.policy), ctx));
    // One append for the whole check: one lock and one fsync (one transaction in the store).
    for (const result of drafts.length > 0 ? await trail.appendAll(drafts) : []) {
      if (result.ok) {
        outcome.recorded += 1;
        outcome.head = { seq: result.record.seq, hash: result.record.hash };
      } else if (!outcome.failures.includes(result.reason)) {
        outcome.failures.push(result.reason);
      }
    }
  } finally {
    await trail.close();
  }
  return outcome;
}
