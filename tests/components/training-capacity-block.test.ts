import { beforeAll, describe, expect, it } from "vitest";
import { TAG } from "../../src/estimate/economics-tags.js";
import { estimateStack } from "../../src/estimate/estimator.js";
import { formatAmount, money } from "../../src/money.js";
import { asStackResource, installMocks, type MockState, OFFERING, registered, resolved } from "./mocks.js";

const BLOCK = "aws:ec2/capacityBlockReservation:CapacityBlockReservation";
const OFFERING_CALL = "aws:ec2/getCapacityBlockOffering:getCapacityBlockOffering";

let mocks: MockState;
let components: typeof import("../../components/index.js");

beforeAll(async () => {
  mocks = installMocks();
  components = await import("../../components/index.js");
});

describe("TrainingCapacityBlock", () => {
  it("looks up the offering, reserves it and declares its upfront fee as one-time cost", async () => {
    const block = new components.TrainingCapacityBlock("pretrain", {
      instanceType: "p5.48xlarge",
      instanceCount: 2,
      durationHours: 48,
      startDateRange: "2026-09-01T00:00:00Z",
      endDateRange: "2026-09-08T00:00:00Z",
      economics: { team: "research", costCenter: "cc-3", model: "llama-4-8b" },
    });
    await resolved(block.reservationId);
    const call = mocks.calls.find(
      (c) => c.token === OFFERING_CALL && c.inputs.instanceType === "p5.48xlarge",
    );
    expect(call?.inputs).toMatchObject({
      instanceType: "p5.48xlarge",
      instanceCount: 2,
      capacityDurationHours: 48,
      startDateRange: "2026-09-01T00:00:00Z",
      endDateRange: "2026-09-08T00:00:00Z",
    });
    const [reservation] = registered(mocks, BLOCK, "pretrain");
    expect(reservation?.inputs).toMatchObject({
      capacityBlockOfferingId: OFFERING.capacityBlockOfferingId,
      instancePlatform: "Linux/UNIX",
    });
    expect(reservation?.inputs.tags).toEqual({
      team: "research",
      "cost-center": "cc-3",
      [TAG.team]: "research",
      [TAG.model]: "llama-4-8b",
      [TAG.instanceType]: "p5.48xlarge",
      [TAG.instanceCount]: "2",
      [TAG.trainingHours]: "48",
      [TAG.upfrontFeeUsd]: OFFERING.upfrontFee,
    });

    expect(await resolved(block.oneTimeUsd)).toBe(OFFERING.upfrontFee);
    expect(await resolved(block.upfrontFeeUsd)).toBe(OFFERING.upfrontFee);
    expect(await resolved(block.monthlyBaselineUsd)).toBe("0.00");
    expect(await resolved(block.monthlyWorstCaseUsd)).toBe("0.00");
    expect(await resolved(block.acceleratorCount)).toBe(16);
    expect(await resolved(block.costStatus)).toBe("priced");
    expect(await resolved(block.availabilityZone)).toBe(OFFERING.availabilityZone);

    const stack = estimateStack([asStackResource(reservation!)]);
    expect(formatAmount(stack.totals.oneTime)).toBe(OFFERING.upfrontFee);
  });

  it("without a USD fee in the offering, prices the declared hours at the on-demand rate instead", async () => {
    mocks.offeringOverrides["p4d.24xlarge"] = { upfrontFee: "2800.00", currencyCode: "EUR" };
    const block = new components.TrainingCapacityBlock("eur", {
      instanceType: "p4d.24xlarge",
      instanceCount: 1,
      durationHours: 24,
    });
    await resolved(block.reservationId);
    const tags = registered(mocks, BLOCK, "eur")[0]?.inputs.tags as Record<string, string>;
    expect(tags[TAG.upfrontFeeUsd]).toBeUndefined();
    // Catalog: p4d.24xlarge us-east-1 $21.957642/h.
    expect(await resolved(block.oneTimeUsd)).toBe(formatAmount(money("21.957642").times(24)));
    expect(await resolved(block.upfrontFeeUsd)).toBeUndefined();
    expect(await resolved(block.costAssumptions)).toContain("the offering states no USD fee (2800.00 EUR)");
  });

  it("rejects durations Capacity Blocks are not sold in and serving economics", () => {
    expect(
      () =>
        new components.TrainingCapacityBlock("bad", {
          instanceType: "p5.48xlarge",
          instanceCount: 65,
          durationHours: 408,
          economics: { tokensPerMonth: 1000 },
        }),
    ).toThrow(
      'TrainingCapacityBlock "bad": instanceCount: must be at most 64, got 65; durationHours: beyond 14 days must be whole weeks (a multiple of 168), got 408; economics.tokensPerMonth: this resource serves no traffic',
    );
  });
});
