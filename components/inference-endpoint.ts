import { Policy } from "@pulumi/aws/appautoscaling/policy.js";
import { Target } from "@pulumi/aws/appautoscaling/target.js";
import { Endpoint } from "@pulumi/aws/sagemaker/endpoint.js";
import { EndpointConfiguration } from "@pulumi/aws/sagemaker/endpointConfiguration.js";
import { Model } from "@pulumi/aws/sagemaker/model.js";
import * as pulumi from "@pulumi/pulumi";
import type { EstimatorOptions } from "../src/estimate/estimator.js";
import type { PriceSheet } from "../src/pricing/price-sheet.js";
import { TYPE as SCALING_TARGET } from "../src/resources/aws/appautoscaling/target.js";
import { TYPE as ENDPOINT } from "../src/resources/aws/sagemaker/endpoint.js";
import { TYPE as ENDPOINT_CONFIGURATION } from "../src/resources/aws/sagemaker/endpoint-configuration.js";
import { checkedArguments } from "./internal/checked-arguments.js";
import { checkAmount, checkBounds, checkCount, checkText } from "./internal/checks.js";
import { checkCommonArgs } from "./internal/common-args.js";
import { costOutputs, marginOutputs } from "./internal/cost-outputs.js";
import { type CostSummary, estimateChildren } from "./internal/cost-summary.js";
import { checkEconomics, costTags, withoutServingEconomics } from "./internal/cost-tags.js";
import { checkInstanceType, pricerFor } from "./internal/instance-types.js";
import type { ArgumentProblems } from "./internal/invalid-arguments.js";
import { estimateScope } from "./internal/provider-region.js";
import { childInput, type EstimateScope } from "./internal/resource-input.js";
import type { CostArgs } from "./internal/shared-args.js";

export const INFERENCE_ENDPOINT_TYPE = "computeguard:index:InferenceEndpoint";
export const SCALABLE_DIMENSION = "sagemaker:variant:DesiredInstanceCount";
export const INVOCATIONS_METRIC = "SageMakerVariantInvocationsPerInstance";
const DEFAULT_VARIANT = "AllTraffic";

/** Target-tracking autoscaling of the variant's instance count. Its maximum bounds the worst case. */
export interface EndpointAutoscalingArgs {
  /** At least 1. */
  minCapacity: number;
  /** Required: an unbounded scaler has no worst case. */
  maxCapacity: number;
  /** Invocations per instance per minute the policy tracks. */
  targetInvocationsPerInstance: number;
  scaleInCooldownSeconds?: number;
  scaleOutCooldownSeconds?: number;
}

export interface InferenceEndpointArgs extends CostArgs {
  executionRoleArn: pulumi.Input<string>;
  /** Inference container image URI. */
  image: pulumi.Input<string>;
  modelDataUrl?: pulumi.Input<string>;
  environment?: { [key: string]: pulumi.Input<string> };
  /** A SageMaker GPU/accelerator type, e.g. "ml.g5.2xlarge". */
  instanceType: string;
  initialInstanceCount: number;
  /** Default "AllTraffic". */
  variantName?: string;
  autoscaling?: EndpointAutoscalingArgs;
}

export interface InferenceEndpointPlan {
  variantName: string;
  variant: {
    variantName: string;
    instanceType: string;
    initialInstanceCount: number;
    initialVariantWeight: number;
  };
  region?: string;
  /** On the endpoint configuration, which carries the capacity: ownership and the serving economics. */
  tags: Record<string, string>;
  /** On the model, endpoint and scaling target: ownership only. */
  ownershipTags: Record<string, string>;
  scaling?: {
    minCapacity: number;
    maxCapacity: number;
    targetInvocationsPerInstance: number;
    scaleInCooldownSeconds?: number;
    scaleOutCooldownSeconds?: number;
  };
  priceSheet?: PriceSheet;
  /** What the estimate prices with (catalog, sheet, default region, hours): the resolved settings. */
  pricing: EstimatorOptions;
  /** Where each setting came from, said in costAssumptions. */
  settingsNote: string;
}

function checkAutoscaling(
  problems: ArgumentProblems,
  autoscaling: EndpointAutoscalingArgs,
  initial: number | undefined,
): void {
  if (typeof autoscaling !== "object") {
    problems.add("autoscaling", `expected an object, got ${JSON.stringify(autoscaling)}`);
    return;
  }
  // SageMaker variants scale between 1 and the maximum; a missing maximum is unbounded spend.
  const min = checkCount(problems, "autoscaling.minCapacity", autoscaling.minCapacity, { min: 1 })
    ? autoscaling.minCapacity
    : undefined;
  const max = checkCount(problems, "autoscaling.maxCapacity", autoscaling.maxCapacity, { min: 1 })
    ? autoscaling.maxCapacity
    : undefined;
  checkBounds(
    problems,
    { min: "autoscaling.minCapacity", desired: "initialInstanceCount", max: "autoscaling.maxCapacity" },
    min,
    initial,
    max,
  );
  if (autoscaling.targetInvocationsPerInstance == null) {
    problems.add("autoscaling.targetInvocationsPerInstance", "required");
  } else {
    checkAmount(
      problems,
      "autoscaling.targetInvocationsPerInstance",
      autoscaling.targetInvocationsPerInstance,
    );
  }
  checkCount(problems, "autoscaling.scaleInCooldownSeconds", autoscaling.scaleInCooldownSeconds, {
    required: false,
  });
  checkCount(problems, "autoscaling.scaleOutCooldownSeconds", autoscaling.scaleOutCooldownSeconds, {
    required: false,
  });
}

/** Checks an InferenceEndpoint's arguments without the Pulumi runtime; throws InvalidArgumentsError. */
export function validateInferenceEndpointArgs(
  name: string,
  args: InferenceEndpointArgs,
): InferenceEndpointPlan {
  const { problems, priceSheet, region, pricing, settingsNote } = checkCommonArgs(
    "InferenceEndpoint",
    name,
    args,
  );
  const pricer = pricerFor(pricing);
  checkInstanceType(problems, "instanceType", args.instanceType, pricer, { service: "sagemaker", region });
  const initial = checkCount(problems, "initialInstanceCount", args.initialInstanceCount, { min: 1 })
    ? args.initialInstanceCount
    : undefined;
  if (args.variantName != null) checkText(problems, "variantName", args.variantName);
  if (args.autoscaling != null) checkAutoscaling(problems, args.autoscaling, initial);
  checkEconomics(problems, args.economics, { serving: true });
  const tags = costTags(problems, args.economics, args.tags);
  problems.throwIfAny("InferenceEndpoint", name);
  const variantName = args.variantName ?? DEFAULT_VARIANT;
  const a = args.autoscaling;
  return {
    variantName,
    variant: {
      variantName,
      instanceType: args.instanceType,
      initialInstanceCount: args.initialInstanceCount,
      initialVariantWeight: 1,
    },
    ...(region ? { region } : {}),
    tags,
    ownershipTags: withoutServingEconomics(tags),
    ...(a
      ? {
          scaling: {
            minCapacity: a.minCapacity,
            maxCapacity: a.maxCapacity,
            targetInvocationsPerInstance: a.targetInvocationsPerInstance,
            ...(a.scaleInCooldownSeconds != null ? { scaleInCooldownSeconds: a.scaleInCooldownSeconds } : {}),
            ...(a.scaleOutCooldownSeconds != null
              ? { scaleOutCooldownSeconds: a.scaleOutCooldownSeconds }
              : {}),
          },
        }
      : {}),
    ...(priceSheet ? { priceSheet } : {}),
    pricing,
    settingsNote,
  };
}

/** Logical names of the children; AWS auto-names the real ones. */
export function endpointChildNames(name: string) {
  return {
    model: `${name}-model`,
    configuration: `${name}-config`,
    endpoint: name,
    scalingTarget: `${name}-scaling`,
    scalingPolicy: `${name}-invocations`,
  };
}

function regionProp(plan: InferenceEndpointPlan): { region?: string } {
  return plan.region ? { region: plan.region } : {};
}

/**
 * The core's whole-stack estimate of configuration + endpoint + scaling target, linked by the
 * children's logical names the way the real stack links them by their generated names.
 */
export function estimateInferenceEndpoint(
  name: string,
  plan: InferenceEndpointPlan,
  scope: EstimateScope,
): CostSummary {
  const names = endpointChildNames(name);
  const inputs = [
    childInput(scope, ENDPOINT_CONFIGURATION, names.configuration, {
      name: names.configuration,
      productionVariants: [{ ...plan.variant, modelName: names.model }],
      ...regionProp(plan),
      tags: plan.tags,
    }),
    childInput(scope, ENDPOINT, names.endpoint, {
      name: names.endpoint,
      endpointConfigName: names.configuration,
      ...regionProp(plan),
      tags: plan.ownershipTags,
    }),
  ];
  if (plan.scaling) {
    inputs.push(
      childInput(scope, SCALING_TARGET, names.scalingTarget, {
        resourceId: `endpoint/${names.endpoint}/variant/${plan.variantName}`,
        scalableDimension: SCALABLE_DIMENSION,
        serviceNamespace: "sagemaker",
        minCapacity: plan.scaling.minCapacity,
        maxCapacity: plan.scaling.maxCapacity,
        ...regionProp(plan),
        tags: plan.ownershipTags,
      }),
    );
  }
  return estimateChildren(inputs, plan.pricing, plan.settingsNote);
}

/**
 * A SageMaker real-time endpoint (model, configuration, endpoint) with optional bounded autoscaling,
 * priced at its initial count (baseline) and its scaling maximum (worst case), with its margin.
 */
export class InferenceEndpoint extends pulumi.ComponentResource {
  public readonly endpointName: pulumi.Output<string>;
  public readonly endpointArn: pulumi.Output<string>;
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

  constructor(name: string, args: InferenceEndpointArgs, opts?: pulumi.ComponentResourceOptions) {
    const plan = checkedArguments(() => validateInferenceEndpointArgs(name, args));
    super(INFERENCE_ENDPOINT_TYPE, name, {}, opts);
    const names = endpointChildNames(name);
    const region = regionProp(plan);

    const model = new Model(
      names.model,
      {
        executionRoleArn: args.executionRoleArn,
        primaryContainer: {
          image: args.image,
          ...(args.modelDataUrl !== undefined ? { modelDataUrl: args.modelDataUrl } : {}),
          ...(args.environment !== undefined ? { environment: args.environment } : {}),
        },
        ...region,
        tags: plan.ownershipTags,
      },
      { parent: this },
    );
    const configuration = new EndpointConfiguration(
      names.configuration,
      { productionVariants: [{ ...plan.variant, modelName: model.name }], ...region, tags: plan.tags },
      { parent: this },
    );
    const endpoint = new Endpoint(
      names.endpoint,
      { endpointConfigName: configuration.name, ...region, tags: plan.ownershipTags },
      { parent: this },
    );
    if (plan.scaling) {
      const target = new Target(
        names.scalingTarget,
        {
          resourceId: pulumi.interpolate`endpoint/${endpoint.name}/variant/${plan.variantName}`,
          scalableDimension: SCALABLE_DIMENSION,
          serviceNamespace: "sagemaker",
          minCapacity: plan.scaling.minCapacity,
          maxCapacity: plan.scaling.maxCapacity,
          ...region,
          tags: plan.ownershipTags,
        },
        { parent: this },
      );
      new Policy(
        names.scalingPolicy,
        {
          policyType: "TargetTrackingScaling",
          resourceId: target.resourceId,
          scalableDimension: target.scalableDimension,
          serviceNamespace: target.serviceNamespace,
          ...region,
          targetTrackingScalingPolicyConfiguration: {
            targetValue: plan.scaling.targetInvocationsPerInstance,
            predefinedMetricSpecification: { predefinedMetricType: INVOCATIONS_METRIC },
            ...(plan.scaling.scaleInCooldownSeconds != null
              ? { scaleInCooldown: plan.scaling.scaleInCooldownSeconds }
              : {}),
            ...(plan.scaling.scaleOutCooldownSeconds != null
              ? { scaleOutCooldown: plan.scaling.scaleOutCooldownSeconds }
              : {}),
          },
        },
        { parent: this },
      );
    }

    const summary = estimateScope(this, INFERENCE_ENDPOINT_TYPE, plan.region).apply((scope) =>
      estimateInferenceEndpoint(name, plan, scope),
    );
    const cost = costOutputs(summary);
    const margin = marginOutputs(summary);
    this.endpointName = endpoint.name;
    this.endpointArn = endpoint.arn;
    Object.assign(this, cost, margin);
    this.registerOutputs({
      endpointName: this.endpointName,
      endpointArn: this.endpointArn,
      ...cost,
      ...margin,
    });
  }
}
