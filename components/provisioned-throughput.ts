import { ProvisionedModelThroughput } from "@pulumi/aws/bedrock/provisionedModelThroughput.js";
import * as pulumi from "@pulumi/pulumi";
import type { EstimatorOptions } from "../src/estimate/estimator.js";
import type { PriceSheet } from "../src/pricing/price-sheet.js";
import { TYPE as PROVISIONED_THROUGHPUT } from "../src/resources/aws/bedrock/provisioned-model-throughput.js";
import { checkedArguments } from "./internal/checked-arguments.js";
import { checkChoice, checkCount } from "./internal/checks.js";
import { checkCommonArgs } from "./internal/common-args.js";
import { costOutputs, marginOutputs } from "./internal/cost-outputs.js";
import { type CostSummary, estimateChildren } from "./internal/cost-summary.js";
import { checkEconomics, costTags } from "./internal/cost-tags.js";
import { estimateScope } from "./internal/provider-region.js";
import { childInput, type EstimateScope } from "./internal/resource-input.js";
import type { CostArgs } from "./internal/shared-args.js";

export const PROVISIONED_THROUGHPUT_TYPE = "computeguard:index:ProvisionedThroughput";
const COMMITMENTS = ["none", "1-month", "6-month"] as const;
/** The price sheet's commitment names -> the Bedrock API's commitmentDuration. */
const COMMITMENT_DURATION = { none: undefined, "1-month": "OneMonth", "6-month": "SixMonths" } as const;

export interface ProvisionedThroughputArgs extends CostArgs {
  /** Foundation or custom model ARN (or model id). Priced by the price sheet's bedrockRates. */
  modelArn: pulumi.Input<string>;
  /** Model units, at least 1. */
  modelUnits: number;
  /** "none" (default), "1-month" or "6-month": a commitment is owed for its whole term. */
  commitment?: string;
  /** Default: the component's name. */
  provisionedModelName?: pulumi.Input<string>;
}

export interface ProvisionedThroughputPlan {
  costProps: {
    modelUnits: number;
    commitmentDuration?: "OneMonth" | "SixMonths";
    region?: string;
    tags: Record<string, string>;
  };
  priceSheet?: PriceSheet;
  /** What the estimate prices with (catalog, sheet, default region, hours): the resolved settings. */
  pricing: EstimatorOptions;
  /** Where each setting came from, said in costAssumptions. */
  settingsNote: string;
}

/** Checks a ProvisionedThroughput's arguments without the Pulumi runtime; throws InvalidArgumentsError. */
export function validateProvisionedThroughputArgs(
  name: string,
  args: ProvisionedThroughputArgs,
): ProvisionedThroughputPlan {
  const { problems, priceSheet, region, pricing, settingsNote } = checkCommonArgs(
    "ProvisionedThroughput",
    name,
    args,
  );
  if (args.modelArn == null || args.modelArn === "") problems.add("modelArn", "required");
  checkCount(problems, "modelUnits", args.modelUnits, { min: 1 });
  const commitment = checkChoice(problems, "commitment", args.commitment, COMMITMENTS)
    ? args.commitment
    : "none";
  checkEconomics(problems, args.economics, { serving: true });
  const tags = costTags(problems, args.economics, args.tags);
  problems.throwIfAny("ProvisionedThroughput", name);
  const duration = COMMITMENT_DURATION[commitment];
  return {
    costProps: {
      modelUnits: args.modelUnits,
      ...(duration ? { commitmentDuration: duration } : {}),
      ...(region ? { region } : {}),
      tags,
    },
    ...(priceSheet ? { priceSheet } : {}),
    pricing,
    settingsNote,
  };
}

/** The model ARN is often another resource's output, so the estimate takes it resolved. */
export function estimateProvisionedThroughput(
  name: string,
  plan: ProvisionedThroughputPlan,
  modelArn: string,
  scope: EstimateScope,
): CostSummary {
  return estimateChildren(
    [childInput(scope, PROVISIONED_THROUGHPUT, name, { ...plan.costProps, modelArn })],
    plan.pricing,
    plan.settingsNote,
  );
}

/** Bedrock provisioned throughput: model units billed every hour, priced from the price sheet's bedrockRates. */
export class ProvisionedThroughput extends pulumi.ComponentResource {
  public readonly provisionedModelArn: pulumi.Output<string>;
  public readonly monthlyBaselineUsd!: pulumi.Output<string | undefined>;
  public readonly monthlyWorstCaseUsd!: pulumi.Output<string | undefined>;
  public readonly acceleratorCount!: pulumi.Output<number>;
  public readonly costStatus!: pulumi.Output<string>;
  public readonly costReason!: pulumi.Output<string | undefined>;
  public readonly costAssumptions!: pulumi.Output<string[]>;
  public readonly pricingRegion!: pulumi.Output<string | undefined>;
  public readonly costPer1mTokensUsd!: pulumi.Output<string | undefined>;
  public readonly grossMarginPercent!: pulumi.Output<string | undefined>;
  public readonly utilizationPercent!: pulumi.Output<string | undefined>;

  constructor(name: string, args: ProvisionedThroughputArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = checkedArguments(() => validateProvisionedThroughputArgs(name, args));
    super(PROVISIONED_THROUGHPUT_TYPE, name, {}, opts);

    const throughput = new ProvisionedModelThroughput(
      name,
      { ...plan.costProps, modelArn: args.modelArn, provisionedModelName: args.provisionedModelName ?? name },
      { parent: this },
    );

    const summary = pulumi
      .all([estimateScope(this, PROVISIONED_THROUGHPUT_TYPE, plan.costProps.region), args.modelArn])
      .apply(([scope, modelArn]) => estimateProvisionedThroughput(name, plan, modelArn, scope));
    const cost = costOutputs(summary);
    const margin = marginOutputs(summary);
    this.provisionedModelArn = throughput.provisionedModelArn;
    Object.assign(this, cost, margin);
    this.registerOutputs({ provisionedModelArn: this.provisionedModelArn, ...cost, ...margin });
  }
}
