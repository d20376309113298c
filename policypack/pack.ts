import { PolicyPack } from "@pulumi/policy";
import { stalenessWarning } from "../src/catalog/staleness.js";
import type { AuditContext } from "../src/policy/audit-draft.js";
import { RULES } from "../src/policy/rules/index.js";
import { GateSession, parseRuleConfig } from "../src/policy/session.js";
import { skipResourcesNoPolicyPrices } from "./analyzer-fast-path.js";
import { auditContext, auditHeadLine } from "./audit.js";
import { observeConfiguredLevels } from "./configured-levels.js";
import { policyFromRule } from "./policy-from-rule.js";
import { assertVerifiedPolicySdk } from "./policy-sdk.js";
import { packSettings } from "./settings.js";
import { shareDeserializedProperties } from "./shared-deserialization.js";
import { ledgerHooks, packLedger } from "./store.js";

assertVerifiedPolicySdk();
observeConfiguredLevels();
const session = new GateSession(packSettings());
skipResourcesNoPolicyPrices(session);
shareDeserializedProperties();

let audit: AuditContext | undefined;
/** Built on first use: the stack's identity is only final once the engine has configured the pack. */
const auditCtx = () => {
  audit ??= auditContext(session.catalogVersion());
  return audit;
};

/**
 * A rule's report reaches engineers as text after the port line, which the engine shows as
 * diagnostics. The one rule with a report (the cost summary) runs last, so the audit chain head
 * it ends with covers every decision of this run.
 */
async function printReport(
  rule: (typeof RULES)[number],
  inputs: Parameters<GateSession["estimateComplete"]>[0],
) {
  if (!rule.report) return;
  const config = parseRuleConfig(rule, session.context.configOf(rule.name) ?? {});
  const text = rule.report(session.estimateComplete(inputs).resources, config, session.context);
  const stale = stalenessWarning(session.catalog(), session.context.now);
  const head = await auditHeadLine(auditCtx());
  process.stdout.write(`${text}\n${stale ? `${stale}\n` : ""}${head}\n`);
}

const ledger = packLedger(session, auditCtx);

export const pack = new PolicyPack("computeguard", {
  policies: RULES.map((rule) =>
    policyFromRule(rule, session, auditCtx, {
      afterStack: printReport,
      ...ledgerHooks(rule, ledger),
    }),
  ),
});
