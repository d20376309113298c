import { beforeAll, describe, expect, it, vi } from "vitest";
import { inferenceEconomics } from "../../src/economics/margin.js";
import { TAG } from "../../src/estimate/economics-tags.js";
import { estimateStack } from "../../src/estimate/estimator.js";
import { formatAmount, money } from "../../src/money.js";
import { asStackResource, installMocks, type MockState, registered, resolved } from "./mocks.js";

const MODEL = "aws:sagemaker/model:Model";
const CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration";
const ENDPOINT = "aws:sagemaker/endpoint:Endpoint";
const TARGET = "aws:appautoscaling/target:Target";
const POLICY = "aws:appautoscaling/policy:Policy";
// Catalog: ml.g5.2xlarge us-east-1 $1.515/h (SageMaker hosting), 1 x A10G.
const ML_G5_2XL = money("1.515");

let mocks: MockState;
let components: typeof import("../../components/index.js");

beforeAll(async () => {
  mocks = installMocks();
  components = await import("../../components/index.js");
});

const container = {
  executionRoleArn: "arn:aws:iam::123456789012:role/sagemaker",
  image: "763104351884.dkr.ecr.us-east-1.amazonaws.com/tgi:latest",
  modelDataUrl: "s3://models/llama/model.tar.gz",
};

/** Every child of the endpoint named `name`, once its scaling policy (the last one) is registered. */
function children(name: string) {
  const own = (r: { name: string }) => r.name === name || r.name.startsWith(`${name}-`);
  return mocks.resources.filter((r) => own(r) && r.type.startsWith("aws:"));
}

describe("InferenceEndpoint", () => {
  const economics = {
    tokensPerMonth: 1_000_000_000,
    pricePer1mTokensUsd: 5,
    team: "assist",
    costCenter: "cc-9",
  };
  let endpoint: InstanceType<typeof components.InferenceEndpoint>;

  beforeAll(async () => {
    endpoint = new components.InferenceEndpoint("chat", {
      ...container,
      instanceType: "ml.g5.2xlarge",
      initialInstanceCount: 2,
      autoscaling: {
        minCapacity: 1,
        maxCapacity: 6,
        targetInvocationsPerInstance: 120,
        scaleInCooldownSeconds: 300,
      },
      economics,
    });
    await resolved(endpoint.endpointArn);
    // The policy registers after its target, which waits for the endpoint's generated name.
    await vi.waitFor(() => expect(registered(mocks, POLICY, "chat-invocations")).toHaveLength(1));
  });

  it("creates model, configuration, endpoint, scaling target and target-tracking policy", () => {
    const [model] = registered(mocks, MODEL, "chat-model");
    const [config] = registered(mocks, CONFIG, "chat-config");
    const [ep] = registered(mocks, ENDPOINT, "chat");
    const [target] = registered(mocks, TARGET, "chat-scaling");
    const [policy] = registered(mocks, POLICY, "chat-invocations");
    expect(model?.inputs).toMatchObject({
      executionRoleArn: container.executionRoleArn,
      primaryContainer: { image: container.image, modelDataUrl: container.modelDataUrl },
    });
    expect(config?.inputs.productionVariants).toEqual([
      {
        variantName: "AllTraffic",
        modelName: model?.state.name,
        instanceType: "ml.g5.2xlarge",
        initialInstanceCount: 2,
        initialVariantWeight: 1,
      },
    ]);
    expect(ep?.inputs.endpointConfigName).toBe(config?.state.name);
    expect(target?.inputs).toMatchObject({
      resourceId: `endpoint/${ep?.state.name}/variant/AllTraffic`,
      scalableDimension: "sagemaker:variant:DesiredInstanceCount",
      serviceNamespace: "sagemaker",
      minCapacity: 1,
      maxCapacity: 6,
    });
    expect(policy?.inputs).toMatchObject({
      policyType: "TargetTrackingScaling",
      resourceId: target?.inputs.resourceId,
      scalableDimension: "sagemaker:variant:DesiredInstanceCount",
      serviceNamespace: "sagemaker",
      targetTrackingScalingPolicyConfiguration: {
        targetValue: 120,
        scaleInCooldown: 300,
        predefinedMetricSpecification: { predefinedMetricType: "SageMakerVariantInvocationsPerInstance" },
      },
    });
  });

  it("stamps ownership tags on every taggable child and the traffic and price on the configuration", () => {
    const ownership = { team: "assist", "cost-center": "cc-9", [TAG.team]: "assist" };
    const tagged = children("chat").filter((r) => r.type !== POLICY);
    expect(tagged.map((r) => r.type).sort()).toEqual([TARGET, CONFIG, ENDPOINT, MODEL].sort());
    for (const r of tagged) {
      expect(r.inputs.tags).toEqual(
        r.type === CONFIG
          ? { ...ownership, [TAG.tokensPerMonth]: "1000000000", [TAG.pricePer1mTokensUsd]: "5" }
          : ownership,
      );
    }
  });

  it("prices the initial count as baseline and the scaling maximum as worst case", async () => {
    expect(await resolved(endpoint.monthlyBaselineUsd)).toBe(formatAmount(ML_G5_2XL.times(730).times(2)));
    expect(await resolved(endpoint.monthlyBaselineUsd)).toBe("2211.90");
    expect(await resolved(endpoint.monthlyWorstCaseUsd)).toBe(formatAmount(ML_G5_2XL.times(730).times(6)));
    expect(await resolved(endpoint.acceleratorCount)).toBe(6);
    expect(await resolved(endpoint.costStatus)).toBe("priced");
    expect(await resolved(endpoint.costAssumptions)).toContainEqual(
      expect.stringContaining("worst case at scaling target"),
    );
  });

  it("matches the core's whole-stack estimate of the registered resources", async () => {
    const stack = estimateStack(children("chat").map((r) => asStackResource(r)));
    expect(formatAmount(stack.totals.monthlyBaseline)).toBe(await resolved(endpoint.monthlyBaselineUsd));
    expect(formatAmount(stack.totals.monthlyWorstCase)).toBe(await resolved(endpoint.monthlyWorstCaseUsd));
    const config = stack.resources.find((e) => e.type === CONFIG)!;
    const margin = inferenceEconomics(config.monthly!.baseline.total, config.economics)!;
    expect(await resolved(endpoint.grossMarginPercent)).toBe(margin.grossMarginPercent.toFixed(2));
    expect(await resolved(endpoint.costPer1mTokensUsd)).toBe(margin.costPer1mTokensUsd.toFixed(4));
  });

  it("reports margin and cost per 1M tokens from the declared traffic and price", async () => {
    // Revenue 1000M tokens x $5 = $5000; baseline cost $2211.90.
    expect(await resolved(endpoint.grossMarginPercent)).toBe("55.76");
    expect(await resolved(endpoint.costPer1mTokensUsd)).toBe("2.2119");
    expect(await resolved(endpoint.utilizationPercent)).toBeUndefined();
  });

  it("without autoscaling, creates no scaling resources and the worst case is the initial count", async () => {
    const fixed = new components.InferenceEndpoint("fixed", {
      ...container,
      instanceType: "ml.g5.2xlarge",
      initialInstanceCount: 1,
      variantName: "primary",
    });
    await resolved(fixed.endpointArn);
    expect(await resolved(fixed.monthlyWorstCaseUsd)).toBe(formatAmount(ML_G5_2XL.times(730)));
    expect(await resolved(fixed.monthlyBaselineUsd)).toBe(await resolved(fixed.monthlyWorstCaseUsd));
    expect(registered(mocks, TARGET, "fixed-scaling")).toHaveLength(0);
    expect(registered(mocks, POLICY, "fixed-invocations")).toHaveLength(0);
    expect(registered(mocks, CONFIG, "fixed-config")[0]?.inputs.productionVariants).toMatchObject([
      { variantName: "primary" },
    ]);
  });

  it("rejects autoscaling without a maximum", () => {
    expect(
      () =>
        new components.InferenceEndpoint("unbounded", {
          ...container,
          instanceType: "ml.g5.2xlarge",
          initialInstanceCount: 1,
          // A JavaScript or YAML caller can leave out what the TypeScript type requires.
          autoscaling: { minCapacity: 1, targetInvocationsPerInstance: 100 } as never,
        }),
    ).toThrow('InferenceEndpoint "unbounded": autoscaling.maxCapacity: required');
  });
});
