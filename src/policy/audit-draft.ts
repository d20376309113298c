import type { AuditDraft, Decision, Operation } from "../audit/index.js";
import { configDigest } from "../audit/index.js";
import type { ResourceEstimate } from "../estimate/types.js";
import { formatAmount } from "../money.js";
import type { PricingFacts } from "../settings/digest.js";
import { type ActiveLevel, recordedDecision } from "./enforcement.js";
import type { Verdict } from "./verdict.js";

export interface AuditContext {
  organization: string;
  project: string;
  stack: string;
  operation: Operation;
  catalogVersion: string;
  /** The catalog, price sheet and hours that priced every decision of the run. */
  pricing: PricingFacts;
  pack: { name: string; version: string };
}

/**
 * What a verdict was, as the audit trail records it: a violation of a policy running at advisory
 * is a warning, not a block — the record says what the user was actually stopped by.
 */
export function auditDecision(v: Verdict, level: ActiveLevel): Decision {
  return recordedDecision(v.decision, level);
}

/**
 * The record of one verdict: `decision` is what the deployment felt (see enforcement.ts),
 * `enforcementLevel` the level the policy ran at (a warning of a mandatory policy says mandatory).
 */
export function auditDraft(
  v: Verdict,
  level: ActiveLevel,
  estimate: ResourceEstimate | undefined,
  config: unknown,
  ctx: AuditContext,
): AuditDraft {
  const decision = auditDecision(v, level);
  return {
    organization: ctx.organization,
    project: ctx.project,
    stack: ctx.stack,
    operation: ctx.operation,
    resource: v.urn ? { urn: v.urn, type: v.resourceType ?? estimate?.type ?? "unknown" } : null,
    policy: v.policy,
    decision,
    enforcementLevel: level,
    costs: {
      monthlyBaseline: estimate?.monthly ? formatAmount(estimate.monthly.baseline.total) : null,
      monthlyWorstCase: estimate?.monthly ? formatAmount(estimate.monthly.worstCase.total) : null,
      oneTime: estimate?.oneTime ? formatAmount(estimate.oneTime.total) : null,
    },
    limit: v.limit ? v.limit.toFixed() : null,
    budget: v.budget ?? null,
    marginPercent: v.marginPercent ? v.marginPercent.toFixed(2) : null,
    waiver: v.waiver ? { id: v.waiver.id, approvedBy: v.waiver.approvedBy, expires: v.waiver.expires } : null,
    catalog: { version: ctx.catalogVersion, date: ctx.catalogVersion.slice(0, 10) },
    pricing: ctx.pricing,
    configDigest: configDigest(config),
    pack: ctx.pack,
    message: v.message,
  };
}
