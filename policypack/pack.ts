import { PolicyPack } from "@pulumi/policy";
import type { AuditContext } from "../src/policy/audit-draft.js";
import { RULES } from "../src/policy/rules/index.js";
import { GateSession, parseRuleConfig } from "../src/policy/session.js";
import { pricingFacts } from "../src/settings/digest.js";
import { settingsWarnings } from "../src/settings/warnings.js";
import { skipResourcesNoPolicyPrices } from "./analyzer-fast-path.js";
import {
  auditContext,
  auditHeadLine,
  packClaimTtlSeconds,
  packFailureModes,
  writePendingRecords,
} from "./audit.js";
import { recordDecisionsPerRequest } from "./audit-batch.js";
import { observeConfiguredLevels } from "./configured-levels.js";
import { passesEveryPolicy, policyFromRule } from "./policy-from-rule.js";
import { assertVerifiedPolicySdk } from "./policy-sdk.js";
import { gateOptions, observeSettings, packSettings } from "./settings.js";
import { shareDeserializedProperties } from "./shared-deserialization.js";
import { ledgerHooks, packLedger } from "./store.js";

assertVerifiedPolicySdk();
observeConfiguredLevels();
const session = new GateSession(gateOptions(packSettings()));
let audit: AuditContext | undefined;
observeSettings(session, () => {
  audit = undefined;
});
skipResourcesNoPolicyPrices(
  session,
  // The org ledger claims spend as gpu-org-budget judges: with one, every resource takes the SDK's path.
  (args, configOf) => ledger === undefined && passesEveryPolicy(args, RULES, session, configOf),
);
shareDeserializedProperties();

/** Built on first use: the stack's identity and settings are only final once the engine has configured the pack. */
const auditCtx = () => {
  const settings = packSettings();
  audit ??= auditContext(
    session.catalogVersion(),
    pricingFacts(session.catalog(), settings.priceSheet, settings.hoursPerMonth),
  );
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
  // Said once, as the CLI says it: refused environment overrides and a stale catalog.
  const warnings = settingsWarnings(packSettings(), session.context.now).map(
    (w) => `computeguard: warning: ${w}\n`,
  );
  const head = await auditHeadLine(auditCtx());
  process.stdout.write(`${text}\n${warnings.join("")}${head}\n`);
}

const ledger = packLedger(session, auditCtx, packFailureModes, packClaimTtlSeconds);
recordDecisionsPerRequest({
  write: (records) => writePendingRecords(records, auditCtx().operation),
  pack: () => auditCtx().pack,
  // Found after every policy ran, so after any claim the request made: that claim is released.
  onBlocked: async (urn) => ledger?.blocked(urn, "after-claim"),
});

export const pack = new PolicyPack("computeguard", {
  policies: RULES.map((rule) =>
    policyFromRule(rule, session, auditCtx, {
      afterStack: printReport,
      ...ledgerHooks(rule, ledger),
    }),
  ),
});
