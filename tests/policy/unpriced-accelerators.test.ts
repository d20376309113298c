import { describe, expect, it } from "vitest";
import { unpricedAccelerators } from "../../src/policy/rules/unpriced-accelerators.js";
import { UNKNOWN } from "../../src/unknown.js";
import { check, findings, instance, resource, session, sheet, tags } from "./support.js";

describe("unpriced-accelerators", () => {
  it("fails closed on a capacity-block-only type and says what to add to the price sheet", () => {
    expect(findings(check(unpricedAccelerators, {}, [instance("h200", "p5e.48xlarge")]))).toEqual([
      'blocked: h200 cannot be priced: p5e.48xlarge in us-east-1: no on-demand price in the us-east-1 Price List: sold through EC2 Capacity Blocks only. To price it, add {"rates": [{"instanceType": "p5e.48xlarge", "region": "us-east-1", "usdPerHour": "<rate>"}]} to the price sheet (computeguard-settings priceSheet)',
    ]);
  });

  it("passes once the price sheet prices it", () => {
    const s = session({ priceSheet: sheet({ rates: [{ instanceType: "p5e.48xlarge", usdPerHour: "70" }] }) });
    expect(findings(check(unpricedAccelerators, {}, [instance("h200", "p5e.48xlarge")], s))).toEqual([]);
  });

  it("names the regions rule, with a region that has a price, as the one-line fix", () => {
    const eu = resource("aws:ec2/instance:Instance", "eu", { instanceType: "g5.xlarge", tags }, "eu-south-1");
    expect(findings(check(unpricedAccelerators, {}, [eu]))).toEqual([
      'blocked: eu cannot be priced: g5.xlarge has no on-demand price for eu-south-1 in the catalog (not offered there) (priced in us-east-1, ap-east-1, ap-northeast-1, ap-northeast-2 and 11 more); a price-sheet regions rule {"eu-south-1": {"priceLike": "us-east-1", "multiplier": "<ratio>"}} or rate prices it. To price it, add {"regions": {"eu-south-1": {"priceLike": "us-east-1", "multiplier": "<ratio>"}}} (one line: everything in eu-south-1 at us-east-1\'s catalog prices x the ratio), or {"rates": [{"instanceType": "g5.xlarge", "region": "eu-south-1", "usdPerHour": "<rate>"}]} to the price sheet (computeguard-settings priceSheet)',
    ]);
    const s = session({
      priceSheet: sheet({ regions: { "eu-south-1": { priceLike: "eu-west-1", multiplier: "1" } } }),
    });
    expect(findings(check(unpricedAccelerators, {}, [eu], s))).toEqual([]);
  });

  it("flags a Bedrock throughput without a rate, with the bedrockRates entry to add for its term", () => {
    // The catalog has Claude 3 Sonnet without commitment only (FMBench, $88): a 6-month term is unpriced.
    const pt = resource("aws:bedrock/provisionedModelThroughput:ProvisionedModelThroughput", "pt", {
      modelArn: "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-sonnet-20240229-v1:0",
      modelUnits: 1,
      commitmentDuration: "SixMonths",
    });
    expect(findings(check(unpricedAccelerators, {}, [pt]))[0]).toContain(
      '{"bedrockRates": [{"model": "anthropic.claude-3-sonnet-20240229-v1:0", "commitment": "6-month", "usdPerModelUnitHour": "<rate>"}]}',
    );
  });

  it("flags an unknown type that cannot be bounded, naming the field; never passes it as free", () => {
    expect(findings(check(unpricedAccelerators, {}, [instance("x", UNKNOWN)]))).toEqual([
      "blocked: x's cost cannot be bounded (instanceType): instanceType is unknown until the resource is created",
    ]);
    expect(findings(check(unpricedAccelerators, {}, [instance("new-gpu", "p7.48xlarge")]))[0]).toContain(
      "p7.48xlarge is not in the price catalog",
    );
  });

  it("flags a type no adapter prices when it names an accelerator type (the tripwire), with the path and value", () => {
    const fleet = resource("aws:gamelift/fleet:Fleet", "game", {
      ec2InstanceType: "p5.48xlarge",
      buildId: "b-1",
    });
    const [finding] = findings(check(unpricedAccelerators, {}, [fleet]));
    expect(finding).toContain("computeguard has no adapter for aws:gamelift/fleet:Fleet");
    expect(finding).toContain("ec2InstanceType = p5.48xlarge");
    // A rate cannot price a type without an adapter: the finding does not offer one.
    expect(finding).not.toContain("price sheet");
    expect(
      findings(
        check(unpricedAccelerators, {}, [resource("aws:s3/bucket:Bucket", "b", { bucket: "p5.48xlarge" })]),
      ),
    ).toHaveLength(1);
    expect(
      findings(check(unpricedAccelerators, {}, [resource("aws:s3/bucket:Bucket", "c", { bucket: "logs" })])),
    ).toEqual([]);
  });

  it("names the unpriced candidate of a worst case, not the first listed type", () => {
    const group = resource("aws:autoscaling/group:Group", "mixed", {
      minSize: 0,
      maxSize: 8,
      mixedInstancesPolicy: {
        launchTemplate: {
          launchTemplateSpecification: { launchTemplateName: "base" },
          overrides: [{ instanceType: "g4dn.xlarge" }, { instanceType: "p5e.48xlarge" }],
        },
      },
    });
    const [finding] = findings(check(unpricedAccelerators, {}, [group]));
    expect(finding).toContain("the worst case is unknown: p5e.48xlarge");
    expect(finding).toContain('"instanceType": "p5e.48xlarge"');
  });
});
