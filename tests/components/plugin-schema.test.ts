import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// Building the TypeScript program over @pulumi/aws's type declarations takes ~10 s on a loaded machine.
const ANALYZER_TIMEOUT_MS = 90_000;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(import.meta.url);
const COMPONENTS = [
  "GpuInstance",
  "GpuNodeGroup",
  "InferenceEndpoint",
  "ProvisionedThroughput",
  "TrainingCapacityBlock",
];

interface Property {
  type?: string;
  $ref?: string;
  plain?: boolean;
  items?: Property;
  additionalProperties?: Property;
}
interface Schema {
  resources: Record<
    string,
    {
      isComponent: boolean;
      inputProperties: Record<string, Property>;
      requiredInputs: string[];
      properties: Record<string, Property>;
      required: string[];
    }
  >;
  types: Record<string, { properties?: Record<string, Property> }>;
}

describe("PulumiPlugin.yaml", () => {
  it("declares the nodejs runtime at the repository root", () => {
    const manifest = readFileSync(path.join(root, "PulumiPlugin.yaml"), "utf8");
    expect(manifest).toMatch(/^runtime:\s*nodejs\s*$/m);
  });
});

describe("the schema `pulumi package add` generates from the components", () => {
  it(
    "analyses every component with Pulumi's own analyzer: index-module tokens, no unions, typed args and outputs",
    () => {
      const { Analyzer } = require("@pulumi/pulumi/provider/experimental/analyzer.js");
      const { generateSchema } = require("@pulumi/pulumi/provider/experimental/schema.js");
      const packageJson = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8"));
      // The real package.json, as `pulumi package add` reads it: its main (dist/components/index.js)
      // has no TypeScript beside it, so the analyzer falls back to the root index.ts.
      const analyzer = new Analyzer(root, packageJson.name, packageJson, new Set(COMPONENTS));
      const { components, typeDefinitions, dependencies } = analyzer.analyze();
      const schema: Schema = generateSchema(
        packageJson.name,
        packageJson.version,
        "",
        components,
        typeDefinitions,
        dependencies,
      );

      expect(Object.keys(schema.resources).sort()).toEqual(
        COMPONENTS.map((c) => `computeguard:index:${c}`).sort(),
      );
      const json = JSON.stringify(schema);
      expect(json).not.toContain("pulumi.json#/Any");

      const instance = schema.resources["computeguard:index:GpuInstance"]!;
      expect(instance.isComponent).toBe(true);
      expect(instance.requiredInputs.sort()).toEqual(["ami", "instanceType"]);
      expect(instance.inputProperties.instanceType).toMatchObject({ type: "string", plain: true });
      expect(instance.inputProperties.economics).toMatchObject({
        $ref: "#/types/computeguard:index:EconomicsArgs",
      });
      expect(instance.inputProperties.priceSheet).toMatchObject({
        $ref: "#/types/computeguard:index:PriceSheetArgs",
      });
      expect(instance.properties.monthlyBaselineUsd).toMatchObject({ type: "string" });
      expect(instance.properties.acceleratorCount).toMatchObject({ type: "number" });
      expect(instance.required).toContain("costStatus");

      const endpoint = schema.resources["computeguard:index:InferenceEndpoint"]!;
      expect(endpoint.inputProperties.autoscaling).toMatchObject({
        $ref: "#/types/computeguard:index:EndpointAutoscalingArgs",
      });
      expect(endpoint.properties.grossMarginPercent).toMatchObject({ type: "string" });
      expect(
        schema.types["computeguard:index:EndpointAutoscalingArgs"]?.properties?.maxCapacity,
      ).toMatchObject({ type: "number" });

      const block = schema.resources["computeguard:index:TrainingCapacityBlock"]!;
      expect(block.requiredInputs.sort()).toEqual(["durationHours", "instanceCount", "instanceType"]);
      expect(block.properties.oneTimeUsd).toMatchObject({ type: "string" });

      const group = schema.resources["computeguard:index:GpuNodeGroup"]!;
      expect(group.requiredInputs.sort()).toEqual(
        [
          "clusterName",
          "desiredSize",
          "instanceTypes",
          "maxSize",
          "minSize",
          "nodeRoleArn",
          "subnetIds",
        ].sort(),
      );
    },
    ANALYZER_TIMEOUT_MS,
  );
});
