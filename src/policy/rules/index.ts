import type { Rule } from "../rule.js";
import { acceleratorAllowlist } from "./accelerator-allowlist.js";
import { boundedAutoscaling } from "./bounded-autoscaling.js";
import { buyVsBuild } from "./buy-vs-build.js";
import { computeguardSettings } from "./computeguard-settings.js";
import { costAllocationTags } from "./cost-allocation-tags.js";
import { gpuCostSummary } from "./gpu-cost-summary.js";
import { gpuOrgBudget } from "./gpu-org-budget.js";
import { gpuResourceBudget } from "./gpu-resource-budget.js";
import { gpuStackBudget } from "./gpu-stack-budget.js";
import { inferenceMarginFloor } from "./inference-margin-floor.js";
import { trainingBudget } from "./training-budget.js";
import { unpricedAccelerators } from "./unpriced-accelerators.js";

/**
 * Every rule, in evaluation order: the settings first (they judge nothing), then the allowlist (it
 * bounds unknown instance types); the summary last.
 */
// biome-ignore lint/suspicious/noExplicitAny: each rule has its own config type; front doors pass configs through parseRuleConfig.
export const RULES: readonly Rule<any>[] = [
  computeguardSettings,
  acceleratorAllowlist,
  unpricedAccelerators,
  gpuResourceBudget,
  gpuStackBudget,
  gpuOrgBudget,
  inferenceMarginFloor,
  trainingBudget,
  boundedAutoscaling,
  costAllocationTags,
  buyVsBuild,
  gpuCostSummary,
];

export {
  acceleratorAllowlist,
  boundedAutoscaling,
  buyVsBuild,
  costAllocationTags,
  gpuCostSummary,
  gpuOrgBudget,
  gpuResourceBudget,
  gpuStackBudget,
  inferenceMarginFloor,
  trainingBudget,
  unpricedAccelerators,
};
