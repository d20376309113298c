import { CapacityBlockReservation } from "@pulumi/aws/ec2/capacityBlockReservation.js";
import { getCapacityBlockOfferingOutput } from "@pulumi/aws/ec2/getCapacityBlockOffering.js";
import * as pulumi from "@pulumi/pulumi";
import { embeddedCatalog } from "../src/catalog/catalog.js";
import { TAG } from "../src/estimate/economics-tags.js";
import type { EstimatorOptions } from "../src/estimate/estimator.js";
import type { PriceSheet } from "../src/pricing/price-sheet.js";
import { TYPE as CAPACITY_BLOCK } from "../src/resources/aws/ec2/capacity-block-reservation.js";
import { checkedArguments } from "./internal/checked-arguments.js";
import { checkCount, checkText } from "./internal/checks.js";
import { checkCommonArgs } from "./internal/common-args.js";
import { costOutputs } from "./internal/cost-outputs.js";
import { type CostSummary, estimateChildren } from "./internal/cost-summary.js";
import { checkEconomics, costTags } from "./internal/cost-tags.js";
import { checkInstanceType, pricerFor } from "./internal/instance-types.js";
import type { ArgumentProblems } from "./internal/invalid-arguments.js";
import { estimateScope } from "./internal/provider-region.js";
import { childInput, type EstimateScope } from "./internal/resource-input.js";
import type { CostArgs } from "./internal/shared-args.js";

export const TRAINING_CAPACITY_BLOCK_TYPE = "computeguard:index:TrainingCapacityBlock";
const DEFAULT_PLATFORM = "Linux/UNIX";
const HOURS_PER_DAY = 24;
const HOURS_PER_WEEK = 168;
// EC2 DescribeCapacityBlockOfferings: 1-day increments up to 14 days, 7-day increments up to 182 days,
// at most 64 instances per block (AWS API reference, CapacityDurationHours / InstanceCount).
const MAX_DAILY_HOURS = 14 * HOURS_PER_DAY;
const MAX_BLOCK_HOURS = 182 * HOURS_PER_DAY;
const MAX_BLOCK_INSTANCES = 64;
const DECIMAL = /^\d+(\.\d+)?$/;

export interface TrainingCapacityBlockArgs extends CostArgs {
  /** A GPU/accelerator type sold as Capacity Blocks, e.g. "p5.48xlarge". */
  instanceType: string;
  /** 1 to 64 instances. */
  instanceCount: number;
  /** Whole days up to 14 (24-hour steps), then whole weeks up to 182 days. */
  durationHours: number;
  /** Earliest start, ISO 8601 (e.g. "2026-09-01T00:00:00Z"). */
  startDateRange?: string;
  /** Latest end, ISO 8601. */
  endDateRange?: string;
  /** Default "Linux/UNIX". */
  instancePlatform?: string;
}

export interface TrainingCapacityBlockPlan {
  instanceType: string;
  instanceCount: number;
  durationHours: number;
  instancePlatform: string;
  startDateRange?: string;
  endDateRange?: string;
  region?: string;
  /** Tags without the upfront fee, which only the offering lookup knows. */
  tags: Record<string, string>;
  priceSheet?: PriceSheet;
  /** What the estimate prices with (catalog, sheet, default region, hours): the resolved settings. */
  pricing: EstimatorOptions;
  /** Where each setting came from, said in costAssumptions. */
  settingsNote: string;
}

/** What the offering lookup returned that the block's cost depends on. */
export interface CapacityBlockOffering {
  capacityBlockOfferingId: string;
  upfrontFee?: string;
  currencyCode?: string;
}

function checkDuration(problems: ArgumentProblems, hours: unknown): void {
  if (!checkCount(problems, "durationHours", hours, { min: HOURS_PER_DAY, max: MAX_BLOCK_HOURS })) return;
  if (hours % HOURS_PER_DAY !== 0) {
    problems.add("durationHours", `must be whole days (a multiple of ${HOURS_PER_DAY}), got ${hours}`);
  } else if (hours > MAX_DAILY_HOURS && hours % HOURS_PER_WEEK !== 0) {
    problems.add(
      "durationHours",
      `beyond 14 days must be whole weeks (a multiple of ${HOURS_PER_WEEK}), got ${hours}`,
    );
  }
}

function checkDate(problems: ArgumentProblems, field: string, value: unknown): number | undefined {
  if (value == null) return undefined;
  const time = typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(time)) {
    problems.add(
      field,
      `expected an ISO 8601 date such as "2026-09-01T00:00:00Z", got ${JSON.stringify(value)}`,
    );
    return undefined;
  }
  return time;
}

/** Checks a TrainingCapacityBlock's arguments without the Pulumi runtime; throws InvalidArgumentsError. */
export function validateTrainingCapacityBlockArgs(
  name: string,
  args: TrainingCapacityBlockArgs,
): TrainingCapacityBlockPlan {
  const { problems, priceSheet, region, pricing, settingsNote } = checkCommonArgs(
    "TrainingCapacityBlock",
    name,
    args,
  );
  const pricer = pricerFor(pricing);
  // The offering quotes the fee, so a type sold only as Capacity Blocks (no on-demand price) is fine.
  checkInstanceType(problems, "instanceType", args.instanceType, pricer, {
    service: "ec2",
    requirePrice: false,
  });
  checkCount(problems, "instanceCount", args.instanceCount, { min: 1, max: MAX_BLOCK_INSTANCES });
  checkDuration(problems, args.durationHours);
  const start = checkDate(problems, "startDateRange", args.startDateRange);
  const end = checkDate(problems, "endDateRange", args.endDateRange);
  if (start !== undefined && end !== undefined && start >= end) {
    problems.addRelation(
      "startDateRange",
      `startDateRange (${args.startDateRange}) is not before endDateRange (${args.endDateRange})`,
    );
  }
  if (args.instancePlatform != null) checkText(problems, "instancePlatform", args.instancePlatform);
  checkEconomics(problems, args.economics, { serving: false });
  const tags = costTags(problems, args.economics, args.tags, {
    instanceType: args.instanceType,
    instanceCount: args.instanceCount,
    trainingHours: args.durationHours,
  });
  problems.throwIfAny("TrainingCapacityBlock", name);
  return {
    instanceType: args.instanceType,
    instanceCount: args.instanceCount,
    durationHours: args.durationHours,
    instancePlatform: args.instancePlatform ?? DEFAULT_PLATFORM,
    ...(args.startDateRange != null ? { startDateRange: args.startDateRange } : {}),
    ...(args.endDateRange != null ? { endDateRange: args.endDateRange } : {}),
    ...(region ? { region } : {}),
    tags,
    ...(priceSheet ? { priceSheet } : {}),
    pricing,
    settingsNote,
  };
}

/** The upfront fee in USD when the offering states one; otherwise the core prices the declared hours. */
export function upfrontFeeUsd(offering: CapacityBlockOffering): string | undefined {
  const fee = offering.upfrontFee?.trim();
  if (!fee || !DECIMAL.test(fee)) return undefined;
  if (offering.currencyCode !== undefined && offering.currencyCode !== "USD") return undefined;
  return fee;
}

/** The block's tags once its offering is known: the plan's tags plus the offering's fee. */
export function capacityBlockTags(plan: TrainingCapacityBlockPlan, offering: CapacityBlockOffering) {
  const fee = upfrontFeeUsd(offering);
  return { ...plan.tags, ...(fee ? { [TAG.upfrontFeeUsd]: fee } : {}) };
}

/** The reservation's cost-deciding props, as passed to aws.ec2.CapacityBlockReservation. */
export function capacityBlockProps(plan: TrainingCapacityBlockPlan, offering: CapacityBlockOffering) {
  return {
    capacityBlockOfferingId: offering.capacityBlockOfferingId,
    instancePlatform: plan.instancePlatform,
    ...(plan.region ? { region: plan.region } : {}),
    tags: capacityBlockTags(plan, offering),
  };
}

export function estimateTrainingCapacityBlock(
  name: string,
  plan: TrainingCapacityBlockPlan,
  offering: CapacityBlockOffering,
  scope: EstimateScope,
): CostSummary {
  const summary = estimateChildren(
    [childInput(scope, CAPACITY_BLOCK, name, capacityBlockProps(plan, offering))],
    plan.pricing,
    plan.settingsNote,
  );
  const fee = upfrontFeeUsd(offering);
  const assumptions = fee
    ? summary.costAssumptions
    : [
        ...summary.costAssumptions,
        `the offering states no USD fee (${offering.upfrontFee ?? "none"} ${offering.currencyCode ?? ""})`.trim(),
      ];
  if (summary.acceleratorCount > 0) return { ...summary, costAssumptions: assumptions };
  // The core reports no accelerators for a block priced from its declared fee: count them from the catalog.
  const perInstance = embeddedCatalog().specs(plan.instanceType)?.accelerator.count;
  return {
    ...summary,
    costAssumptions: assumptions,
    acceleratorCount: (perInstance ?? 0) * plan.instanceCount,
  };
}

/**
 * An EC2 Capacity Block for a training run: finds the offering for the type, count, hours and start
 * window, reserves it, and declares its one-time cost (the offering's upfront fee) to the gate.
 */
export class TrainingCapacityBlock extends pulumi.ComponentResource {
  public readonly reservationId: pulumi.Output<string>;
  public readonly capacityBlockOfferingId: pulumi.Output<string>;
  public readonly availabilityZone: pulumi.Output<string>;
  public readonly upfrontFeeUsd: pulumi.Output<string | undefined>;
  public readonly oneTimeUsd: pulumi.Output<string | undefined>;
  public readonly monthlyBaselineUsd!: pulumi.Output<string | undefined>;
  public readonly monthlyWorstCaseUsd!: pulumi.Output<string | undefined>;
  public readonly acceleratorCount!: pulumi.Output<number>;
  public readonly costStatus!: pulumi.Output<string>;
  public readonly costReason!: pulumi.Output<string | undefined>;
  public readonly costAssumptions!: pulumi.Output<string[]>;
  public readonly pricingRegion!: pulumi.Output<string | undefined>;

  constructor(name: string, args: TrainingCapacityBlockArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = checkedArguments(() => validateTrainingCapacityBlockArgs(name, args));
    super(TRAINING_CAPACITY_BLOCK_TYPE, name, {}, opts);

    const offering = getCapacityBlockOfferingOutput(
      {
        instanceType: plan.instanceType,
        instanceCount: plan.instanceCount,
        capacityDurationHours: plan.durationHours,
        ...(plan.startDateRange ? { startDateRange: plan.startDateRange } : {}),
        ...(plan.endDateRange ? { endDateRange: plan.endDateRange } : {}),
        ...(plan.region ? { region: plan.region } : {}),
      },
      { parent: this },
    );
    const reservation = new CapacityBlockReservation(
      name,
      {
        capacityBlockOfferingId: offering.capacityBlockOfferingId,
        instancePlatform: plan.instancePlatform,
        ...(plan.region ? { region: plan.region } : {}),
        tags: offering.apply((o) => capacityBlockTags(plan, o)),
      },
      { parent: this },
    );

    const summary = pulumi
      .all([estimateScope(this, TRAINING_CAPACITY_BLOCK_TYPE, plan.region), offering])
      .apply(([scope, o]) => estimateTrainingCapacityBlock(name, plan, o, scope));
    const cost = costOutputs(summary);
    this.reservationId = reservation.id;
    this.capacityBlockOfferingId = offering.capacityBlockOfferingId;
    this.availabilityZone = offering.availabilityZone;
    this.upfrontFeeUsd = offering.apply((o) => upfrontFeeUsd(o));
    this.oneTimeUsd = summary.apply((s) => s.oneTimeUsd);
    Object.assign(this, cost);
    this.registerOutputs({
      reservationId: this.reservationId,
      capacityBlockOfferingId: this.capacityBlockOfferingId,
      availabilityZone: this.availabilityZone,
      upfrontFeeUsd: this.upfrontFeeUsd,
      oneTimeUsd: this.oneTimeUsd,
      ...cost,
    });
  }
}
