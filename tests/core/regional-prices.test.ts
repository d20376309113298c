import { describe, expect, it } from "vitest";
import { type EstimatorOptions, estimateStack } from "../../src/estimate/estimator.js";
import type { ResourceInput } from "../../src/estimate/types.js";
import { parsePriceSheet } from "../../src/pricing/price-sheet.js";
import { estimateJson } from "../../src/report/estimate-json.js";
import { resource, T } from "./support/resources.js";

// Expected rates are copied by hand from data-sources/aws-prices/ (ec2-accelerators-by-region.csv,
// ec2-us-east-1-karpenter.csv, sagemaker-prices.csv, bedrock-provisioned-throughput.csv), not from
// the generated catalog: rate x 730 h x count, rounded to the cent.

const SKYPILOT =
  "github.com/skypilot-org/skypilot-catalog catalogs/v8/aws/vms.csv @00148f2a (availability-zone rows folded per region)";

type Report = ReturnType<typeof estimateJson>;

function run(inputs: ResourceInput[], options: EstimatorOptions = {}): Report {
  return estimateJson(estimateStack(inputs, options), {});
}

function one(props: Record<string, unknown>, type: string = T.instance, options: EstimatorOptions = {}) {
  const r = run([resource(type, "r", props)], options);
  return r.resources[0]!;
}

describe("golden: EC2 GPU prices by region, from the embedded catalog", () => {
  it.each([
    ["p5.48xlarge", "us-east-1", "55.04", "40179.20"],
    ["p5.48xlarge", "us-east-2", "55.04", "40179.20"],
    ["p5.48xlarge", "us-west-2", "55.04", "40179.20"],
    ["p5.48xlarge", "eu-west-2", "71.552", "52232.96"],
    ["p5.48xlarge", "ap-northeast-1", "68.8", "50224.00"],
    ["p4d.24xlarge", "us-east-1", "21.957642", "16029.08"],
    ["p4d.24xlarge", "us-west-2", "21.95764", "16029.08"],
    ["p4d.24xlarge", "eu-central-1", "27.43298", "20026.08"],
    ["g5.12xlarge", "eu-west-1", "6.33167", "4622.12"],
    ["g6e.xlarge", "ap-northeast-1", "2.699", "1970.27"],
    ["g5.xlarge", "ap-south-1", "1.208", "881.84"],
    ["g6.xlarge", "us-west-2", "0.8048", "587.50"],
    ["inf2.xlarge", "ap-southeast-2", "0.98566", "719.53"],
  ])("%s in %s: $%s/h, $%s a month, from SkyPilot's table of 2026-12-04", (type, region, rate, month) => {
    const r = one({ instanceType: type, region });
    expect(r.status).toBe("priced");
    expect(r.monthly!.baseline!.total).toBe(month);
    expect(r.monthly!.worstCase!.total).toBe(month);
    const line = r.monthly!.baseline!.lineItems[0]!;
    expect(line.unitPrice).toBe(rate);
    expect(line.priceSource).toBe(SKYPILOT);
    expect(line.priceDate).toBe("2026-12-04");
  });

  it("types only Karpenter's us-east-1 table has are priced from it, dated 2026-07-20", () => {
    const r = one({ instanceType: "g3.4xlarge", region: "us-east-1" });
    // 1.14 x 730
    expect(r.monthly!.baseline!.total).toBe("832.20");
    expect(r.monthly!.baseline!.lineItems[0]!.priceDate).toBe("2026-07-20");
    expect(r.monthly!.baseline!.lineItems[0]!.priceSource).toContain("karpenter-provider-aws");
    expect(r.accelerators).toEqual({
      vendor: "nvidia",
      model: "NVIDIA Tesla M60 8GB",
      perInstance: 1,
      total: 1,
    });
  });

  it("sums a stack across regions to the cent", () => {
    const r = run([
      resource(T.instance, "oregon", { instanceType: "p5.48xlarge", region: "us-west-2" }),
      resource(T.instance, "london", { instanceType: "p5.48xlarge", region: "eu-west-2" }),
      resource(T.instance, "tokyo", { instanceType: "g6e.xlarge", region: "ap-northeast-1" }),
    ]);
    // 40179.20 + 52232.96 + 1970.27
    expect(r.totals).toEqual({ monthlyBaseline: "94382.43", monthlyWorstCase: "94382.43", oneTime: "0.00" });
  });
});

describe("unpriced, never $0, with the regions rule as the one-line fix", () => {
  it("a type listed in a region without an on-demand price (trn1 in ap-southeast-2)", () => {
    const r = one({ instanceType: "trn1.32xlarge", region: "ap-southeast-2" });
    expect(r.status).toBe("unpriced");
    expect(r.monthly).toBeNull();
    expect(r.reason).toMatch(
      /^trn1\.32xlarge in ap-southeast-2: listed in ap-southeast-2 with no on-demand Linux price .*\(priced in us-east-1, /,
    );
    expect(r.reason).toContain(
      'a price-sheet regions rule {"ap-southeast-2": {"priceLike": "us-east-1", "multiplier": "<ratio>"}} or rate prices it',
    );
  });

  it("a type AWS does not offer in a region the catalog covers (p5 in eu-west-1)", () => {
    const r = one({ instanceType: "p5.48xlarge", region: "eu-west-1" });
    expect(r.status).toBe("unpriced");
    expect(r.reason).toMatch(
      /^p5\.48xlarge has no on-demand price for eu-west-1 in the catalog \(not offered there\) \(priced in us-east-1, .* and \d+ more\); a price-sheet regions rule \{"eu-west-1": \{"priceLike": "us-east-1", "multiplier": "<ratio>"\}\} or rate prices it$/,
    );
  });

  it("GovCloud and China: a separate partition, said so", () => {
    expect(one({ instanceType: "g5.xlarge", region: "us-gov-west-1" }).reason).toMatch(
      /^g5\.xlarge in us-gov-west-1: AWS GovCloud \(US\) is a separate AWS partition whose prices the embedded catalog does not carry \(priced in us-east-1/,
    );
    expect(one({ instanceType: "g5.xlarge", region: "cn-north-1" }).reason).toMatch(
      /^g5\.xlarge in cn-north-1: the AWS China regions are a separate partition/,
    );
  });

  it("a regions rule prices the region like another one, times the multiplier, and says so", () => {
    const priceSheet = parsePriceSheet({
      name: "gov",
      regions: { "us-gov-west-1": { priceLike: "us-west-2", multiplier: "1.25" } },
    });
    const r = one({ instanceType: "g5.xlarge", region: "us-gov-west-1" }, T.instance, { priceSheet });
    // 1.006 x 1.25 = 1.2575; x 730 = 917.975
    expect(r.monthly!.baseline!.total).toBe("917.98");
    expect(r.assumptions).toContain("us-gov-west-1 priced like us-west-2 x 1.25 (price sheet regions)");
  });
});

describe("SageMaker: sourced prices where they exist, unpriced with the fix elsewhere", () => {
  const endpoint = (type: string, region: string) =>
    resource(T.endpointConfiguration, "ep", {
      region,
      productionVariants: [{ variantName: "AllTraffic", instanceType: type, initialInstanceCount: 1 }],
    });

  it.each([
    ["ml.g6.xlarge", "us-west-2", "1.1267", "822.49", "2026-12-04"],
    ["ml.g5.xlarge", "us-west-2", "1.408", "1027.84", "2026-12-04"],
    ["ml.g5.xlarge", "us-east-1", "1.408", "1027.84", "2026-08-17"],
    ["ml.g6e.xlarge", "us-east-1", "2.61", "1905.30", "2026-08-17"],
  ])("%s in %s: $%s/h, $%s a month (source dated %s)", (type, region, rate, month, date) => {
    const r = run([endpoint(type, region)]).resources[0]!;
    expect(r.status).toBe("priced");
    expect(r.monthly!.baseline!.total).toBe(month);
    expect(r.monthly!.baseline!.lineItems[0]!.unitPrice).toBe(rate);
    expect(r.monthly!.baseline!.lineItems[0]!.priceDate).toBe(date);
  });

  it("a region without a sourced SageMaker price is unpriced, naming the regions rule", () => {
    const r = run([endpoint("ml.g5.xlarge", "eu-west-1")]).resources[0]!;
    expect(r.status).toBe("unpriced");
    expect(r.reason).toBe(
      'ml.g5.xlarge has no sourced SageMaker price for eu-west-1 (priced in us-east-1, us-west-2); a price-sheet regions rule {"eu-west-1": {"priceLike": "us-east-1", "multiplier": "<ratio>"}} or rate prices it',
    );
    const priceSheet = parsePriceSheet({
      regions: { "eu-west-1": { priceLike: "us-east-1", multiplier: "1.1" } },
    });
    const priced = run([endpoint("ml.g5.xlarge", "eu-west-1")], { priceSheet }).resources[0]!;
    // 1.408 x 1.1 = 1.5488; x 730 = 1130.624
    expect(priced.monthly!.baseline!.total).toBe("1130.62");
  });
});

describe("Bedrock provisioned throughput: known rates are catalog entries per model and term", () => {
  const throughput = (model: string, region: string, units: number, commitmentDuration?: string) =>
    resource(T.provisionedThroughput, "pt", {
      region,
      modelArn: `arn:aws:bedrock:${region}::foundation-model/${model}`,
      modelUnits: units,
      ...(commitmentDuration ? { commitmentDuration } : {}),
    });

  it.each([
    ["amazon.titan-text-express-v1:0:8k", "us-east-1", 1, "SixMonths", "14.8", "10804.00", "2024-04-22"],
    ["amazon.titan-text-express-v1:0:8k", "us-west-2", 1, "OneMonth", "18.4", "13432.00", "2024-04-22"],
    ["meta.llama3-1-70b-instruct-v1:0", "us-west-2", 2, undefined, "24", "35040.00", "2026-12-04"],
    ["amazon.nova-2-lite-v1:0", "us-east-1", 1, "OneMonth", "55", "40150.00", "2026-08-02"],
    ["anthropic.claude-3-sonnet-20240229-v1:0", "us-east-1", 1, undefined, "88", "64240.00", "2025-01-26"],
  ])(
    "%s in %s x %i (%s): $%s per model-unit hour, $%s a month",
    (model, region, units, term, rate, month, date) => {
      const r = run([throughput(model, region, units, term)]).resources[0]!;
      expect(r.status).toBe("priced");
      expect(r.monthly!.baseline!.total).toBe(month);
      expect(r.monthly!.baseline!.lineItems[0]!.unitPrice).toBe(rate);
      expect(r.monthly!.baseline!.lineItems[0]!.priceDate).toBe(date);
    },
  );

  it("a base model without a no-commitment term is unpriced, saying why", () => {
    const r = run([throughput("anthropic.claude-v2:1", "us-east-1", 1)]).resources[0]!;
    expect(r.status).toBe("unpriced");
    expect(r.reason).toMatch(
      /^anthropic\.claude-v2:1 \(no commitment\) in us-east-1: AWS offered no no-commitment provisioned throughput for the base model Claude/,
    );
  });

  it("a model priced in another region names the regions rule", () => {
    const r = run([throughput("meta.llama3-1-70b-instruct-v1:0", "us-east-1", 1)]).resources[0]!;
    expect(r.reason).toContain("(priced in us-west-2)");
    expect(r.reason).toContain('{"us-east-1": {"priceLike": "us-west-2", "multiplier": "<ratio>"}}');
  });
});
