import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { TAG } from "../../src/estimate/economics-tags.js";
import { estimateStack } from "../../src/estimate/estimator.js";
import { formatAmount, money } from "../../src/money.js";
import { parsePriceSheet } from "../../src/pricing/price-sheet.js";
import { asStackResource, installMocks, type MockState, registered, resolved } from "./mocks.js";

const THROUGHPUT = "aws:bedrock/provisionedModelThroughput:ProvisionedModelThroughput";
const MODEL_ARN = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0";
// Bedrock model-unit rates are quoted per account: the price sheet carries them (an illustrative figure).
const SHEET = {
  name: "acme-bedrock",
  bedrockRates: [{ model: "anthropic.claude-3-*", commitment: "1-month", usdPerModelUnitHour: "39.60" }],
};

let mocks: MockState;
let components: typeof import("../../components/index.js");

beforeAll(async () => {
  mocks = installMocks();
  components = await import("../../components/index.js");
});

describe("ProvisionedThroughput", () => {
  it("creates the Bedrock throughput with its commitment and prices model units x hours from the sheet", async () => {
    const pt = new components.ProvisionedThroughput("haiku", {
      // The model ARN is often another resource's output: the estimate waits for it.
      modelArn: pulumi.output(MODEL_ARN),
      modelUnits: 2,
      commitment: "1-month",
      priceSheet: SHEET,
      economics: { team: "assist", tokensPerMonth: 3_000_000_000, pricePer1mTokensUsd: 25 },
    });
    await resolved(pt.provisionedModelArn);
    const [resource] = registered(mocks, THROUGHPUT, "haiku");
    expect(resource?.inputs).toMatchObject({
      modelArn: MODEL_ARN,
      modelUnits: 2,
      commitmentDuration: "OneMonth",
      provisionedModelName: "haiku",
      tags: { team: "assist", [TAG.team]: "assist", [TAG.tokensPerMonth]: "3000000000" },
    });
    const expected = formatAmount(money("39.60").times(730).times(2));
    expect(expected).toBe("57816.00");
    expect(await resolved(pt.monthlyBaselineUsd)).toBe(expected);
    expect(await resolved(pt.monthlyWorstCaseUsd)).toBe(expected);
    expect(await resolved(pt.costStatus)).toBe("priced");
    expect(await resolved(pt.acceleratorCount)).toBe(0);
    // Revenue 3000M x $25 = $75,000 against $57,816.
    expect(await resolved(pt.grossMarginPercent)).toBe("22.91");

    const stack = estimateStack([asStackResource(resource!)], { priceSheet: parsePriceSheet(SHEET) });
    expect(formatAmount(stack.totals.monthlyBaseline)).toBe(expected);
  });

  it("is unpriced without a sheet rate for the model, with the reason, and no commitment by default", async () => {
    const pt = new components.ProvisionedThroughput("unpriced", { modelArn: MODEL_ARN, modelUnits: 1 });
    await resolved(pt.provisionedModelArn);
    expect(await resolved(pt.costStatus)).toBe("unpriced");
    expect(await resolved(pt.monthlyBaselineUsd)).toBeUndefined();
    expect(await resolved(pt.costReason)).toContain(
      "no Bedrock model-unit rate for anthropic.claude-3-haiku",
    );
    expect(registered(mocks, THROUGHPUT, "unpriced")[0]?.inputs.commitmentDuration).toBeUndefined();
  });

  it("rejects an unknown commitment and zero model units", () => {
    expect(
      () =>
        new components.ProvisionedThroughput("bad", {
          modelArn: MODEL_ARN,
          modelUnits: 0,
          commitment: "12-month",
        }),
    ).toThrow(
      'ProvisionedThroughput "bad": modelUnits: must be at least 1, got 0; commitment: must be one of "none", "1-month", "6-month", got "12-month"',
    );
  });
});
