import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { type EstimatorOptions, estimateStack, type StackEstimate } from "../../src/estimate/estimator.js";
import type { ResourceInput } from "../../src/estimate/types.js";
import { parseStackExport } from "../../src/inputs/stack-export.js";
import { parsePriceSheet } from "../../src/pricing/price-sheet.js";
import { estimateJson } from "../../src/report/estimate-json.js";
import { UNKNOWN } from "../../src/unknown.js";
import { expectGolden } from "./support/golden.js";
import { estimateIncrementally } from "./support/incremental.js";
import { resource, SAGEMAKER_DIMENSION, T, urnOf } from "./support/resources.js";

// Every expected figure below was worked by hand from the pinned catalog (2026-12-04):
// rate x hours x count, rounded to the cent per line item.

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const readJson = (relative: string): unknown => JSON.parse(readFileSync(path.join(root, relative), "utf8"));
const accountSheet = parsePriceSheet(readJson("tests/fixtures/core/account-price-sheet.json"));
const withSheet: EstimatorOptions = { priceSheet: accountSheet };

type Report = ReturnType<typeof estimateJson>;
type ResourceReport = Report["resources"][number];

function report(stack: StackEstimate, sheetName?: string): Report {
  return estimateJson(stack, { priceSheet: sheetName });
}

function whole(inputs: ResourceInput[], options: EstimatorOptions = {}): Report {
  return report(estimateStack(inputs, options), options.priceSheet?.name);
}

function byName(r: Report, name: string): ResourceReport {
  const found = r.resources.find((x) => x.name === name);
  if (!found) throw new Error(`no resource ${name} in the report`);
  return found;
}

/** Baseline and worst-case monthly totals of one resource, as the JSON report writes them. */
function monthly(r: ResourceReport): [string, string] | null {
  return r.monthly ? [r.monthly.baseline!.total, r.monthly.worstCase!.total] : null;
}

function lineAmounts(r: ResourceReport, which: "baseline" | "worstCase"): string[] {
  return r.monthly?.[which]?.lineItems.map((l) => l.amount) ?? [];
}

describe("golden: EC2 instance", () => {
  it("two on-demand p5.48xlarge from the example stack export total exactly $80,358.40", () => {
    const inputs = parseStackExport(readJson("examples/two-p5-stack-export.json"));
    const r = whole(inputs);
    // 55.04 x 730 x 2
    expect(r.totals).toEqual({ monthlyBaseline: "80358.40", monthlyWorstCase: "80358.40", oneTime: "0.00" });
    expect(monthly(byName(r, "trainer-0"))).toEqual(["40179.20", "40179.20"]);
    expect(byName(r, "trainer-0").region).toEqual({ region: "us-east-1", from: "provider" });
    expect(byName(r, "checkpoints").status).toBe("not-applicable");
    expectGolden("instance-two-p5", r);
  });

  it("spot without a sheet spotFactor is priced at on-demand and says so", () => {
    const r = whole([
      resource(T.instance, "spot", {
        instanceType: "p5.48xlarge",
        instanceMarketOptions: { marketType: "spot" },
      }),
    ]);
    const spot = byName(r, "spot");
    expect(monthly(spot)).toEqual(["40179.20", "40179.20"]);
    expect(spot.monthly!.baseline!.lineItems[0]!.description).toContain("spot (priced at on-demand)");
    expect(spot.assumptions.join("\n")).toContain("no spotFactor");
    expectGolden("instance-spot-no-factor", r);
  });

  it("spot with a sheet spotFactor discounts the baseline only", () => {
    const r = whole(
      [
        resource(T.instance, "spot", {
          instanceType: "p5.48xlarge",
          instanceMarketOptions: { marketType: "spot" },
        }),
      ],
      withSheet,
    );
    // baseline 55.04 x 0.4 x 730 = 16071.68; worst case on-demand 55.04 x 730 = 40179.20
    expect(monthly(byName(r, "spot"))).toEqual(["16071.68", "40179.20"]);
    expect(r.priceSheet).toBe("acme negotiated 2026-08");
    expectGolden("instance-spot-factor", r);
  });

  it("takes its type from the launch template it references", () => {
    const template = resource(
      T.launchTemplate,
      "tpl",
      { name: "tpl", instanceType: "g5.12xlarge" },
      { id: "lt-0abc" },
    );
    const r = whole([template, resource(T.instance, "from-template", { launchTemplate: { id: "lt-0abc" } })]);
    const vm = byName(r, "from-template");
    // 5.672 x 730 = 4140.56
    expect(monthly(vm)).toEqual(["4140.56", "4140.56"]);
    expect(vm.instanceTypes).toEqual(["g5.12xlarge"]);
    expect(vm.linkedTo).toBe(template.urn);
    expect(byName(r, "tpl").status).toBe("not-applicable");
    expectGolden("instance-launch-template", r);
  });

  it("a computeguard:hours-per-month schedule lowers the baseline, not the worst case", () => {
    const r = whole([
      resource(T.instance, "nine-to-five", {
        instanceType: "g6e.xlarge",
        tags: { "computeguard:hours-per-month": "200" },
      }),
    ]);
    // 1.861 x 200 = 372.20; worst case 1.861 x 730 = 1358.53
    expect(monthly(byName(r, "nine-to-five"))).toEqual(["372.20", "1358.53"]);
    expectGolden("instance-schedule", r);
  });
});

describe("golden: autoscaling group", () => {
  it("runs desired at baseline and max at worst case of its launch template's type", () => {
    const r = whole([
      resource(T.launchTemplate, "a100", { name: "a100", instanceType: "p4d.24xlarge" }),
      resource(T.group, "trainers", {
        minSize: 1,
        desiredCapacity: 2,
        maxSize: 4,
        launchTemplate: { name: "a100", version: "$Latest" },
      }),
    ]);
    const group = byName(r, "trainers");
    // 21.957642 x 730 x 2 = 32058.15732; x 4 = 64116.31464
    expect(monthly(group)).toEqual(["32058.16", "64116.31"]);
    expect(group.scaling).toEqual({ min: 1, desired: 2, max: 4 });
    expect(group.accelerators).toEqual({
      vendor: "nvidia",
      model: expect.any(String),
      perInstance: 8,
      total: 32,
    });
    expectGolden("group-launch-template", r);
  });

  it("splits a mixed instances policy into on-demand and spot, worst case at the dearest override", () => {
    const r = whole(
      [
        resource(T.group, "inference", {
          minSize: 2,
          desiredCapacity: 4,
          maxSize: 8,
          mixedInstancesPolicy: {
            launchTemplate: {
              launchTemplateSpecification: { launchTemplateName: "not-needed" },
              overrides: [{ instanceType: "g5.12xlarge" }, { instanceType: "g6e.12xlarge" }],
            },
            instancesDistribution: { onDemandBaseCapacity: 1, onDemandPercentageAboveBaseCapacity: 50 },
          },
        }),
      ],
      withSheet,
    );
    const group = byName(r, "inference");
    // Baseline (4): on-demand 1 + ceil(3 x 50%) = 3 of g5.12xlarge: 5.672 x 730 x 3 = 12421.68;
    //   spot 1: 5.672 x 0.4 x 730 = 1656.224.
    // Worst (8): on-demand 1 + ceil(7 x 50%) = 5, spot 3, all at on-demand g6e.12xlarge (10.49264 > 5.672):
    //   10.49264 x 730 x 5 = 38298.136; x 3 = 22978.8816.
    expect(lineAmounts(group, "baseline")).toEqual(["12421.68", "1656.22"]);
    expect(lineAmounts(group, "worstCase")).toEqual(["38298.14", "22978.88"]);
    expect(monthly(group)).toEqual(["14077.90", "61277.02"]);
    expectGolden("group-mixed-instances", r);
  });

  it("follows propertyDependencies to its template when the template id is unknown (preview)", () => {
    const template = resource(T.launchTemplate, "h100", { instanceType: "p5.48xlarge" });
    const r = whole([
      template,
      resource(
        T.group,
        "preview-group",
        { minSize: 0, desiredCapacity: 1, maxSize: 2, launchTemplate: { id: UNKNOWN, version: "$Latest" } },
        { propertyDependencies: { launchTemplate: [template.urn] } },
      ),
    ]);
    const group = byName(r, "preview-group");
    // 55.04 x 730 x 1 = 40179.20; x 2 = 80358.40
    expect(monthly(group)).toEqual(["40179.20", "80358.40"]);
    expect(group.linkedTo).toBe(template.urn);
    expectGolden("group-template-via-dependencies", r);
  });
});

describe("golden: EKS node group", () => {
  it("prices scalingConfig desired and max, and a declared training run as one-time spend", () => {
    const r = whole([
      resource(T.nodeGroup, "gpu-nodes", {
        instanceTypes: ["g5.48xlarge"],
        scalingConfig: { minSize: 0, desiredSize: 1, maxSize: 3 },
        tags: { "computeguard:training-hours": "100" },
      }),
    ]);
    const nodes = byName(r, "gpu-nodes");
    // 16.288 x 730 = 11890.24; x 3 = 35670.72; training 16.288 x 100 x 3 = 4886.40
    expect(monthly(nodes)).toEqual(["11890.24", "35670.72"]);
    expect(nodes.oneTime?.total).toBe("4886.40");
    expect(r.totals.oneTime).toBe("4886.40");
    expectGolden("eks-node-group", r);
  });

  it("SPOT with several types: baseline the first listed, worst case the most expensive at on-demand", () => {
    const r = whole([
      resource(T.nodeGroup, "spot-nodes", {
        instanceTypes: ["g6.12xlarge", "g5.12xlarge", "g6e.12xlarge"],
        capacityType: "SPOT",
        scalingConfig: { minSize: 1, desiredSize: 2, maxSize: 5 },
      }),
    ]);
    const nodes = byName(r, "spot-nodes");
    // baseline g6.12xlarge (spot at on-demand, no sheet) 4.6016 x 730 x 2 = 6718.336;
    // worst g6e.12xlarge 10.49264 x 730 x 5 = 38298.136
    expect(monthly(nodes)).toEqual(["6718.34", "38298.14"]);
    expect(nodes.monthly!.worstCase!.lineItems[0]!.description).toMatch(/^g6e\.12xlarge on-demand/);
    expectGolden("eks-spot-multiple-types", r);
  });
});

describe("golden: SageMaker endpoints", () => {
  const config = (name: string, props: Record<string, unknown>) =>
    resource(T.endpointConfiguration, name, { name, ...props });

  it("prices production and shadow variants once, on the configuration, not again on the endpoint", () => {
    const r = whole([
      config("llm-config", {
        productionVariants: [
          { variantName: "AllTraffic", instanceType: "ml.g5.2xlarge", initialInstanceCount: 2 },
        ],
        shadowProductionVariants: [
          { variantName: "Shadow", instanceType: "ml.g5.xlarge", initialInstanceCount: 1 },
        ],
      }),
      resource(T.endpoint, "llm", { name: "llm", endpointConfigName: "llm-config" }),
    ]);
    // 1.515 x 730 x 2 = 2211.90; shadow 1.408 (2026-08-17 source) x 730 = 1027.84
    expect(lineAmounts(byName(r, "llm-config"), "baseline")).toEqual(["2211.90", "1027.84"]);
    expect(r.totals.monthlyBaseline).toBe("3239.74");
    const endpoint = byName(r, "llm");
    expect(endpoint.status).toBe("not-applicable");
    expect(endpoint.monthly).toBeNull();
    expect(endpoint.linkedTo).toBe(urnOf(T.endpointConfiguration, "llm-config"));
    expectGolden("sagemaker-production-and-shadow", r);
  });

  it("serverless with a sheet rate: provisioned concurrency at baseline, max concurrency at worst case", () => {
    const r = whole(
      [
        config("serverless", {
          productionVariants: [
            {
              variantName: "AllTraffic",
              serverlessConfig: { memorySizeInMb: 4096, maxConcurrency: 10, provisionedConcurrency: 2 },
            },
          ],
        }),
      ],
      withSheet,
    );
    // 0.00002/GB-s x 3600 x 4 GB = 0.288/h; x 730 x 2 = 420.48; x 730 x 10 = 2102.40
    expect(monthly(byName(r, "serverless"))).toEqual(["420.48", "2102.40"]);
    expectGolden("sagemaker-serverless-priced", r);
  });

  it("serverless without a sheet rate is unpriced, with no $0 run-rate", () => {
    const r = whole([
      config("serverless", {
        productionVariants: [
          { variantName: "AllTraffic", instanceType: "ml.g5.xlarge", initialInstanceCount: 1 },
          { variantName: "Burst", serverlessConfig: { memorySizeInMb: 2048, maxConcurrency: 5 } },
        ],
      }),
    ]);
    const cfg = byName(r, "serverless");
    expect(cfg.status).toBe("unpriced");
    expect(cfg.reason).toContain("sagemakerServerless.usdPerGbSecond");
    expect(cfg.monthly).toBeNull();
    expect(r.totals.monthlyBaseline).toBe("0.00");
    expectGolden("sagemaker-serverless-unpriced", r);
  });

  it("managedInstanceScaling.maxInstanceCount drives the worst case", () => {
    const r = whole([
      config("managed", {
        productionVariants: [
          {
            variantName: "AllTraffic",
            instanceType: "ml.g6.12xlarge",
            initialInstanceCount: 1,
            managedInstanceScaling: { status: "ENABLED", minInstanceCount: 1, maxInstanceCount: 4 },
          },
        ],
      }),
    ]);
    // 5.752 x 730 = 4198.96; x 4 = 16795.84
    expect(monthly(byName(r, "managed"))).toEqual(["4198.96", "16795.84"]);
    expectGolden("sagemaker-managed-scaling", r);
  });

  const autoscaled = [
    config("chat-config", {
      productionVariants: [
        { variantName: "AllTraffic", instanceType: "ml.g5.12xlarge", initialInstanceCount: 1 },
      ],
    }),
    resource(T.endpoint, "chat", { name: "chat", endpointConfigName: "chat-config" }),
    resource(T.scalingTarget, "chat-scaling", {
      resourceId: "endpoint/chat/variant/AllTraffic",
      scalableDimension: SAGEMAKER_DIMENSION,
      serviceNamespace: "sagemaker",
      minCapacity: 2,
      maxCapacity: 6,
    }),
  ];

  it("whole stack: the scaling target's min and max are priced on the configuration", () => {
    const r = whole(autoscaled);
    // 7.09 x 730 x 2 (minCapacity) = 10351.40; x 6 (maxCapacity) = 31054.20
    expect(monthly(byName(r, "chat-config"))).toEqual(["10351.40", "31054.20"]);
    expect(byName(r, "chat-scaling").status).toBe("not-applicable");
    expect(byName(r, "chat").status).toBe("not-applicable");
    expect(r.totals).toEqual({ monthlyBaseline: "10351.40", monthlyWorstCase: "31054.20", oneTime: "0.00" });
    expectGolden("sagemaker-autoscaling-whole-stack", r);
  });

  it("per resource: the target carries the instances above the initial count, and the totals agree", () => {
    const r = report(estimateIncrementally(autoscaled));
    // configuration alone: 7.09 x 730 = 5175.70; target: +1 at baseline, +5 at worst (25878.50)
    expect(monthly(byName(r, "chat-config"))).toEqual(["5175.70", "5175.70"]);
    expect(monthly(byName(r, "chat-scaling"))).toEqual(["5175.70", "25878.50"]);
    expect(r.totals).toEqual(whole(autoscaled).totals);
    expectGolden("sagemaker-autoscaling-per-resource", r);
  });

  it("an endpoint whose configuration name is unknown is linked through propertyDependencies", () => {
    const cfg = config("cfg-preview", {
      productionVariants: [{ variantName: "v1", instanceType: "ml.inf2.xlarge", initialInstanceCount: 1 }],
    });
    const r = whole([
      cfg,
      resource(
        T.endpoint,
        "ep",
        { name: "ep", endpointConfigName: UNKNOWN },
        {
          propertyDependencies: { endpointConfigName: [cfg.urn] },
        },
      ),
      resource(T.scalingTarget, "ep-scaling", {
        resourceId: "endpoint/ep/variant/v1",
        scalableDimension: SAGEMAKER_DIMENSION,
        minCapacity: 1,
        maxCapacity: 3,
      }),
    ]);
    // 0.99 x 730 = 722.70; x 3 = 2168.10
    expect(monthly(byName(r, "cfg-preview"))).toEqual(["722.70", "2168.10"]);
    expect(byName(r, "ep").linkedTo).toBe(cfg.urn);
    expectGolden("sagemaker-endpoint-via-dependencies", r);
  });

  it("two endpoints on one configuration each run their own copy", () => {
    const r = whole([
      config("shared", {
        productionVariants: [{ variantName: "v1", instanceType: "ml.g4dn.xlarge", initialInstanceCount: 1 }],
      }),
      resource(T.endpoint, "blue", { name: "blue", endpointConfigName: "shared" }),
      resource(T.endpoint, "green", { name: "green", endpointConfigName: "shared" }),
    ]);
    // 0.7364 x 730 x 2 = 1075.144
    expect(monthly(byName(r, "shared"))).toEqual(["1075.14", "1075.14"]);
    expectGolden("sagemaker-shared-configuration", r);
  });
});

describe("golden: Bedrock provisioned throughput", () => {
  const throughput = resource(T.provisionedThroughput, "claude", {
    modelArn: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-sonnet-20240229-v1:0",
    modelUnits: 2,
    commitmentDuration: "OneMonth",
  });

  it("is priced from a sheet bedrockRates entry", () => {
    const r = whole([throughput], withSheet);
    // 39.60 x 730 x 2 = 57816.00
    expect(monthly(byName(r, "claude"))).toEqual(["57816.00", "57816.00"]);
    expect(byName(r, "claude").monthly!.baseline!.lineItems[0]!.priceSource).toContain("quote Q-17");
    expectGolden("bedrock-priced", r);
  });

  it("is unpriced without one", () => {
    const r = whole([throughput]);
    expect(byName(r, "claude").status).toBe("unpriced");
    expect(byName(r, "claude").monthly).toBeNull();
    expectGolden("bedrock-unpriced", r);
  });
});

describe("golden: capacity reservations and blocks", () => {
  it("an On-Demand Capacity Reservation bills its count at on-demand", () => {
    const r = whole([
      resource(T.capacityReservation, "odcr", {
        instanceType: "p5.48xlarge",
        instanceCount: 2,
        availabilityZone: "us-east-1d",
        instancePlatform: "Linux/UNIX",
      }),
    ]);
    expect(monthly(byName(r, "odcr"))).toEqual(["80358.40", "80358.40"]);
    expect(byName(r, "odcr").category).toBe("capacity-reservation");
    expectGolden("capacity-reservation", r);
  });

  it("a Capacity Block is one-time spend from its declared tags, unknown without them", () => {
    const r = whole([
      resource(T.capacityBlock, "block-fee", {
        capacityBlockOfferingId: "cb-0123",
        tags: { "computeguard:upfront-fee-usd": "31449.60" },
      }),
      resource(T.capacityBlock, "block-declared", {
        capacityBlockOfferingId: "cb-0456",
        tags: {
          "computeguard:instance-type": "p5.48xlarge",
          "computeguard:instance-count": "2",
          "computeguard:training-hours": "24",
        },
      }),
      resource(T.capacityBlock, "block-bare", { capacityBlockOfferingId: "cb-0789" }),
    ]);
    expect(byName(r, "block-fee").oneTime?.total).toBe("31449.60");
    // 55.04 x 24 x 2 = 2641.92
    expect(byName(r, "block-declared").oneTime?.total).toBe("2641.92");
    const bare = byName(r, "block-bare");
    expect(bare.status).toBe("unknown");
    expect(bare.unknownFields).toEqual([
      "computeguard:instance-type",
      "computeguard:instance-count",
      "computeguard:training-hours",
    ]);
    expect(r.totals).toEqual({ monthlyBaseline: "0.00", monthlyWorstCase: "0.00", oneTime: "34091.52" });
    expectGolden("capacity-blocks", r);
  });
});

describe("golden: region resolution", () => {
  it("own region, then provider, then availability zone, then the default; a secret region is bounded by the dearest", () => {
    const inputs = parseStackExport(readJson("tests/fixtures/core/regions-stack-export.json"));
    const r = whole(inputs, { defaultRegion: "us-east-1", defaultRegionSource: "--region" });
    const region = (name: string) => byName(r, name).region;
    expect(region("own-region")).toEqual({ region: "eu-west-1", from: "resource" });
    expect(region("from-zone")).toEqual({ region: "us-east-1", from: "availability-zone" });
    expect(region("from-provider")).toEqual({ region: "eu-west-1", from: "provider" });
    // A secret region input is not the provider's: bounded by the dearest region selling the type.
    expect(region("secret-region")).toEqual({ region: "ap-east-1", from: "dearest" });
    expect(byName(r, "secret-region").status).toBe("unknown");
    expect(region("no-provider")).toEqual({ region: "us-east-1", from: "default" });
    // g4dn.xlarge: eu-west-1 0.587 x 730 = 428.51; us-east-1 and us-west-2 0.526 x 730 = 383.98
    expect(monthly(byName(r, "own-region"))).toEqual(["428.51", "428.51"]);
    // ap-east-1 0.81 x 730 = 591.30
    expect(monthly(byName(r, "secret-region"))?.[1]).toBe("591.30");
    expect(byName(r, "no-provider").assumptions[0]).toBe("region us-east-1 (default: --region)");
    const uncatalogued = byName(r, "uncatalogued-region");
    expect(uncatalogued.status).toBe("unpriced");
    expect(uncatalogued.reason).toContain(
      "g4dn.xlarge has no price for il-central-1: the catalog has no ec2 prices for that region",
    );
    expectGolden("region-resolution", r);
  });
});

describe("golden: unknowns", () => {
  it("unknown types and counts are flagged by field, never priced at $0", () => {
    const r = whole([
      resource(T.instance, "type-unknown", { instanceType: UNKNOWN }),
      resource(T.group, "max-unknown", {
        minSize: 1,
        maxSize: UNKNOWN,
        mixedInstancesPolicy: { launchTemplate: { overrides: [{ instanceType: "g5.xlarge" }] } },
      }),
      resource(T.nodeGroup, "template-missing", {
        launchTemplate: { id: "lt-not-here" },
        scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 1 },
      }),
      resource(T.endpoint, "config-unknown", { endpointConfigName: UNKNOWN }),
      resource(T.scalingTarget, "target-unknown", {
        resourceId: UNKNOWN,
        scalableDimension: SAGEMAKER_DIMENSION,
        minCapacity: 1,
        maxCapacity: 2,
      }),
      resource(T.instance, "not-a-gpu", { instanceType: "m5.large" }),
    ]);
    expect(r.counts).toEqual({ priced: 0, unpriced: 0, unknown: 5, "not-applicable": 1 });
    expect(byName(r, "type-unknown").unknownFields).toEqual(["instanceType"]);
    expect(byName(r, "max-unknown").unknownFields).toEqual(["maxSize"]);
    expect(byName(r, "template-missing").reason).toContain("not in this stack");
    expect(byName(r, "config-unknown").unknownFields).toEqual(["endpointConfigName"]);
    expect(byName(r, "target-unknown").unknownFields).toEqual(["resourceId"]);
    for (const res of r.resources) expect(res.monthly).toBeNull();
    expect(r.totals).toEqual({ monthlyBaseline: "0.00", monthlyWorstCase: "0.00", oneTime: "0.00" });
    expectGolden("unknowns", r);
  });

  it("an unknown type is bounded by the most expensive allowed type when bounds are given", () => {
    const r = whole([resource(T.instance, "bounded", { instanceType: UNKNOWN })], {
      boundingInstanceTypes: ["g5.xlarge", "p4d.24xlarge", "g6.xlarge"],
    });
    const bounded = byName(r, "bounded");
    expect(bounded.status).toBe("unknown");
    // p4d.24xlarge 21.957642 x 730 = 16029.07866
    expect(monthly(bounded)).toEqual(["16029.08", "16029.08"]);
    expectGolden("unknown-bounded", r);
  });
});
