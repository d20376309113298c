import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  estimateGpuNodeGroup,
  InvalidArgumentsError,
  validateGpuInstanceArgs,
  validateGpuNodeGroupArgs,
  validateInferenceEndpointArgs,
  validateProvisionedThroughputArgs,
  validateTrainingCapacityBlockArgs,
} from "../../components/index.js";
import { formatAmount, money } from "../../src/money.js";

// No Pulumi runtime here: the validation functions are plain code, testable on their own.

function problemsOf(check: () => unknown): readonly string[] {
  try {
    check();
  } catch (error) {
    if (error instanceof InvalidArgumentsError) return error.problems;
    throw error;
  }
  throw new Error("expected InvalidArgumentsError");
}

const ami = "ami-0abc";
const nodeGroup = {
  clusterName: "c",
  nodeRoleArn: "arn:role",
  subnetIds: ["s"],
  instanceTypes: ["g5.xlarge"],
};
const endpoint = {
  executionRoleArn: "arn:role",
  image: "img",
  instanceType: "ml.g5.2xlarge",
  initialInstanceCount: 1,
};

describe("validateGpuInstanceArgs", () => {
  it("accepts a catalog GPU type and returns the props passed to aws.ec2.Instance", () => {
    const plan = validateGpuInstanceArgs("g", {
      instanceType: "g5.xlarge",
      ami,
      marketType: "spot",
      region: "us-east-1",
    });
    expect(plan.costProps).toEqual({
      instanceType: "g5.xlarge",
      instanceMarketOptions: { marketType: "spot" },
      region: "us-east-1",
      tags: {},
    });
  });

  it.each([
    [
      { instanceType: "p5.48xlarg" },
      'instanceType: "p5.48xlarg" is not in the price catalog; give a priceSheet with a rate for it',
    ],
    [{ instanceType: "t3.micro" }, 'instanceType: "t3.micro" has no GPU or accelerator'],
    [
      { instanceType: "ml.g5.xlarge" },
      'instanceType: "ml.g5.xlarge" is a SageMaker instance type; EC2 types have no "ml." prefix',
    ],
    [
      { instanceType: "g5.xlarge", marketType: "reserved" },
      'marketType: must be one of "on-demand", "spot", got "reserved"',
    ],
    [{ instanceType: "g5.xlarge", hoursPerMonth: 0 }, "hoursPerMonth: must be greater than 0, got 0"],
    [{ instanceType: "g5.xlarge", hoursPerMonth: 745 }, "hoursPerMonth: must be at most 744, got 745"],
    [
      { instanceType: "g5.xlarge", region: "mars-1" },
      'region: expected an AWS region such as "us-east-1", got "mars-1"',
    ],
    [
      { instanceType: "g5.xlarge", region: "us-east-1", availabilityZone: "eu-west-1a" },
      "availabilityZone eu-west-1a is not in region us-east-1",
    ],
    [{ instanceType: "g5.xlarge", rootVolumeSizeGb: -5 }, "rootVolumeSizeGb: must not be negative, got -5"],
    [
      { instanceType: "g5.xlarge", economics: { tokensPerMonth: -1 } },
      "economics.tokensPerMonth: must be at least 0, got -1",
    ],
    [
      { instanceType: "g5.xlarge", economics: { throughputTokensPerSecond: 0 } },
      "economics.throughputTokensPerSecond: must be greater than 0, got 0",
    ],
    [
      { instanceType: "g5.xlarge", tags: { "computeguard:model": "x" } },
      "tags.computeguard:model: computeguard:* tags are set from economics",
    ],
    [
      { instanceType: "g5.xlarge", tags: { team: "a" }, economics: { team: "b" } },
      'tags.team ("a") disagrees with economics.team ("b")',
    ],
  ])("rejects %j", (args, problem) => {
    expect(problemsOf(() => validateGpuInstanceArgs("g", { ami, ...args }))).toEqual([problem]);
  });

  it("rejects a type unpriced in the region it is told to deploy in, unless the sheet prices it", () => {
    // p5e has no on-demand price in any region of the catalog (capacity blocks); p5 is priced in us-west-2.
    expect(
      problemsOf(() =>
        validateGpuInstanceArgs("g", { instanceType: "p5e.48xlarge", ami, region: "us-west-2" }),
      ),
    ).toEqual([
      expect.stringMatching(
        /^instanceType: cannot be priced: p5e\.48xlarge in us-west-2: listed in us-west-2 with no on-demand Linux price .*; give a priceSheet with a rate for it$/,
      ),
    ]);
    expect(() =>
      validateGpuInstanceArgs("g", { instanceType: "p5.48xlarge", ami, region: "us-west-2" }),
    ).not.toThrow();
    const priceSheet = {
      rates: [{ instanceType: "p5e.48xlarge", region: "us-west-2", usdPerHour: "60.00" }],
    };
    expect(() =>
      validateGpuInstanceArgs("g", { instanceType: "p5e.48xlarge", ami, region: "us-west-2", priceSheet }),
    ).not.toThrow();
  });

  it("accepts a type the catalog lacks when the price sheet has a rate for its family", () => {
    const priceSheet = { name: "acme", rates: [{ family: "p7", usdPerHour: "99.00" }] };
    expect(() =>
      validateGpuInstanceArgs("g", { instanceType: "p7.48xlarge", ami, priceSheet }),
    ).not.toThrow();
    expect(
      problemsOf(() => validateGpuInstanceArgs("g", { instanceType: "p8.48xlarge", ami, priceSheet })),
    ).toEqual(['instanceType: "p8.48xlarge" is not in the price catalog or price sheet "acme"']);
  });

  it("validates the price sheet with the core's schema, inline or from a file, never both", () => {
    expect(
      problemsOf(() =>
        validateGpuInstanceArgs("g", {
          instanceType: "g5.xlarge",
          ami,
          priceSheet: { discountPercent: 150 },
        }),
      ),
    ).toEqual(["priceSheet: invalid price sheet: discountPercent: must be <= 100"]);
    const dir = mkdtempSync(path.join(tmpdir(), "cg-sheet-"));
    const file = path.join(dir, "sheet.json");
    writeFileSync(file, JSON.stringify({ name: "from-file", spotFactor: "0.3" }));
    const plan = validateGpuInstanceArgs("g", { instanceType: "g5.xlarge", ami, priceSheetPath: file });
    expect(plan.priceSheet?.name).toBe("from-file");
    expect(
      problemsOf(() =>
        validateGpuInstanceArgs("g", {
          instanceType: "g5.xlarge",
          ami,
          priceSheet: {},
          priceSheetPath: file,
        }),
      ),
    ).toEqual(["give priceSheet or priceSheetPath, not both"]);
    expect(
      problemsOf(() =>
        validateGpuInstanceArgs("g", {
          instanceType: "g5.xlarge",
          ami,
          priceSheetPath: path.join(dir, "none.json"),
        }),
      ),
    ).toEqual([expect.stringMatching(/^priceSheetPath: cannot read price sheet .*none\.json/)]);
  });

  it("reports every problem at once in one line naming the component", () => {
    const error = (() => {
      try {
        validateGpuInstanceArgs("g", { instanceType: "t3.micro", ami, marketType: "x", hoursPerMonth: 1000 });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).toBe(
      'GpuInstance "g": instanceType: "t3.micro" has no GPU or accelerator; marketType: must be one of "on-demand", "spot", got "x"; hoursPerMonth: must be at most 744, got 1000',
    );
    expect(error?.message).not.toContain("\n");
  });
});

describe("every validator", () => {
  it.each([
    ["GpuInstance", validateGpuInstanceArgs],
    ["GpuNodeGroup", validateGpuNodeGroupArgs],
    ["InferenceEndpoint", validateInferenceEndpointArgs],
    ["ProvisionedThroughput", validateProvisionedThroughputArgs],
    ["TrainingCapacityBlock", validateTrainingCapacityBlockArgs],
  ] as const)("%s names a missing arguments object instead of crashing on it", (component, validate) => {
    expect(() => validate("x", undefined as never)).toThrow(
      `${component} "x": args: expected an object, got undefined`,
    );
  });
});

describe("validateGpuNodeGroupArgs", () => {
  it.each([
    [{ minSize: -1, desiredSize: 1, maxSize: 2 }, ["minSize: must not be negative, got -1"]],
    [{ minSize: 3, desiredSize: 3, maxSize: 2 }, ["minSize (3) is greater than maxSize (2)"]],
    [{ minSize: 1, desiredSize: 5, maxSize: 4 }, ["desiredSize (5) is above maxSize (4)"]],
    [{ minSize: 2, desiredSize: 1, maxSize: 4 }, ["desiredSize (1) is below minSize (2)"]],
    [{ minSize: 0, desiredSize: 0, maxSize: 0 }, ["maxSize: must be at least 1, got 0"]],
    [{ minSize: 0, desiredSize: 1.5, maxSize: 2 }, ["desiredSize: must be a whole number, got 1.5"]],
    [
      { minSize: 0, desiredSize: 1, maxSize: 2, capacityType: "spot" },
      ['capacityType: must be one of "ON_DEMAND", "SPOT", "CAPACITY_BLOCK", got "spot"'],
    ],
    [
      { minSize: 0, desiredSize: 1, maxSize: 2, instanceTypes: [] },
      ["instanceTypes: give at least one GPU or accelerator instance type"],
    ],
    [
      { minSize: 0, desiredSize: 1, maxSize: 2, instanceTypes: ["g5.xlarge", "m5.large"] },
      ['instanceTypes[1]: "m5.large" has no GPU or accelerator'],
    ],
  ])("rejects %j", (args, problems) => {
    expect(problemsOf(() => validateGpuNodeGroupArgs("n", { ...nodeGroup, ...args }))).toEqual(problems);
  });

  it("rejects exactly the scaling triples outside min <= desired <= max, and prices the rest desired..max", () => {
    const scope = {
      stack: "dev",
      project: "p",
      componentType: "computeguard:index:GpuNodeGroup",
      providerRegion: "us-east-1",
    };
    const hourly = money("1.006"); // g5.xlarge us-east-1 in the catalog
    fc.assert(
      fc.property(
        fc.nat(40),
        fc.nat(40),
        fc.integer({ min: 1, max: 40 }),
        (minSize, desiredSize, maxSize) => {
          const ok = minSize <= desiredSize && desiredSize <= maxSize;
          const run = () => validateGpuNodeGroupArgs("n", { ...nodeGroup, minSize, desiredSize, maxSize });
          if (!ok) {
            expect(run).toThrow(InvalidArgumentsError);
            return;
          }
          const cost = estimateGpuNodeGroup("n", run(), scope);
          expect(cost.monthlyBaselineUsd).toBe(formatAmount(hourly.times(730).times(desiredSize)));
          expect(cost.monthlyWorstCaseUsd).toBe(formatAmount(hourly.times(730).times(maxSize)));
          expect(cost.acceleratorCount).toBe(maxSize);
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("validateInferenceEndpointArgs", () => {
  const scaling = { minCapacity: 1, maxCapacity: 4, targetInvocationsPerInstance: 100 };
  it.each([
    [{ initialInstanceCount: 0 }, ["initialInstanceCount: must be at least 1, got 0"]],
    [
      { instanceType: "g5.xlarge" },
      ['instanceType: "g5.xlarge" is not a SageMaker instance type (they start with "ml.")'],
    ],
    [
      { autoscaling: { ...scaling, maxCapacity: 200_000 } },
      ["autoscaling.maxCapacity: must be at most 100000, got 200000"],
    ],
    [{ autoscaling: { ...scaling, minCapacity: 0 } }, ["autoscaling.minCapacity: must be at least 1, got 0"]],
    [
      { initialInstanceCount: 5, autoscaling: scaling },
      ["initialInstanceCount (5) is above autoscaling.maxCapacity (4)"],
    ],
    [
      { autoscaling: { ...scaling, minCapacity: 5 } },
      ["autoscaling.minCapacity (5) is greater than autoscaling.maxCapacity (4)"],
    ],
    [
      { autoscaling: { minCapacity: 1, maxCapacity: 2 } },
      ["autoscaling.targetInvocationsPerInstance: required"],
    ],
  ])("rejects %j", (args, problems) => {
    expect(
      problemsOf(() => validateInferenceEndpointArgs("e", { ...endpoint, ...(args as object) })),
    ).toEqual(problems);
  });
});

describe("validateProvisionedThroughputArgs", () => {
  it("maps the commitment to Bedrock's commitmentDuration", () => {
    const plan = validateProvisionedThroughputArgs("p", {
      modelArn: "m",
      modelUnits: 1,
      commitment: "6-month",
    });
    expect(plan.costProps.commitmentDuration).toBe("SixMonths");
  });

  it("requires a model", () => {
    expect(problemsOf(() => validateProvisionedThroughputArgs("p", { modelArn: "", modelUnits: 1 }))).toEqual(
      ["modelArn: required"],
    );
  });
});

describe("validateTrainingCapacityBlockArgs", () => {
  const block = { instanceType: "p5.48xlarge", instanceCount: 2, durationHours: 48 };
  it("accepts a Capacity-Block-only type the catalog has no on-demand price for", () => {
    expect(() =>
      validateTrainingCapacityBlockArgs("t", { ...block, instanceType: "p5e.48xlarge" }),
    ).not.toThrow();
  });

  it.each([
    [{ durationHours: 30 }, ["durationHours: must be whole days (a multiple of 24), got 30"]],
    [{ durationHours: 5000 }, ["durationHours: must be at most 4368, got 5000"]],
    [{ durationHours: 12 }, ["durationHours: must be at least 24, got 12"]],
    [{ instanceCount: 0 }, ["instanceCount: must be at least 1, got 0"]],
    [
      { startDateRange: "next week" },
      ['startDateRange: expected an ISO 8601 date such as "2026-09-01T00:00:00Z", got "next week"'],
    ],
    [
      { startDateRange: "2026-09-08T00:00:00Z", endDateRange: "2026-09-01T00:00:00Z" },
      ["startDateRange (2026-09-08T00:00:00Z) is not before endDateRange (2026-09-01T00:00:00Z)"],
    ],
  ])("rejects %j", (args, problems) => {
    expect(problemsOf(() => validateTrainingCapacityBlockArgs("t", { ...block, ...args }))).toEqual(problems);
  });

  it("accepts whole weeks beyond 14 days up to 182 days", () => {
    expect(() => validateTrainingCapacityBlockArgs("t", { ...block, durationHours: 168 * 26 })).not.toThrow();
    expect(() => validateTrainingCapacityBlockArgs("t", { ...block, durationHours: 24 * 14 })).not.toThrow();
  });
});
