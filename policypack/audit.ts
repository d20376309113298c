import { readFileSync } from "node:fs";
import { type AuditTrail, formatHead, type Operation, shouldRecord } from "../src/audit/index.js";
import type { ResourceEstimate } from "../src/estimate/types.js";
import { type AuditContext, auditDecision, auditDraft } from "../src/policy/audit-draft.js";
import type { ActiveLevel } from "../src/policy/enforcement.js";
import type { Verdict } from "../src/policy/verdict.js";
import type { PricingFacts } from "../src/settings/digest.js";
import { type FailureModes, openAuditTrail } from "../src/store/index.js";
import { packSettings } from "./settings.js";
import { packStore } from "./store-connection.js";

/** Stack identity the engine hands the pack through its environment. */
export function auditContext(
  catalogVersion: string,
  pricing: PricingFacts,
  env: NodeJS.ProcessEnv = process.env,
): AuditContext {
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
    pricing,
    pack: { name: "computeguard", version },
  };
}

let trail: AuditTrail | undefined;
let recorded = 0;

/** The failure modes of the pack's settings as they stand (computeguard-settings, once configured). */
export const packFailureModes: FailureModes = {
  get storeOnFailure() {
    return packSettings().storeOnFailure;
  },
  get auditOnFailure() {
    return packSettings().auditOnFailure;
  },
};

/** How long an update's org-budget claim holds, as the pack's settings resolve it. */
export const packClaimTtlSeconds = (): number => packSettings().storeClaimTtlSeconds;

/** The pack's audit trail, opened as every front door opens it (the store shares the ledger's pool). */
function packTrail(): AuditTrail {
  trail ??= openAuditTrail({ store: packStore, failureModes: packFailureModes });
  return trail;
}

/**
 * Records every decision that blocks, warns or is waived (passes too with COMPUTEGUARD_AUDIT_ALL).
 * Returns the findings to report when a record cannot be written, at the trail's failure level:
 * mandatory in an update (nothing deploys unaudited), advisory in a preview, as the settings'
 * auditOnFailure (the file log) or storeOnFailure (the store) allows.
 */
export async function recordVerdicts(
  verdicts: Verdict[],
  level: ActiveLevel,
  estimateOf: (v: Verdict) => ResourceEstimate | undefined,
  config: unknown,
  ctx: AuditContext,
): Promise<Array<{ message: string; urn?: string; enforcementLevel: "advisory" | "mandatory" }>> {
  const failures: Array<{ message: string; urn?: string; enforcementLevel: "advisory" | "mandatory" }> = [];
  for (const v of verdicts) {
    if (!shouldRecord(auditDecision(v, level))) continue;
    const result = await packTrail().append(auditDraft(v, level, estimateOf(v), config, ctx));
    if (result.ok) {
      recorded += 1;
      continue;
    }
    failures.push({
      message: `the audit record of this decision could not be written: ${result.reason}`,
      ...(v.urn ? { urn: v.urn } : {}),
      enforcementLevel: packTrail().failureLevel(ctx.operation),
    });
  }
  return failures;
}

/**
 * The line the summary ends with: where this run's decisions went and the chain's full head
 * (`SEQ:SHA256`), to keep somewhere else and check later with `computeguard audit verify --head`.
 */
export async function auditHeadLine(ctx: AuditContext): Promise<string> {
  const t = packTrail();
  const count = `${recorded} decision${recorded === 1 ? "" : "s"} recorded in ${t.location}`;
  try {
    const head = await t.head(ctx.organization);
    return `computeguard: audit: ${count}; chain head ${head ? formatHead(head) : "none (no record yet)"}`;
  } catch (error) {
    return `computeguard: audit: ${count}; the chain head could not be read: ${(error as Error).message}`;
  }
}
