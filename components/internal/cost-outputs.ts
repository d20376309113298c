import type * as pulumi from "@pulumi/pulumi";
import type { CostSummary } from "./cost-summary.js";

/**
 * Every cost output a component exposes, each derived from one summary. There is deliberately no
 * cost-output base class: Pulumi's component analyzer (the schema behind `pulumi package add`)
 * only recognises classes that extend ComponentResource directly and reads their outputs from the
 * class's own property declarations, so each component declares its outputs and assigns these.
 */
export interface CostOutputs {
  monthlyBaselineUsd: pulumi.Output<string | undefined>;
  monthlyWorstCaseUsd: pulumi.Output<string | undefined>;
  acceleratorCount: pulumi.Output<number>;
  costStatus: pulumi.Output<string>;
  costReason: pulumi.Output<string | undefined>;
  costAssumptions: pulumi.Output<string[]>;
  pricingRegion: pulumi.Output<string | undefined>;
}

export function costOutputs(summary: pulumi.Output<CostSummary>): CostOutputs {
  return {
    monthlyBaselineUsd: summary.apply((s) => s.monthlyBaselineUsd),
    monthlyWorstCaseUsd: summary.apply((s) => s.monthlyWorstCaseUsd),
    acceleratorCount: summary.apply((s) => s.acceleratorCount),
    costStatus: summary.apply((s) => s.costStatus),
    costReason: summary.apply((s) => s.costReason),
    costAssumptions: summary.apply((s) => s.costAssumptions),
    pricingRegion: summary.apply((s) => s.pricingRegion),
  };
}

export interface MarginOutputs {
  costPer1mTokensUsd: pulumi.Output<string | undefined>;
  grossMarginPercent: pulumi.Output<string | undefined>;
  utilizationPercent: pulumi.Output<string | undefined>;
}

export function marginOutputs(summary: pulumi.Output<CostSummary>): MarginOutputs {
  return {
    costPer1mTokensUsd: summary.apply((s) => s.costPer1mTokensUsd),
    grossMarginPercent: summary.apply((s) => s.grossMarginPercent),
    utilizationPercent: summary.apply((s) => s.utilizationPercent),
  };
}
