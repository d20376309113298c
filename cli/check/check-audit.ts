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
    for (const f of findings) {
      if (!shouldRecord(auditDecision(f, f.level), env)) continue;
      const result = await trail.append(auditDraft(f, f.level, estimateOf(f), configOf(f.policy), ctx));
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
