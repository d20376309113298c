import { beforeAll, describe, expect, it } from "vitest";
import { TAG } from "../../src/estimate/economics-tags.js";
import { estimateStack } from "../../src/estimate/estimator.js";
import { formatAmount, money } from "../../src/money.js";
import { asStackResource, installMocks, type MockState, registered, resolved } from "./mocks.js";

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
// Catalog: g5.12xlarge us-east-1 $5.672/h with 4 x A10G; g5.xlarge $1.006/h with 1.
const G5_12XL = money("5.672");
const G5_XL = money("1.006");

let mocks: MockState;
let components: typeof import("../../components/index.js");

beforeAll(async () => {
  mocks = installMocks();
  components = await import("../../components/index.js");
});

const base = {
  clusterName: "inference",
  nodeRoleArn: "arn:aws:iam::123456789012:role/nodes",
  subnetIds: ["subnet-a", "subnet-b"],
};

describe("GpuNodeGroup", () => {
  it("creates an EKS node group with its scaling config, instance types and tags", async () => {
    const group = new components.GpuNodeGroup("gpu", {
      ...base,
      instanceTypes: ["g5.12xlarge"],
      capacityType: "ON_DEMAND",
      minSize: 1,
      desiredSize: 2,
      maxSize: 4,
      amiType: "AL2023_x86_64_NVIDIA",
      labels: { accelerator: "a10g" },
      economics: { team: "search", costCenter: "cc-7" },
    });
    await resolved(group.nodeGroupArn);
    const [nodeGroup] = registered(mocks, NODE_GROUP, "gpu");
    expect(nodeGroup?.inputs).toMatchObject({
      clusterName: "inference",
      nodeRoleArn: "arn:aws:iam::123456789012:role/nodes",
      subnetIds: ["subnet-a", "subnet-b"],
      instanceTypes: ["g5.12xlarge"],
      capacityType: "ON_DEMAND",
      scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 4 },
      amiType: "AL2023_x86_64_NVIDIA",
      labels: { accelerator: "a10g" },
      tags: { team: "search", "cost-center": "cc-7", [TAG.team]: "search" },
    });
  });

  it("prices the desired count as baseline and maxSize as worst case", async () => {
    const group = new components.GpuNodeGroup("priced", {
      ...base,
      instanceTypes: ["g5.12xlarge"],
      minSize: 1,
      desiredSize: 2,
      maxSize: 4,
    });
    expect(await resolved(group.monthlyBaselineUsd)).toBe(formatAmount(G5_12XL.times(730).times(2)));
    expect(await resolved(group.monthlyBaselineUsd)).toBe("8281.12");
    expect(await resolved(group.monthlyWorstCaseUsd)).toBe(formatAmount(G5_12XL.times(730).times(4)));
    expect(await resolved(group.acceleratorCount)).toBe(16);
    expect(await resolved(group.costStatus)).toBe("priced");

    await resolved(group.nodeGroupArn);
    const stack = estimateStack([asStackResource(registered(mocks, NODE_GROUP, "priced")[0]!)]);
    expect(formatAmount(stack.totals.monthlyBaseline)).toBe(await resolved(group.monthlyBaselineUsd));
    expect(formatAmount(stack.totals.monthlyWorstCase)).toBe(await resolved(group.monthlyWorstCaseUsd));
  });

  it("prices the first listed type as baseline and the most expensive as worst case", async () => {
    const group = new components.GpuNodeGroup("mixed", {
      ...base,
      instanceTypes: ["g5.xlarge", "g5.12xlarge"],
      capacityType: "SPOT",
      minSize: 0,
      desiredSize: 1,
      maxSize: 3,
    });
    // Spot without a spotFactor in a price sheet is priced at on-demand (an upper bound).
    expect(await resolved(group.monthlyBaselineUsd)).toBe(formatAmount(G5_XL.times(730)));
    expect(await resolved(group.monthlyWorstCaseUsd)).toBe(formatAmount(G5_12XL.times(730).times(3)));
    expect(await resolved(group.costAssumptions)).toContainEqual(
      expect.stringContaining("spot priced at on-demand"),
    );
  });

  it("computes the margin on the baseline cost", async () => {
    const group = new components.GpuNodeGroup("margin", {
      ...base,
      instanceTypes: ["g5.12xlarge"],
      minSize: 1,
      desiredSize: 1,
      maxSize: 2,
      economics: { tokensPerMonth: 500_000_000, pricePer1mTokensUsd: 2 },
    });
    const cost = G5_12XL.times(730);
    const revenue = money(500).times(2);
    expect(await resolved(group.grossMarginPercent)).toBe(
      revenue.minus(cost).dividedBy(revenue).times(100).toFixed(2),
    );
    expect(await resolved(group.grossMarginPercent)).toBe("-314.06");
    expect(await resolved(group.costPer1mTokensUsd)).toBe(cost.dividedBy(500).toFixed(4));
  });

  it("rejects impossible scaling at construction", () => {
    expect(
      () =>
        new components.GpuNodeGroup("bad", {
          ...base,
          instanceTypes: ["g5.xlarge"],
          minSize: 3,
          desiredSize: 3,
          maxSize: 2,
        }),
    ).toThrow('GpuNodeGroup "bad": minSize (3) is greater than maxSize (2)');
  });
});
