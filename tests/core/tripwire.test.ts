/**
 * The tripwire and what it rests on: accelerator types derived from the catalog, properties scanned
 * by path, and the plan readers keeping what it catches.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { embeddedCatalog } from "../../src/catalog/catalog.js";
import { estimateStack } from "../../src/estimate/estimator.js";
import { planFromPreview } from "../../src/plan/preview.js";
import { acceleratorTypes } from "../../src/pricing/accelerator-types.js";
import { acceleratorMentions } from "../../src/resources/tripwire.js";
import { previewDoc, stateOf, step } from "../reports/support/preview-doc.js";

const types = acceleratorTypes(embeddedCatalog());

describe("accelerator types, derived from the catalog", () => {
  it("takes the family prefixes of the catalog's accelerator families", () => {
    expect(types.prefixes).toEqual(expect.arrayContaining(["dl", "g", "inf", "p", "trn"]));
  });

  it("recognises every catalog type, its SageMaker form, and uncatalogued types of the same families", () => {
    for (const e of embeddedCatalog().entries)
      expect(types.isAccelerator(e.instanceType), e.instanceType).toBe(true);
    for (const t of [
      "p2.xlarge",
      "g3s.xlarge",
      "gr6.4xlarge",
      "p6-b200.48xlarge",
      "ml.p5.48xlarge",
      "inf3.xlarge",
      "trn3.48xlarge",
    ])
      expect(types.isAccelerator(t), t).toBe(true);
    expect(types.isAcceleratorFamily("p2")).toBe(true);
    expect(types.isAcceleratorFamily("c5")).toBe(false);
  });

  it("does not take other families, other services' names, or words for instance types", () => {
    for (const t of [
      "t3.micro",
      "m7i.large",
      "c5.24xlarge",
      "r6g.large.search",
      "cache.r6g.large",
      "db.r5.large",
      "ml.t3.medium",
      "ml.m5.xlarge",
      "gp3",
      "p5",
      "prod.example.com",
      "g5",
    ])
      expect(types.isAccelerator(t), t).toBe(false);
    fc.assert(
      fc.property(
        fc.constantFrom("t", "m", "c", "r", "x", "z", "i", "d", "h", "a"),
        fc.integer({ min: 1, max: 9 }),
        fc.constantFrom("large", "xlarge", "24xlarge", "metal"),
        (family, gen, size) => {
          expect(types.isAccelerator(`${family}${gen}.${size}`)).toBe(false);
        },
      ),
    );
  });
});

describe("acceleratorMentions", () => {
  it("names every property path holding an accelerator type, in arrays and nested objects", () => {
    expect(
      acceleratorMentions(
        {
          a: "g5.xlarge",
          b: [{ c: "t3.micro" }, { c: "p5.48xlarge" }],
          d: { e: { f: "ml.g5.xlarge" } },
          n: 8,
        },
        types,
      ),
    ).toEqual([
      { path: "a", value: "g5.xlarge" },
      { path: "b[1].c", value: "p5.48xlarge" },
      { path: "d.e.f", value: "ml.g5.xlarge" },
    ]);
  });

  it("skips tags, Kubernetes metadata and scheduling, unknowns, and types inside longer strings", () => {
    expect(
      acceleratorMentions(
        {
          apiVersion: "v1",
          metadata: { labels: { t: "g5.xlarge" } },
          tags: { t: "g5.xlarge" },
          spec: {
            nodeSelector: { t: "g5.xlarge" },
            affinity: { x: "p5.48xlarge" },
            tolerations: [{ value: "p5.48xlarge" }],
          },
          userData: "#!/bin/bash\n# runs on g5.xlarge\n",
          unknown: "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
        },
        types,
      ),
    ).toEqual([]);
  });

  it("reads a CloudFormation template held by a type no adapter prices (JSON or YAML), not a long string", () => {
    const json = JSON.stringify({
      Resources: { Trainer: { Type: "AWS::EC2::Instance", Properties: { InstanceType: "p5.48xlarge" } } },
    });
    const yaml = [
      "Parameters:",
      "  Type: { Type: String, Default: g6e.12xlarge }",
      "Resources:",
      "  Nodes:",
      "    Type: AWS::EC2::Instance",
      "    Properties: { InstanceType: !Ref Type, ImageId: ami-1 }",
    ].join("\n");
    expect(acceleratorMentions({ templateBody: json }, types)).toEqual([
      { path: "templateBody.Resources.Trainer.Properties.InstanceType", value: "p5.48xlarge" },
    ]);
    expect(acceleratorMentions({ spec: { TemplateBody: yaml } }, types)).toEqual([
      { path: "spec.TemplateBody.Parameters.Type.Default", value: "g6e.12xlarge" },
    ]);
    // Other long strings, and templates naming no accelerator, still name nothing.
    expect(acceleratorMentions({ description: json, templateBody: json.replace("p5", "m5") }, types)).toEqual(
      [],
    );
  });

  it("looks inside secrets without printing them", () => {
    const secret = {
      "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
      value: "p4d.24xlarge",
    };
    expect(acceleratorMentions({ x: secret }, types)).toEqual([{ path: "x", value: "[secret]" }]);
  });
});

describe("estimate: plan readers and the whole-stack estimate keep what the tripwire catches", () => {
  const fleet = stateOf("aws:gamelift/fleet:Fleet", "game", { ec2InstanceType: "g5.xlarge", buildId: "b-1" });
  const bucket = stateOf("aws:s3/bucket:Bucket", "logs", { bucket: "logs" });
  const component = {
    ...stateOf("eks:index:NodeGroup", "ng", { instanceType: "p5.48xlarge" }),
    custom: false,
  };

  it("a preview's unpriced GPU type is a planned resource; buckets and components are only counted", () => {
    const p = planFromPreview(
      previewDoc([
        step("create", undefined, fleet),
        step("create", undefined, bucket),
        step("create", undefined, component),
      ]),
      "p.json",
    );
    expect(p.resources.map((r) => r.name)).toEqual(["game"]);
    const estimate = estimateStack([p.resources[0]!.after!]);
    expect(estimate.resources[0]!.status).toBe("unpriced");
    expect(estimate.resources[0]!.reason).toContain("ec2InstanceType = g5.xlarge");
  });
});
