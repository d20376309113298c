import { readFileSync } from "node:fs";
import { type Operation, shouldRecord } from "../src/audit/index.js";
import type { ResourceEstimate } from "../src/estimate/types.js";
import { type AuditContext, auditDecision, auditDraft } from "../src/policy/audit-draft.js";
import type { Verdict } from "../src/policy/verdict.js";
import { appendDecision } from "./store.js";

/** Stack identity the engine hands the pack through its environment. */
export function auditContext(catalogVersion: string, env: NodeJS.ProcessEnv = process.env): AuditContext {
  const dryRun = (env.PULUMI_NODEJS_DRY_RUN ?? env.PULUMI_DRY_RUN ?? "true") === "true";
  let version = "0.0.0";
  try {
    version = (JSON.parse(readFileSync("package.json", "utf8")) as { version?: string }).version ?? version;
  } catch {
    // The SDK itself refuses to start without ./package.json; this never runs without one.
  }
  return {
    organization: env.PULUMI_NODEJS_ORGANIZATION ?? env.PULUMI_ORGANIZATION ?? "organization",
    project: env.PULUMI_NODEJS_PROJECT ?? env.PULUMI_PROJECT ?? "project",
    stack: env.PULUMI_NODEJS_STACK ?? env.PULUMI_STACK ?? "stack",
    operation: (dryRun ? "preview" : "update") as Operation,
    catalogVersion,
    pack: { name: "computeguard", version },
  };
}

/**
 * Records every decision that blocks, warns or is waived (passes too with COMPUTEGUARD_AUDIT_ALL).
 * Returns the findings to report when a record cannot be written: mandatory in an update (nothing
 * deploys unaudited), advisory in a preview, as COMPUTEGUARD_AUDIT_ON_FAILURE (the file log) or
 * COMPUTEGUARD_STORE_ON_FAILURE (the store, when COMPUTEGUARD_STORE_URL is set) allows.
 */
export async function recordVerdicts(
  verdicts: Verdict[],
  level: "advisory" | "mandatory",
  estimateOf: (v: Verdict) => ResourceEstimate | undefined,
  config: unknown,
  ctx: AuditContext,
): Promise<Array<{ message: string; urn?: string; enforcementLevel: "advisory" | "mandatory" }>> {
  const failures: Array<{ message: string; urn?: string; enforcementLevel: "advisory" | "mandatory" }> = [];
  for (const v of verdicts) {
    if (!shouldRecord(auditDecision(v, level))) continue;
    const result = await appendDecision(auditDraft(v, level, estimateOf(v), config, ctx), ctx.operation);
    if (!result.ok) {
      failures.push({
        message: `the audit record of this decision could not be written: ${result.reason}`,
        ...(v.urn ? { urn: v.urn } : {}),
        enforcementLevel: result.level,
      });
    }
  }
  return failures;
}
