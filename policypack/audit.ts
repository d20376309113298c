import { readFileSync } from "node:fs";
import { type AuditTrail, formatHead, type Operation, shouldRecord } from "../src/audit/index.js";
import type { ResourceEstimate } from "../src/estimate/types.js";
import { type AuditContext, auditDecision, auditDraft } from "../src/policy/audit-draft.js";
import type { ActiveLevel } from "../src/policy/enforcement.js";
import type { Rule } from "../src/policy/rule.js";
import type { Verdict } from "../src/policy/verdict.js";
import type { PricingFacts } from "../src/settings/digest.js";
import { type FailureModes, openAuditTrail } from "../src/store/index.js";
import type { PendingRecord } from "./audit-batch.js";
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

type PackFailure = { message: string; urn?: string; enforcementLevel: "advisory" | "mandatory" };

/** A record that could not be written, as a finding at the trail's failure level. */
function notRecorded(reason: string, urn: string | undefined, operation: Operation): PackFailure {
  return {
    message: `the audit record of this decision could not be written: ${reason}`,
    ...(urn ? { urn } : {}),
    enforcementLevel: packTrail().failureLevel(operation),
  };
}

/**
 * Records every decision that blocks, warns or is waived (passes too with COMPUTEGUARD_AUDIT_ALL).
 * Returns the findings to report when a record cannot be written, at the trail's failure level:
 * mandatory in an update (nothing deploys unaudited), advisory in a preview, as the settings'
 * auditOnFailure (the file log) or storeOnFailure (the store) allows. With `pending` (the
 * Analyze request's batch, see audit-batch.ts) the drafts join it and the batch reports failures.
 */
export async function recordVerdicts(
  verdicts: Verdict[],
  level: ActiveLevel,
  estimateOf: (v: Verdict) => ResourceEstimate | undefined,
  config: unknown,
  ctx: AuditContext,
  pending?: { rule: Rule; urn: string; records: PendingRecord[] },
): Promise<PackFailure[]> {
  const recordable = verdicts.filter((v) => shouldRecord(auditDecision(v, level)));
  if (recordable.length === 0) return [];
  const drafts = recordable.map((v) => auditDraft(v, level, estimateOf(v), config, ctx));
  if (pending) {
    const { rule, urn, records } = pending;
    records.push(...drafts.map((draft, i) => ({ draft, rule, urn: recordable[i]!.urn ?? urn })));
    return [];
  }
  const results = await packTrail().appendAll(drafts);
  recorded += results.filter((r) => r.ok).length;
  return results.flatMap((r, i) => (r.ok ? [] : [notRecorded(r.reason, recordable[i]!.urn, ctx.operation)]));
}

/** Writes one Analyze request's records together (audit-batch.ts); the ones that failed, as findings. */
export async function writePendingRecords(records: readonly PendingRecord[], operation: Operation) {
  const results = await packTrail().appendAll(records.map((r) => r.draft));
  recorded += results.filter((r) => r.ok).length;
  return results.flatMap((r, i) =>
    r.ok ? [] : [{ record: records[i]!, ...notRecorded(r.reason, records[i]!.urn, operation) }],
  );
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
