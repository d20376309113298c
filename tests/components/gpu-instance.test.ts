import { beforeAll, describe, expect, it } from "vitest";
import { TAG } from "../../src/estimate/economics-tags.js";
import { estimateStack } from "../../src/estimate/estimator.js";
import { formatAmount, money } from "../../src/money.js";
import { asStackResource, installMocks, type MockState, registered, resolved } from "./mocks.js";

const INSTANCE = "aws:ec2/instance:Instance";
// Catalog rates (src/catalog/data/aws-gpu-catalog.json): p5.48xlarge us-east-1 $55.04/h (8 x H100),
// g5.12xlarge eu-west-1 $6.33167/h (4 x A10G).
const P5_US_EAST_1 = "55.04";
const G5_12XL_EU_WEST_1 = "6.33167";

let mocks: MockState;
let components: typeof import("../../components/index.js");

beforeAll(async () => {
  mocks = installMocks();
  components = await import("../../components/index.js");
});

describe("GpuInstance", () => {
  it("creates one EC2 instance with the cost-deciding inputs and the economics tags", async () => {
    const gpu = new components.GpuInstance("trainer", {
      instanceType: "p5.48xlarge",
      ami: "ami-0abc",
      subnetId: "subnet-1",
      economics: { team: "ml-platform", costCenter: "cc-42", model: "llama-3-70b" },
      tags: { env: "dev" },
    });
    await resolved(gpu.instanceId);
    const [instance] = registered(mocks, INSTANCE, "trainer");
    expect(instance?.inputs).toMatchObject({
      instanceType: "p5.48xlarge",
      ami: "ami-0abc",
      subnetId: "subnet-1",
    });
    expect(instance?.inputs.instanceMarketOptions).toBeUndefined();
    expect(instance?.inputs.tags).toEqual({
      env: "dev",
      team: "ml-platform",
      "cost-center": "cc-42",
      [TAG.team]: "ml-platform",
      [TAG.model]: "llama-3-70b",
    });
    expect(registered(mocks, "computeguard:index:GpuInstance", "trainer")).toHaveLength(1);
  });

  it("prices an always-on p5.48xlarge at the catalog rate x 730 hours in the provider's region", async () => {
    const gpu = new components.GpuInstance("always-on", { instanceType: "p5.48xlarge", ami: "ami-0abc" });
    const expected = formatAmount(money(P5_US_EAST_1).times(730));
    expect(expected).toBe("40179.20");
    expect(await resolved(gpu.monthlyBaselineUsd)).toBe(expected);
    expect(await resolved(gpu.monthlyWorstCaseUsd)).toBe(expected);
    expect(await resolved(gpu.acceleratorCount)).toBe(8);
    expect(await resolved(gpu.costStatus)).toBe("priced");
    expect(await resolved(gpu.costReason)).toBeUndefined();
    expect(await resolved(gpu.pricingRegion)).toBe("us-east-1");
    expect(await resolved(gpu.costAssumptions)).toContain("region us-east-1 (its provider's region)");
    expect(await resolved(gpu.grossMarginPercent)).toBeUndefined();

    await resolved(gpu.instanceId);
    const stack = estimateStack([asStackResource(registered(mocks, INSTANCE, "always-on")[0]!)]);
    expect(formatAmount(stack.totals.monthlyBaseline)).toBe(expected);
  });

  it("prices a spot instance with the sheet's spot factor as baseline and on-demand as worst case", async () => {
    const gpu = new components.GpuInstance("spot", {
      instanceType: "p5.48xlarge",
      ami: "ami-0abc",
      marketType: "spot",
      priceSheet: { name: "acme", spotFactor: "0.4" },
    });
    expect(await resolved(gpu.monthlyBaselineUsd)).toBe(
      formatAmount(money(P5_US_EAST_1).times("0.4").times(730)),
    );
    expect(await resolved(gpu.monthlyWorstCaseUsd)).toBe("40179.20");
    await resolved(gpu.instanceId);
    expect(registered(mocks, INSTANCE, "spot")[0]?.inputs.instanceMarketOptions).toEqual({
      marketType: "spot",
    });
  });

  it("declares a schedule as computeguard:hours-per-month and prices the baseline at those hours", async () => {
    const gpu = new components.GpuInstance("office-hours", {
      instanceType: "p5.48xlarge",
      ami: "ami-0abc",
      hoursPerMonth: 200,
    });
    expect(await resolved(gpu.monthlyBaselineUsd)).toBe(formatAmount(money(P5_US_EAST_1).times(200)));
    expect(await resolved(gpu.monthlyWorstCaseUsd)).toBe("40179.20");
    await resolved(gpu.instanceId);
    expect(registered(mocks, INSTANCE, "office-hours")[0]?.inputs.tags).toMatchObject({
      [TAG.hoursPerMonth]: "200",
    });
  });

  it("deploys and prices in an explicit region without asking the provider", async () => {
    const regionCalls = () => mocks.calls.filter((c) => c.token === "aws:index/getRegion:getRegion").length;
    const before = regionCalls();
    const gpu = new components.GpuInstance("eu", {
      instanceType: "g5.12xlarge",
      ami: "ami-0abc",
      region: "eu-west-1",
    });
    expect(await resolved(gpu.monthlyBaselineUsd)).toBe(formatAmount(money(G5_12XL_EU_WEST_1).times(730)));
    expect(await resolved(gpu.pricingRegion)).toBe("eu-west-1");
    expect(await resolved(gpu.costAssumptions)).toContain("region eu-west-1 (the resource's region input)");
    expect(await resolved(gpu.acceleratorCount)).toBe(4);
    await resolved(gpu.instanceId);
    expect(registered(mocks, INSTANCE, "eu")[0]?.inputs.region).toBe("eu-west-1");
    expect(regionCalls()).toBe(before);
  });

  it("computes margin, cost per 1M tokens and utilisation from the declared economics", async () => {
    const gpu = new components.GpuInstance("serving", {
      instanceType: "p5.48xlarge",
      ami: "ami-0abc",
      economics: { tokensPerMonth: 2_000_000_000, pricePer1mTokensUsd: 30, throughputTokensPerSecond: 1000 },
    });
    const cost = money(P5_US_EAST_1).times(730);
    const revenue = money(2000).times(30);
    expect(await resolved(gpu.grossMarginPercent)).toBe(
      revenue.minus(cost).dividedBy(revenue).times(100).toFixed(2),
    );
    expect(await resolved(gpu.grossMarginPercent)).toBe("33.03");
    expect(await resolved(gpu.costPer1mTokensUsd)).toBe(cost.dividedBy(2000).toFixed(4));
    // 1000 tok/s x 3600 s x 730 h = 2.628e9 tokens of capacity.
    expect(await resolved(gpu.utilizationPercent)).toBe(money(2e9).dividedBy(2.628e9).times(100).toFixed(2));
    await resolved(gpu.instanceId);
    expect(registered(mocks, INSTANCE, "serving")[0]?.inputs.tags).toMatchObject({
      [TAG.tokensPerMonth]: "2000000000",
      [TAG.pricePer1mTokensUsd]: "30",
      [TAG.throughputTokensPerSecond]: "1000",
    });
  });

  it("reports a type the catalog cannot price in the provider's region as unpriced, never $0", async () => {
    // The mock provider is in us-east-1; p5e.48xlarge has no on-demand price there (Capacity Blocks only).
    const gpu = new components.GpuInstance("p5e", { instanceType: "p5e.48xlarge", ami: "ami-0abc" });
    expect(await resolved(gpu.costStatus)).toBe("unpriced");
    expect(await resolved(gpu.monthlyBaselineUsd)).toBeUndefined();
    expect(await resolved(gpu.monthlyWorstCaseUsd)).toBeUndefined();
    expect(await resolved(gpu.costReason)).toMatch(/^p5e: p5e\.48xlarge in us-east-1: .*Capacity Blocks/);
  });

  it("rejects impossible arguments at construction with one line naming them", async () => {
    const pulumi = await import("@pulumi/pulumi");
    const count = mocks.resources.length;
    const attempt = () =>
      new components.GpuInstance("bad", { instanceType: "p5.48xlarg", ami: "ami-0abc", hoursPerMonth: 900 });
    expect(attempt).toThrow(pulumi.InputPropertiesError);
    expect(attempt).toThrow(
      'GpuInstance "bad": instanceType: "p5.48xlarg" is not in the price catalog; give a priceSheet with a rate for it; hoursPerMonth: must be at most 744, got 900',
    );
    expect(mocks.resources.length).toBe(count);
  });

  it("reports impossible arguments as Pulumi's InputPropertiesError, one property path per problem", async () => {
    const pulumi = await import("@pulumi/pulumi");
    let thrown: unknown;
    try {
      new components.GpuInstance("bad", {
        instanceType: "p5.48xlarge",
        ami: "ami-0abc",
        hoursPerMonth: 900,
        availabilityZone: "us-west-2a",
        region: "us-east-1",
      });
    } catch (error) {
      thrown = error;
    }
    // Construct (other languages) answers with structured errors; a TypeScript program prints one line.
    expect(pulumi.InputPropertiesError.isInstance(thrown)).toBe(true);
    expect(pulumi.RunError.isInstance(thrown)).toBe(true);
    expect((thrown as InstanceType<typeof pulumi.InputPropertiesError>).errors).toEqual([
      { propertyPath: "availabilityZone", reason: "availabilityZone us-west-2a is not in region us-east-1" },
      { propertyPath: "hoursPerMonth", reason: "must be at most 744, got 900" },
    ]);
  });
});
