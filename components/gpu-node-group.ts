import { NodeGroup } from "@pulumi/aws/eks/nodeGroup.js";
import * as pulumi from "@pulumi/pulumi";
import type { EstimatorOptions } from "../src/estimate/estimator.js";
import type { PriceSheet } from "../src/pricing/price-sheet.js";
import { TYPE as NODE_GROUP } from "../src/resources/aws/eks/node-group.js";
import { checkedArguments } from "./internal/checked-arguments.js";
import { checkBounds, checkChoice, checkCount, checkText } from "./internal/checks.js";
import { checkCommonArgs } from "./internal/common-args.js";
import { costOutputs, marginOutputs } from "./internal/cost-outputs.js";
import { type CostSummary, estimateChildren } from "./internal/cost-summary.js";
import { checkEconomics, costTags } from "./internal/cost-tags.js";
import { checkInstanceType, pricerFor } from "./internal/instance-types.js";
import { estimateScope } from "./internal/provider-region.js";
import { childInput, type EstimateScope } from "./internal/resource-input.js";
import type { CostArgs } from "./internal/shared-args.js";

export const GPU_NODE_GROUP_TYPE = "computeguard:index:GpuNodeGroup";
const CAPACITY_TYPES = ["ON_DEMAND", "SPOT", "CAPACITY_BLOCK"] as const;

export interface GpuNodeGroupArgs extends CostArgs {
  clusterName: pulumi.Input<string>;
  nodeRoleArn: pulumi.Input<string>;
  subnetIds: pulumi.Input<string>[];
  /** GPU or accelerator types; the first prices the baseline, the most expensive the worst case. */
  instanceTypes: string[];
  /** "ON_DEMAND" (default), "SPOT" or "CAPACITY_BLOCK". */
  capacityType?: string;
  minSize: number;
  desiredSize: number;
  /** The worst case runs this many nodes, always on, on demand. */
  maxSize: number;
  /** e.g. "AL2023_x86_64_NVIDIA" or "BOTTLEROCKET_x86_64_NVIDIA". */
  amiType?: string;
  diskSize?: number;
  labels?: { [key: string]: string };
  nodeGroupName?: string;
}

export interface GpuNodeGroupPlan {
  costProps: {
    instanceTypes: string[];
    capacityType?: string;
    scalingConfig: { minSize: number; desiredSize: number; maxSize: number };
    region?: string;
    tags: Record<string, string>;
  };
  priceSheet?: PriceSheet;
  /** What the estimate prices with (catalog, sheet, default region, hours): the resolved settings. */
  pricing: EstimatorOptions;
  /** Where each setting came from, said in costAssumptions. */
  settingsNote: string;
}

/** Checks a GpuNodeGroup's arguments without the Pulumi runtime; throws InvalidArgumentsError. */
export function validateGpuNodeGroupArgs(name: string, args: GpuNodeGroupArgs): GpuNodeGroupPlan {
  const { problems, priceSheet, region, pricing, settingsNote } = checkCommonArgs("GpuNodeGroup", name, args);
  const pricer = pricerFor(pricing);
  if (!Array.isArray(args.instanceTypes) || args.instanceTypes.length === 0) {
    problems.add("instanceTypes", "give at least one GPU or accelerator instance type");
  } else {
    args.instanceTypes.forEach((type, i) => {
      checkInstanceType(problems, `instanceTypes[${i}]`, type, pricer, { service: "ec2", region });
    });
  }
  checkChoice(problems, "capacityType", args.capacityType, CAPACITY_TYPES);
  const min = checkCount(problems, "minSize", args.minSize) ? args.minSize : undefined;
  const desired = checkCount(problems, "desiredSize", args.desiredSize) ? args.desiredSize : undefined;
  // EKS requires at least one node as the maximum.
  const max = checkCount(problems, "maxSize", args.maxSize, { min: 1 }) ? args.maxSize : undefined;
  checkBounds(problems, { min: "minSize", desired: "desiredSize", max: "maxSize" }, min, desired, max);
  checkCount(problems, "diskSize", args.diskSize, { min: 1, required: false });
  if (args.nodeGroupName != null) checkText(problems, "nodeGroupName", args.nodeGroupName);
  checkEconomics(problems, args.economics, { serving: true });
  const tags = costTags(problems, args.economics, args.tags);
  problems.throwIfAny("GpuNodeGroup", name);
  return {
    costProps: {
      instanceTypes: [...args.instanceTypes],
      ...(args.capacityType != null ? { capacityType: args.capacityType } : {}),
      scalingConfig: { minSize: args.minSize, desiredSize: args.desiredSize, maxSize: args.maxSize },
      ...(region ? { region } : {}),
      tags,
    },
    ...(priceSheet ? { priceSheet } : {}),
    pricing,
    settingsNote,
  };
}

export function estimateGpuNodeGroup(
  name: string,
  plan: GpuNodeGroupPlan,
  scope: EstimateScope,
): CostSummary {
  return estimateChildren(
    [childInput(scope, NODE_GROUP, name, plan.costProps)],
    plan.pricing,
    plan.settingsNote,
  );
}

/** An EKS managed node group of GPU/accelerator nodes, priced from desired (baseline) to max (worst case). */
export class GpuNodeGroup extends pulumi.ComponentResource {
  public readonly nodeGroupName: pulumi.Output<string>;
  public readonly nodeGroupArn: pulumi.Output<string>;
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

  constructor(name: string, args: GpuNodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = checkedArguments(() => validateGpuNodeGroupArgs(name, args));
    super(GPU_NODE_GROUP_TYPE, name, {}, opts);

    const group = new NodeGroup(
      name,
      {
        ...plan.costProps,
        clusterName: args.clusterName,
        nodeRoleArn: args.nodeRoleArn,
        subnetIds: args.subnetIds,
        ...(args.amiType != null ? { amiType: args.amiType } : {}),
        ...(args.diskSize != null ? { diskSize: args.diskSize } : {}),
        ...(args.labels != null ? { labels: args.labels } : {}),
        ...(args.nodeGroupName != null ? { nodeGroupName: args.nodeGroupName } : {}),
      },
      { parent: this },
    );

    const summary = estimateScope(this, GPU_NODE_GROUP_TYPE, plan.costProps.region).apply((scope) =>
      estimateGpuNodeGroup(name, plan, scope),
    );
    const cost = costOutputs(summary);
    const margin = marginOutputs(summary);
    this.nodeGroupName = group.nodeGroupName;
    this.nodeGroupArn = group.arn;
    Object.assign(this, cost, margin);
    this.registerOutputs({
      nodeGroupName: this.nodeGroupName,
      nodeGroupArn: this.nodeGroupArn,
      ...cost,
      ...margin,
    });
  }
}
