/**
 * What the rules read off an estimate instead of parsing its words: which unknown fields are a
 * scaler's maximum, and why a resource is unpriced (the price-sheet entry it lacks). Undecidable
 * props are a symbol the compiler keeps apart from real values.
 */
import { describe, expect, it } from "vitest";
import { estimateStack } from "../../src/estimate/estimator.js";
import type { ResourceEstimate, ResourceInput } from "../../src/estimate/types.js";
import { isKnown, orUnknown, shown, Text } from "../../src/resources/props.js";
import { SECRET_PLACEHOLDER, UNDECIDABLE, UNKNOWN } from "../../src/unknown.js";

const tags = { team: "research", "cost-center": "cc-42" };

function resource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  region = "us-east-1",
): ResourceInput {
  return { urn: `urn:pulumi:prod::ml::${type}::${name}`, type, name, props, providerRegion: region };
}

const estimate = (...inputs: ResourceInput[]): ResourceEstimate[] => estimateStack(inputs).resources;

describe("undecidable props", () => {
  it("parse to UNDECIDABLE, a symbol, for the engine's unknown and for a secret; real values pass through", () => {
    const schema = orUnknown(Text);
    expect(schema.parse(UNKNOWN)).toBe(UNDECIDABLE);
    expect(schema.parse(SECRET_PLACEHOLDER)).toBe(UNDECIDABLE);
    expect(schema.parse("undecidable")).toBe("undecidable");
    expect(typeof UNDECIDABLE).toBe("symbol");
    expect(isKnown(schema.parse("p5.48xlarge"))).toBe(true);
    expect(isKnown(UNDECIDABLE)).toBe(false);
    expect(shown(UNDECIDABLE)).toBe("unknown");
    expect(shown(3)).toBe(3);
  });

  it("cannot be used as the value it stands for", () => {
    const parsed: number | typeof UNDECIDABLE = orUnknown(Text.transform((s) => s.length)).parse(UNKNOWN);
    // @ts-expect-error: an undecidable count is not a number.
    const count: number = parsed;
    expect(count).toBe(UNDECIDABLE);
  });
});

describe("unknown maxima on the estimate", () => {
  it("names an unknown scaling maximum, and not an unknown minimum or initial count", () => {
    const [max] = estimate(
      resource("aws:eks/nodeGroup:NodeGroup", "max", {
        instanceTypes: ["g6.xlarge"],
        scalingConfig: { minSize: 0, desiredSize: 1, maxSize: UNKNOWN },
        tags,
      }),
    );
    expect(max!.unknownFields).toEqual(["scalingConfig.maxSize"]);
    expect(max!.unknownMaxima).toEqual(["scalingConfig.maxSize"]);

    const [min] = estimate(
      resource("aws:autoscaling/group:Group", "min", {
        minSize: UNKNOWN,
        maxSize: 4,
        launchConfiguration: "lc",
        tags: [],
      }),
      resource("aws:ec2/launchConfiguration:LaunchConfiguration", "lc", {
        name: "lc",
        instanceType: "g6.xlarge",
      }),
    );
    expect(min!.unknownFields).toEqual(["minSize"]);
    expect(min!.unknownMaxima).toBeUndefined();
  });

  it("names a SageMaker variant's unknown managed maximum, and a scaling target's unknown maxCapacity", () => {
    const [config] = estimate(
      resource("aws:sagemaker/endpointConfiguration:EndpointConfiguration", "cfg", {
        productionVariants: [
          {
            variantName: "v",
            instanceType: "ml.g5.xlarge",
            initialInstanceCount: 1,
            managedInstanceScaling: { status: "ENABLED", minInstanceCount: 1, maxInstanceCount: UNKNOWN },
          },
        ],
        tags,
      }),
    );
    expect(config!.unknownMaxima).toEqual(["productionVariants[0].managedInstanceScaling.maxInstanceCount"]);
    const [target] = estimate(
      resource("aws:appautoscaling/target:Target", "t", {
        resourceId: "endpoint/e/variant/v",
        scalableDimension: "sagemaker:variant:DesiredInstanceCount",
        minCapacity: 1,
        maxCapacity: UNKNOWN,
      }),
    );
    expect(target!.unknownMaxima).toEqual(["maxCapacity"]);
  });
});

describe("why a resource is unpriced, as a kind", () => {
  it("an instance type without a rate in its region, with a region that prices it", () => {
    const [eu] = estimate(
      resource("aws:ec2/instance:Instance", "eu", { instanceType: "g5.xlarge", tags }, "eu-south-1"),
    );
    expect(eu!.status).toBe("unpriced");
    expect(eu!.unpriced).toEqual({
      kind: "instance-rate",
      instanceType: "g5.xlarge",
      priceLike: "us-east-1",
    });
    const [uncatalogued] = estimate(
      resource("aws:ec2/instance:Instance", "new", { instanceType: "p7.48xlarge", tags }),
    );
    expect(uncatalogued!.unpriced).toEqual({ kind: "instance-rate", instanceType: "p7.48xlarge" });
  });

  it("a Bedrock model unit with its commitment term", () => {
    const [pt] = estimate(
      resource("aws:bedrock/provisionedModelThroughput:ProvisionedModelThroughput", "pt", {
        modelArn: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-sonnet-20240229-v1:0",
        modelUnits: 1,
        commitmentDuration: "SixMonths",
      }),
    );
    expect(pt!.status).toBe("unpriced");
    expect(pt!.unpriced).toMatchObject({
      kind: "bedrock-rate",
      model: "anthropic.claude-3-sonnet-20240229-v1:0",
      commitment: "6-month",
    });
  });

  it("serverless inference without a per-GB-second rate", () => {
    const [serverless] = estimate(
      resource("aws:sagemaker/endpointConfiguration:EndpointConfiguration", "sls", {
        productionVariants: [
          { variantName: "v", serverlessConfig: { memorySizeInMb: 2048, maxConcurrency: 5 } },
        ],
        tags,
      }),
    );
    expect(serverless!.status).toBe("unpriced");
    expect(serverless!.unpriced).toEqual({ kind: "serverless-rate" });
  });

  it("a type no adapter prices (the tripwire); a priced or unknown resource has no kind", () => {
    const [wire, priced, unknown] = estimate(
      resource("aws:gamelift/fleet:Fleet", "fleet", { ec2InstanceType: "g5.xlarge" }),
      resource("aws:ec2/instance:Instance", "ok", { instanceType: "g5.xlarge", tags }),
      resource("aws:ec2/instance:Instance", "later", { instanceType: UNKNOWN, tags }),
    );
    expect(wire!.unpriced).toEqual({ kind: "no-adapter" });
    expect(priced!.status).toBe("priced");
    expect(priced!.unpriced).toBeUndefined();
    expect(unknown!.status).toBe("unknown");
    expect(unknown!.unpriced).toBeUndefined();
  });
});
