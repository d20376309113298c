import { Instance } from "@pulumi/aws/ec2/instance.js";
import * as pulumi from "@pulumi/pulumi";
import type { EstimatorOptions } from "../src/estimate/estimator.js";
import type { PriceSheet } from "../src/pricing/price-sheet.js";
import { TYPE as INSTANCE } from "../src/resources/aws/ec2/instance.js";
import { checkedArguments } from "./internal/checked-arguments.js";
import { checkChoice, checkCount, regionOfZone } from "./internal/checks.js";
import { checkCommonArgs } from "./internal/common-args.js";
import { costOutputs, marginOutputs } from "./internal/cost-outputs.js";
import { type CostSummary, estimateChildren } from "./internal/cost-summary.js";
import { checkEconomics, checkHoursPerMonth, costTags } from "./internal/cost-tags.js";
import { checkInstanceType, pricerFor } from "./internal/instance-types.js";
import { estimateScope } from "./internal/provider-region.js";
import { childInput, type EstimateScope } from "./internal/resource-input.js";
import type { CostArgs } from "./internal/shared-args.js";

export const GPU_INSTANCE_TYPE = "computeguard:index:GpuInstance";
const MARKET_TYPES = ["on-demand", "spot"] as const;

export interface GpuInstanceArgs extends CostArgs {
  /** A GPU or accelerator instance type, e.g. "p5.48xlarge", "g5.xlarge", "inf2.xlarge". */
  instanceType: string;
  ami: pulumi.Input<string>;
  /** "on-demand" (default) or "spot". Spot is priced with the price sheet's spotFactor, else at on-demand. */
  marketType?: string;
  /** Hours a month the instance is scheduled to run (baseline); the worst case stays always-on. At most 744. */
  hoursPerMonth?: number;
  /** Also decides the pricing region when `region` is not given. */
  availabilityZone?: string;
  subnetId?: pulumi.Input<string>;
  vpcSecurityGroupIds?: pulumi.Input<string>[];
  keyName?: pulumi.Input<string>;
  iamInstanceProfile?: pulumi.Input<string>;
  userData?: pulumi.Input<string>;
  rootVolumeSizeGb?: number;
}

/** Validated arguments: the props that decide the instance's cost, as passed to aws.ec2.Instance. */
export interface GpuInstancePlan {
  costProps: {
    instanceType: string;
    instanceMarketOptions?: { marketType: "spot" };
    availabilityZone?: string;
    region?: string;
    tags: Record<string, string>;
  };
  priceSheet?: PriceSheet;
  /** What the estimate prices with (catalog, sheet, default region, hours): the resolved settings. */
  pricing: EstimatorOptions;
  /** Where each setting came from, said in costAssumptions. */
  settingsNote: string;
}

/** Checks a GpuInstance's arguments without the Pulumi runtime; throws InvalidArgumentsError. */
export function validateGpuInstanceArgs(name: string, args: GpuInstanceArgs): GpuInstancePlan {
  const { problems, priceSheet, region, pricing, settingsNote } = checkCommonArgs("GpuInstance", name, args);
  let zoneRegion: string | undefined;
  if (args.availabilityZone != null) {
    zoneRegion = regionOfZone(problems, "availabilityZone", args.availabilityZone);
    if (region && zoneRegion && zoneRegion !== region) {
      problems.addRelation(
        "availabilityZone",
        `availabilityZone ${args.availabilityZone} is not in region ${region}`,
      );
    }
  }
  const pricer = pricerFor(pricing);
  checkInstanceType(problems, "instanceType", args.instanceType, pricer, {
    service: "ec2",
    region: region ?? zoneRegion,
  });
  checkChoice(problems, "marketType", args.marketType, MARKET_TYPES);
  checkHoursPerMonth(problems, "hoursPerMonth", args.hoursPerMonth);
  checkCount(problems, "rootVolumeSizeGb", args.rootVolumeSizeGb, { min: 1, required: false });
  checkEconomics(problems, args.economics, { serving: true });
  const tags = costTags(problems, args.economics, args.tags, {
    ...(args.hoursPerMonth != null ? { hoursPerMonth: args.hoursPerMonth } : {}),
  });
  problems.throwIfAny("GpuInstance", name);
  return {
    costProps: {
      instanceType: args.instanceType,
      ...(args.marketType === "spot" ? { instanceMarketOptions: { marketType: "spot" as const } } : {}),
      ...(args.availabilityZone != null ? { availabilityZone: args.availabilityZone } : {}),
      ...(region ? { region } : {}),
      tags,
    },
    ...(priceSheet ? { priceSheet } : {}),
    pricing,
    settingsNote,
  };
}

/** The core's estimate of the instance the plan creates. */
export function estimateGpuInstance(name: string, plan: GpuInstancePlan, scope: EstimateScope): CostSummary {
  return estimateChildren(
    [childInput(scope, INSTANCE, name, plan.costProps)],
    plan.pricing,
    plan.settingsNote,
  );
}

/** One EC2 GPU/accelerator instance, on demand or spot, carrying its economics and projected cost. */
export class GpuInstance extends pulumi.ComponentResource {
  public readonly instanceId: pulumi.Output<string>;
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

  constructor(name: string, args: GpuInstanceArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = checkedArguments(() => validateGpuInstanceArgs(name, args));
    super(GPU_INSTANCE_TYPE, name, {}, opts);

    const instance = new Instance(
      name,
      {
        ...plan.costProps,
        ami: args.ami,
        ...(args.subnetId !== undefined ? { subnetId: args.subnetId } : {}),
        ...(args.vpcSecurityGroupIds !== undefined ? { vpcSecurityGroupIds: args.vpcSecurityGroupIds } : {}),
        ...(args.keyName !== undefined ? { keyName: args.keyName } : {}),
        ...(args.iamInstanceProfile !== undefined ? { iamInstanceProfile: args.iamInstanceProfile } : {}),
        ...(args.userData !== undefined ? { userData: args.userData } : {}),
        ...(args.rootVolumeSizeGb != null ? { rootBlockDevice: { volumeSize: args.rootVolumeSizeGb } } : {}),
      },
      { parent: this },
    );

    const summary = estimateScope(this, GPU_INSTANCE_TYPE, plan.costProps.region).apply((scope) =>
      estimateGpuInstance(name, plan, scope),
    );
    const cost = costOutputs(summary);
    const margin = marginOutputs(summary);
    this.instanceId = instance.id;
    Object.assign(this, cost, margin);
    this.registerOutputs({ instanceId: this.instanceId, ...cost, ...margin });
  }
}
