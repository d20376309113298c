import { PolicyPack } from "@pulumi/policy";
import { summaryText } from "../src/policy/rules/gpu-cost-summary.js";
import { gpuCostSummary, RULES } from "../src/policy/rules/index.js";
import { GateSession, parseRuleConfig } from "../src/policy/session.js";
import { policyFromRule } from "./policy-from-rule.js";
import { packSettings } from "./settings.js";

const session = new GateSession(packSettings());

/** The summary reaches engineers as text after the port line, which the engine shows as diagnostics. */
const onStackEstimates = (
  rule: (typeof RULES)[number],
  inputs: Parameters<GateSession["estimateComplete"]>[0],
) => {
  if (rule !== gpuCostSummary) return;
  const stackBudget = session.context.configOf("gpu-stack-budget") as
    | { monthlyLimitUsd?: number }
    | undefined;
  const config = parseRuleConfig(gpuCostSummary, session.context.configOf(gpuCostSummary.name) ?? {});
  process.stdout.write(
    `${summaryText(session.estimateComplete(inputs).resources, config, stackBudget?.monthlyLimitUsd)}\n`,
  );
};

export const pack = new PolicyPack("computeguard", {
  policies: RULES.map((rule) => policyFromRule(rule, session, { onStackEstimates })),
});
