import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createContext, estimateResource, estimateStack, stackLinks } from "../../src/estimate/estimator.js";
import type { EstimateStatus, ResourceEstimate, ResourceInput } from "../../src/estimate/types.js";
import { parseStackExport } from "../../src/inputs/stack-export.js";
import { parsePriceSheet } from "../../src/pricing/price-sheet.js";
import { SECRET_PLACEHOLDER, UNKNOWN } from "../../src/unknown.js";
import { resource, SAGEMAKER_DIMENSION, T } from "./support/resources.js";

/** How the engine serialises a secret value it has the plaintext of. */
const SECRET_OBJECT = {
  "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
  value: "p5.48xlarge",
};
const serverlessSheet = parsePriceSheet({ sagemakerServerless: { usdPerGbSecond: "0.00002" } });

function estimateAlone(input: ResourceInput, withSheet = false): ResourceEstimate {
  const stack = estimateStack([input], withSheet ? { priceSheet: serverlessSheet } : {});
  return stack.resources[0]!;
}

const template = { launchTemplate: { name: "lt" } };
const variant = (v: Record<string, unknown>) => ({ name: "cfg", productionVariants: [v] });
const goodVariant = { variantName: "v", instanceType: "ml.g5.xlarge", initialInstanceCount: 1 };
const target = (p: Record<string, unknown>) => ({
  resourceId: "endpoint/ep/variant/v",
  scalableDimension: SAGEMAKER_DIMENSION,
  minCapacity: 1,
  maxCapacity: 2,
  ...p,
});
const throughput = (p: Record<string, unknown>) => ({
  modelArn: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-sonnet-20240229-v1:0",
  modelUnits: 1,
  ...p,
});

type Case = [what: string, type: string, props: unknown, status: EstimateStatus, reason: string];

const CASES: Case[] = [
  // EC2 instance
  // null is absence (the registry's entrance): null props are no props, a null type no type.
  ["null props", T.instance, null, "unknown", "instanceType: required"],
  ["an array for props", T.instance, [], "unknown", "(root): Invalid input: expected object, received array"],
  [
    "a number for the type",
    T.instance,
    { instanceType: 5 },
    "unknown",
    "instanceType: expected a string, got 5",
  ],
  ["a null type", T.instance, { instanceType: null }, "unknown", "instanceType: required"],
  ["no type and no template", T.instance, {}, "unknown", "instanceType: required"],
  ["a secret type", T.instance, { instanceType: SECRET_PLACEHOLDER }, "unknown", "instanceType is a secret"],
  [
    "a secret object type",
    T.instance,
    { instanceType: SECRET_OBJECT },
    "unknown",
    "instanceType is a secret",
  ],
  [
    "an uncatalogued GPU type",
    T.instance,
    { instanceType: "p9.96xlarge" },
    "unpriced",
    "p9.96xlarge is not in the price catalog",
  ],
  [
    "an array for market options",
    T.instance,
    { instanceType: "g5.xlarge", instanceMarketOptions: [] },
    "unknown",
    "instanceMarketOptions: Invalid input: expected object, received array",
  ],
  [
    "a string for the template",
    T.instance,
    { launchTemplate: "lt-123" },
    "unknown",
    "launchTemplate: Invalid input: expected object, received string",
  ],
  // Auto Scaling group
  [
    "a string count",
    T.group,
    { minSize: "2", maxSize: 4, ...template },
    "unknown",
    'minSize: expected a number, got "2"',
  ],
  [
    "a negative count",
    T.group,
    { minSize: 0, maxSize: -1, ...template },
    "unknown",
    "maxSize: must not be negative",
  ],
  [
    "a huge count",
    T.group,
    { minSize: 0, maxSize: 1e9, ...template },
    "unknown",
    "maxSize: must be at most 100000",
  ],
  [
    "a fractional count",
    T.group,
    { minSize: 0, maxSize: 2.5, ...template },
    "unknown",
    "maxSize: must be a whole number",
  ],
  ["no maxSize", T.group, { minSize: 0, ...template }, "unknown", "maxSize: required"],
  [
    "desired above max",
    T.group,
    { minSize: 0, desiredCapacity: 5, maxSize: 2, ...template },
    "unknown",
    "desiredCapacity (5) is greater than maxSize (2)",
  ],
  [
    "desired below min",
    T.group,
    { minSize: 2, desiredCapacity: 1, maxSize: 4, ...template },
    "unknown",
    "desiredCapacity (1) is less than minSize (2)",
  ],
  [
    "min above max",
    T.group,
    { minSize: 3, maxSize: 2, ...template },
    "unknown",
    "minSize (3) is greater than maxSize (2)",
  ],
  [
    "no template at all",
    T.group,
    { minSize: 0, maxSize: 1 },
    "unknown",
    "launchTemplate: a group needs a launch template",
  ],
  [
    "an object for overrides",
    T.group,
    {
      minSize: 0,
      maxSize: 1,
      mixedInstancesPolicy: { launchTemplate: { overrides: { instanceType: "g5.xlarge" } } },
    },
    "unknown",
    "mixedInstancesPolicy.launchTemplate.overrides: Invalid input: expected array, received object",
  ],
  [
    "a number override type",
    T.group,
    {
      minSize: 0,
      maxSize: 1,
      mixedInstancesPolicy: { launchTemplate: { overrides: [{ instanceType: 7 }] } },
    },
    "unknown",
    "mixedInstancesPolicy.launchTemplate.overrides.0.instanceType: expected a string, got 7",
  ],
  [
    "an on-demand share over 100%",
    T.group,
    {
      minSize: 0,
      maxSize: 1,
      mixedInstancesPolicy: {
        launchTemplate: { overrides: [{ instanceType: "g5.xlarge" }] },
        instancesDistribution: { onDemandPercentageAboveBaseCapacity: 150 },
      },
    },
    "unknown",
    "mixedInstancesPolicy.instancesDistribution.onDemandPercentageAboveBaseCapacity:",
  ],
  // EKS node group
  [
    "no scalingConfig",
    T.nodeGroup,
    { instanceTypes: ["g5.xlarge"] },
    "unknown",
    "scalingConfig: Invalid input: expected object, received undefined",
  ],
  [
    "a string in scalingConfig",
    T.nodeGroup,
    { instanceTypes: ["g5.xlarge"], scalingConfig: { minSize: 0, maxSize: "3" } },
    "unknown",
    'scalingConfig.maxSize: expected a number, got "3"',
  ],
  [
    "a string for instanceTypes",
    T.nodeGroup,
    { instanceTypes: "g5.xlarge", scalingConfig: { minSize: 0, maxSize: 1 } },
    "unknown",
    "instanceTypes: Invalid input: expected array, received string",
  ],
  [
    "an unknown capacityType",
    T.nodeGroup,
    { instanceTypes: ["g5.xlarge"], capacityType: "RESERVED", scalingConfig: { minSize: 0, maxSize: 1 } },
    "unknown",
    "capacityType:",
  ],
  [
    "a secret instance type in the list",
    T.nodeGroup,
    { instanceTypes: ["g5.xlarge", SECRET_PLACEHOLDER], scalingConfig: { minSize: 0, maxSize: 1 } },
    "unknown",
    "instanceTypes is a secret",
  ],
  // SageMaker endpoint configuration
  [
    "no variants",
    T.endpointConfiguration,
    { productionVariants: [] },
    "unknown",
    "productionVariants: needs at least one variant",
  ],
  [
    "an object for variants",
    T.endpointConfiguration,
    { productionVariants: goodVariant },
    "unknown",
    "productionVariants: Invalid input: expected array, received object",
  ],
  [
    "no initial count",
    T.endpointConfiguration,
    variant({ instanceType: "ml.g5.xlarge" }),
    "unknown",
    "productionVariants[0].initialInstanceCount: required",
  ],
  [
    "a string initial count",
    T.endpointConfiguration,
    variant({ ...goodVariant, initialInstanceCount: "1" }),
    "unknown",
    'productionVariants.0.initialInstanceCount: expected a number, got "1"',
  ],
  [
    "no instance type",
    T.endpointConfiguration,
    variant({ initialInstanceCount: 1 }),
    "unknown",
    "productionVariants[0].instanceType: required",
  ],
  [
    "a secret instance type",
    T.endpointConfiguration,
    variant({ ...goodVariant, instanceType: SECRET_PLACEHOLDER }),
    "unknown",
    "productionVariants[0].instanceType is unknown",
  ],
  [
    "zero serverless concurrency",
    T.endpointConfiguration,
    variant({ serverlessConfig: { memorySizeInMb: 2048, maxConcurrency: 0 } }),
    "unknown",
    "productionVariants.0.serverlessConfig.maxConcurrency: must be at least 1",
  ],
  [
    "provisioned above max concurrency",
    T.endpointConfiguration,
    variant({ serverlessConfig: { memorySizeInMb: 2048, maxConcurrency: 2, provisionedConcurrency: 5 } }),
    "unknown",
    "productionVariants[0].serverlessConfig.provisionedConcurrency (5) is greater than maxConcurrency (2)",
  ],
  [
    "an unknown managed maximum",
    T.endpointConfiguration,
    variant({ ...goodVariant, managedInstanceScaling: { maxInstanceCount: UNKNOWN } }),
    "unknown",
    "productionVariants[0].managedInstanceScaling.maxInstanceCount unknown",
  ],
  [
    "an uncatalogued ml type",
    T.endpointConfiguration,
    variant({ ...goodVariant, instanceType: "ml.m5.large" }),
    "unpriced",
    "ml.m5.large is not in the price catalog",
  ],
  // SageMaker endpoint
  ["no configuration name", T.endpoint, {}, "unknown", "endpointConfigName: required"],
  [
    "a number for the configuration",
    T.endpoint,
    { endpointConfigName: 42 },
    "unknown",
    "endpointConfigName: expected a string, got 42",
  ],
  [
    "a configuration not in the stack",
    T.endpoint,
    { endpointConfigName: "elsewhere" },
    "unknown",
    "endpoint configuration elsewhere is not in this stack",
  ],
  // Application Auto Scaling target
  [
    "a string maxCapacity",
    T.scalingTarget,
    target({ maxCapacity: "10" }),
    "unknown",
    'maxCapacity: expected a number, got "10"',
  ],
  [
    "min above max capacity",
    T.scalingTarget,
    target({ minCapacity: 6, maxCapacity: 5 }),
    "unknown",
    "minCapacity (6) is greater than maxCapacity (5)",
  ],
  [
    "a secret maxCapacity",
    T.scalingTarget,
    target({ maxCapacity: SECRET_PLACEHOLDER }),
    "unknown",
    "maxCapacity is unknown",
  ],
  [
    "a resourceId that is not a variant",
    T.scalingTarget,
    target({ resourceId: "endpoint/ep" }),
    "unknown",
    'resourceId "endpoint/ep" is not endpoint/<name>/variant/<variant>',
  ],
  [
    "a variant of an endpoint not in the stack",
    T.scalingTarget,
    target({}),
    "unknown",
    "endpoint ep or its configuration is not in this stack",
  ],
  [
    "another service's target",
    T.scalingTarget,
    target({ resourceId: "service/c/s", scalableDimension: "ecs:service:DesiredCount" }),
    "not-applicable",
    "scales ecs:service:DesiredCount",
  ],
  // Bedrock provisioned throughput
  [
    "zero model units",
    T.provisionedThroughput,
    throughput({ modelUnits: 0 }),
    "unknown",
    "modelUnits: must be at least 1",
  ],
  [
    "an unknown commitment",
    T.provisionedThroughput,
    throughput({ commitmentDuration: "OneYear" }),
    "unknown",
    "commitmentDuration:",
  ],
  ["a null model", T.provisionedThroughput, throughput({ modelArn: null }), "unknown", "modelArn: required"],
  [
    "unknown model units",
    T.provisionedThroughput,
    throughput({ modelUnits: UNKNOWN }),
    "unknown",
    "modelUnits unknown",
  ],
  // Capacity reservation and block
  [
    "a zero reservation",
    T.capacityReservation,
    { instanceType: "p5.48xlarge", instanceCount: 0 },
    "unknown",
    "instanceCount: must be at least 1",
  ],
  [
    "a huge reservation",
    T.capacityReservation,
    { instanceType: "p5.48xlarge", instanceCount: 1e6 },
    "unknown",
    "instanceCount: must be at most 100000",
  ],
  ["no reserved type", T.capacityReservation, { instanceCount: 1 }, "unknown", "instanceType: required"],
  [
    "an unknown reserved count",
    T.capacityReservation,
    { instanceType: "p5.48xlarge", instanceCount: UNKNOWN },
    "unknown",
    "instanceCount unknown",
  ],
  [
    "a non-numeric block fee",
    T.capacityBlock,
    { tags: { "computeguard:upfront-fee-usd": "lots" } },
    "unknown",
    'computeguard:upfront-fee-usd: "lots" is not a non-negative number',
  ],
  [
    "a fractional block count",
    T.capacityBlock,
    {
      tags: {
        "computeguard:instance-type": "p5.48xlarge",
        "computeguard:instance-count": "2.5",
        "computeguard:training-hours": "24",
      },
    },
    "unknown",
    "computeguard:instance-count: 2.5 is not a whole count",
  ],
  [
    "an unpriced block type",
    T.capacityBlock,
    {
      tags: {
        "computeguard:instance-type": "p5e.48xlarge",
        "computeguard:instance-count": "1",
        "computeguard:training-hours": "24",
      },
    },
    "unpriced",
    "p5e.48xlarge in us-east-1: no on-demand price",
  ],
  // Not ours
  [
    "an unknown resource type",
    "aws:lambda/function:Function",
    { memorySize: 128 },
    "not-applicable",
    "not a GPU, accelerator or inference resource",
  ],
];

describe("malformed and undecidable inputs", () => {
  it.each(CASES)("%s on %s: named, and not priced", (_what, type, props, status, reason) => {
    const estimate = estimateAlone(resource(type, "r", props as Record<string, unknown>), true);
    expect(estimate.status).toBe(status);
    expect(estimate.reason).toContain(reason);
    // Never a priced $0: whatever is not priced carries no run-rate and no one-time spend.
    expect(estimate.monthly).toBeUndefined();
    expect(estimate.oneTime).toBeUndefined();
  });

  it("lists the undecidable field by its property path", () => {
    const estimate = estimateAlone(resource(T.instance, "r", { instanceType: SECRET_PLACEHOLDER }));
    expect(estimate.unknownFields).toEqual(["instanceType"]);
    const variantEstimate = estimateAlone(
      resource(T.endpointConfiguration, "c", variant({ ...goodVariant, initialInstanceCount: UNKNOWN })),
    );
    expect(variantEstimate.unknownFields).toEqual(["productionVariants[0].initialInstanceCount"]);
  });

  it("a malformed schedule tag is ignored visibly: priced always-on, with an assumption naming the tag", () => {
    const estimate = estimateAlone(
      resource(T.instance, "r", {
        instanceType: "g5.xlarge",
        tags: { "computeguard:hours-per-month": "1000" },
      }),
    );
    expect(estimate.status).toBe("priced");
    expect(estimate.monthly!.baseline.lineItems[0]!.quantity.toFixed()).toBe("730");
    expect(estimate.assumptions).toContain(
      "ignored malformed tag computeguard:hours-per-month: 1000 exceeds 744",
    );
  });
});

/** Every prop name an adapter reads, so fuzzed props hit real code paths. */
const PROP_NAMES = [
  "name",
  "region",
  "tags",
  "instanceType",
  "instanceTypes",
  "availabilityZone",
  "instanceMarketOptions",
  "launchTemplate",
  "minSize",
  "maxSize",
  "desiredCapacity",
  "mixedInstancesPolicy",
  "scalingConfig",
  "capacityType",
  "productionVariants",
  "shadowProductionVariants",
  "endpointConfigName",
  "resourceId",
  "scalableDimension",
  "minCapacity",
  "maxCapacity",
  "modelArn",
  "modelUnits",
  "commitmentDuration",
  "instanceCount",
];
const ADAPTER_TYPES = Object.values(T);

const oddValue = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom(UNKNOWN, SECRET_PLACEHOLDER, SECRET_OBJECT, null, -1, 1e9, Number.NaN, "p5.48xlarge"),
);
const oddResource = fc.record({
  type: fc.constantFrom(...ADAPTER_TYPES),
  name: fc.constantFrom("a", "b", "c"),
  props: fc.oneof(fc.dictionary(fc.constantFrom(...PROP_NAMES), oddValue), fc.constant(null)),
});

describe("fuzzed props", () => {
  it("never crash a stack estimate and never produce a negative or NaN amount", () => {
    fc.assert(
      fc.property(fc.array(oddResource, { maxLength: 6 }), (specs) => {
        // Each resource depends on the one before it, so link-following sees odd props too.
        const inputs: ResourceInput[] = [];
        for (const [i, s] of specs.entries()) {
          const previous = inputs[i - 1]?.urn ?? "urn:none";
          const links = {
            launchTemplate: [previous],
            endpointConfigName: [previous],
            resourceId: [previous],
          };
          inputs.push(
            resource(s.type, `${s.name}${i}`, s.props as Record<string, unknown>, {
              propertyDependencies: links,
            }),
          );
        }
        const stack = estimateStack(inputs);
        for (const e of stack.resources) {
          expect(["priced", "unpriced", "unknown", "not-applicable"]).toContain(e.status);
          if (e.status !== "priced") expect(e.reason?.length).toBeGreaterThan(0);
          for (const item of [
            ...(e.monthly?.baseline.lineItems ?? []),
            ...(e.monthly?.worstCase.lineItems ?? []),
          ]) {
            expect(item.amount.isNaN() || item.amount.isNegative()).toBe(false);
          }
        }
      }),
      { numRuns: 200 },
    );
  });

  it("never crash per-resource analysis either", () => {
    fc.assert(
      fc.property(fc.array(oddResource, { maxLength: 6 }), (specs) => {
        const links = stackLinks(false);
        const ctx = createContext({}, links);
        for (const [i, s] of specs.entries()) {
          const input = resource(s.type, `${s.name}${i}`, s.props as Record<string, unknown>);
          links.add(input);
          expect(() => estimateResource(input, ctx)).not.toThrow();
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("stack export shape", () => {
  it.each([
    ["an array", [], "(root): Invalid input: expected object, received array"],
    ["no deployment", { version: 3 }, "deployment:"],
    ["an unsupported version", { version: 9, deployment: {} }, "version:"],
    ["resources that are not a list", { version: 3, deployment: { resources: {} } }, "deployment.resources:"],
    [
      "a resource without a urn",
      { version: 3, deployment: { resources: [{ type: "aws:ec2/instance:Instance" }] } },
      "deployment.resources.0.urn:",
    ],
    [
      "inputs that are not a map",
      { version: 3, deployment: { resources: [{ urn: "u", type: "t", inputs: [] }] } },
      "deployment.resources.0.inputs:",
    ],
  ])("rejects %s, naming the field", (_what, json, field) => {
    expect(() => parseStackExport(json, "stack.json")).toThrow("stack.json: not a pulumi stack export (");
    expect(() => parseStackExport(json, "stack.json")).toThrow(field);
  });

  it("reads a stack with no resources as an empty stack", () => {
    expect(parseStackExport({ version: 3, deployment: {} })).toEqual([]);
  });
});
