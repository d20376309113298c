import fc from "fast-check";
import { embeddedCatalog } from "../../../src/catalog/catalog.js";
import type { ResourceInput } from "../../../src/estimate/types.js";
import { resource, SAGEMAKER_DIMENSION, T } from "./resources.js";

/** Types with a catalog price in us-east-1 (the default region), by service. */
const pricedTypes = (service: "ec2" | "sagemaker") =>
  embeddedCatalog()
    .entries.filter((e) => e.region === "us-east-1" && e.service === service && e.usdPerHour !== null)
    .map((e) => e.instanceType);

export const EC2_TYPES = pricedTypes("ec2");
export const SAGEMAKER_TYPES = pricedTypes("sagemaker");

export const ec2Type = fc.constantFrom(...EC2_TYPES);
export const sagemakerType = fc.constantFrom(...SAGEMAKER_TYPES);
const ec2Types = fc.uniqueArray(ec2Type, { minLength: 1, maxLength: 3 });

/** A decimal string with up to four places, e.g. "12.3456". */
export const decimalText = (maxUnits: number) =>
  fc.integer({ min: 0, max: maxUnits * 10_000 }).map((n) => (n / 10_000).toFixed(4));

/** min <= desired <= max. */
export const scalingCounts = fc
  .tuple(fc.nat(20), fc.nat(20), fc.nat(20))
  .map(([a, b, c]) => [a, b, c].sort((x, y) => x - y) as [number, number, number]);

const scheduleTags = fc
  .option(fc.integer({ min: 1, max: 744 }), { nil: undefined })
  .map((hours) => (hours === undefined ? {} : { tags: { "computeguard:hours-per-month": String(hours) } }));

export interface ComputeSpec {
  kind: "instance" | "group" | "nodeGroup" | "reservation";
  types: string[];
  spot: boolean;
  counts: [number, number, number];
  onDemandBase: number;
  onDemandPercent: number;
  tags: Record<string, unknown>;
}

export const computeSpec: fc.Arbitrary<ComputeSpec> = fc.record({
  kind: fc.constantFrom("instance", "group", "nodeGroup", "reservation"),
  types: ec2Types,
  spot: fc.boolean(),
  counts: scalingCounts,
  onDemandBase: fc.nat(5),
  onDemandPercent: fc.integer({ min: 0, max: 100 }),
  tags: scheduleTags,
});

/** The resource a compute spec describes; its counts are the scaling min/desired/max. */
export function computeResource(spec: ComputeSpec, name: string): ResourceInput {
  const [min, desired, max] = spec.counts;
  switch (spec.kind) {
    case "instance":
      return resource(T.instance, name, {
        instanceType: spec.types[0],
        ...(spec.spot ? { instanceMarketOptions: { marketType: "spot" } } : {}),
        ...spec.tags,
      });
    case "group":
      return resource(T.group, name, {
        minSize: min,
        desiredCapacity: desired,
        maxSize: max,
        mixedInstancesPolicy: {
          launchTemplate: { overrides: spec.types.map((instanceType) => ({ instanceType })) },
          instancesDistribution: {
            onDemandBaseCapacity: spec.onDemandBase,
            onDemandPercentageAboveBaseCapacity: spec.onDemandPercent,
          },
        },
        ...spec.tags,
      });
    case "nodeGroup":
      return resource(T.nodeGroup, name, {
        instanceTypes: spec.types,
        capacityType: spec.spot ? "SPOT" : "ON_DEMAND",
        scalingConfig: { minSize: min, desiredSize: desired, maxSize: max },
        ...spec.tags,
      });
    case "reservation":
      return resource(T.capacityReservation, name, {
        instanceType: spec.types[0],
        instanceCount: Math.max(desired, 1),
        ...spec.tags,
      });
  }
}

export interface EndpointSpec {
  variants: Array<{ type: string; initial: number; managedMax?: number | undefined }>;
  target?: { min: number; max: number } | undefined;
  serverless?: { memoryMb: number; max: number; provisioned: number } | undefined;
}

export const endpointSpec: fc.Arbitrary<EndpointSpec> = fc.record({
  variants: fc.array(
    fc.record({
      type: sagemakerType,
      initial: fc.integer({ min: 1, max: 5 }),
      managedMax: fc.option(fc.integer({ min: 1, max: 10 }), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 2 },
  ),
  target: fc.option(
    fc.tuple(fc.nat(8), fc.nat(8)).map(([a, b]) => ({ min: Math.min(a, b), max: Math.max(a, b) })),
    { nil: undefined },
  ),
  serverless: fc.option(
    fc
      .record({
        memoryMb: fc.constantFrom(1024, 2048, 3072, 4096, 6144),
        max: fc.integer({ min: 1, max: 20 }),
      })
      .chain((s) => fc.nat(s.max).map((provisioned) => ({ ...s, provisioned }))),
    { nil: undefined },
  ),
});

/** Configuration, endpoint and (optionally) a scaling target on the first variant, in creation order. */
export function endpointResources(spec: EndpointSpec, name: string): ResourceInput[] {
  const variants: Array<Record<string, unknown>> = spec.variants.map((v, i) => ({
    variantName: `v${i}`,
    instanceType: v.type,
    initialInstanceCount: v.initial,
    ...(v.managedMax === undefined ? {} : { managedInstanceScaling: { maxInstanceCount: v.managedMax } }),
  }));
  if (spec.serverless) {
    const s = spec.serverless;
    variants.push({
      variantName: "serverless",
      serverlessConfig: {
        memorySizeInMb: s.memoryMb,
        maxConcurrency: s.max,
        provisionedConcurrency: s.provisioned,
      },
    });
  }
  const out = [
    resource(T.endpointConfiguration, `${name}-config`, {
      name: `${name}-config`,
      productionVariants: variants,
    }),
    resource(T.endpoint, name, { name, endpointConfigName: `${name}-config` }),
  ];
  if (spec.target) {
    out.push(
      resource(T.scalingTarget, `${name}-scaling`, {
        resourceId: `endpoint/${name}/variant/v0`,
        scalableDimension: SAGEMAKER_DIMENSION,
        minCapacity: spec.target.min,
        maxCapacity: spec.target.max,
      }),
    );
  }
  return out;
}

export const bedrockUnits = fc.integer({ min: 1, max: 10 });

export function bedrockResource(units: number, name: string): ResourceInput {
  return resource(T.provisionedThroughput, name, {
    modelArn: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0",
    modelUnits: units,
  });
}

/** A stack of valid, priceable resources with unique names. */
export const validStack: fc.Arbitrary<ResourceInput[]> = fc
  .tuple(
    fc.array(computeSpec, { maxLength: 5 }),
    fc.array(endpointSpec, { maxLength: 2 }),
    fc.array(bedrockUnits, { maxLength: 2 }),
  )
  .map(([compute, endpoints, bedrock]) => [
    ...compute.map((s, i) => computeResource(s, `compute-${i}`)),
    ...endpoints.flatMap((s, i) => endpointResources(s, `endpoint-${i}`)),
    ...bedrock.map((u, i) => bedrockResource(u, `bedrock-${i}`)),
  ]);

/** A price sheet that prices everything the valid stacks hold (Bedrock and serverless need one). */
export const priceSheetJson = fc.record({
  discountPercent: fc.integer({ min: 0, max: 60 }),
  spotFactor: fc.option(
    fc.integer({ min: 1, max: 100 }).map((n) => (n / 100).toFixed(2)),
    { nil: undefined },
  ),
  savingsPlan: fc.option(
    fc.record({
      discountPercent: fc.integer({ min: 0, max: 60 }),
      services: fc.subarray(["ec2", "sagemaker"] as const, { minLength: 1 }),
    }),
    { nil: undefined },
  ),
  bedrockRates: decimalText(100).map((rate) => [{ model: "anthropic.*", usdPerModelUnitHour: rate }]),
  sagemakerServerless: fc
    .integer({ min: 1, max: 100 })
    .map((n) => ({ usdPerGbSecond: (n / 1e6).toFixed(6) })),
});
