/**
 * No fail-open, driven as the engine drives the pack: every resource that can run an accelerator is
 * priced or flagged, in preview (unknowns as the sentinel) and in update (real values), per
 * resource (Analyze) and for the whole stack (AnalyzeStack of outputs with property dependencies).
 */
import { describe, expect, it } from "vitest";
import type { Diagnostic, ResourceInput, StackResourceInput } from "../../harness/engine.js";
import { UNKNOWN } from "../../harness/engine.js";
import { by, mandatory, packSession, provider } from "./support.js";

const pack = packSession();
const urn = (type: string, name: string) => `urn:pulumi:prod::ml::${type}::${name}`;
const unpriced = (ds: Diagnostic[]) => mandatory(by(ds, "unpriced-accelerators"));
const policies = (ds: Diagnostic[]) => [...new Set(mandatory(ds).map((d) => d.policyName))].sort();

/** A resource as Analyze sees it (inputs) and, with `outputs`, as AnalyzeStack does. */
type Deployed = StackResourceInput & { outputs?: Record<string, unknown> };

/** Analyze each resource in order (inputs), then AnalyzeStack over all of them (outputs). */
async function deploy(
  resources: Deployed[],
  opts: Parameters<typeof pack.launch>[0] = {},
): Promise<{ perResource: Diagnostic[][]; stack: Diagnostic[]; summary: string }> {
  const { client } = await pack.launch(opts);
  const perResource: Diagnostic[][] = [];
  for (const r of resources) {
    const { propertyDependencies: _, dependencies: __, outputs: ___, ...analyzed } = r;
    perResource.push((await client.analyze(analyzed as ResourceInput)).diagnostics);
  }
  const stack = (
    await client.analyzeStack(
      resources.map(({ outputs, ...r }) => ({ ...r, properties: { ...r.properties, ...outputs } })),
    )
  ).diagnostics;
  return { perResource, stack, summary: client.stdoutAfterPort() };
}

const LC = "aws:ec2/launchConfiguration:LaunchConfiguration";
const CFN = "aws:cloudformation/stack:Stack";

/** An @pulumi/eks NodeGroup as it registers: a launch configuration and a CloudFormation stack with the ASG. */
function eksNodeGroup(instanceType: string, templateBody: string | typeof UNKNOWN) {
  const lcName = "ng-nodeLaunchConfiguration-24c93f4";
  const body =
    templateBody === UNKNOWN
      ? UNKNOWN
      : `
                AWSTemplateFormatVersion: '2010-09-09'
                Resources:
                    NodeGroup:
                        Type: AWS::AutoScaling::AutoScalingGroup
                        Properties:
                          DesiredCapacity: 1
                          LaunchConfigurationName: ${lcName}
                          MinSize: 1
                          MaxSize: 8
                          VPCZoneIdentifier: ["subnet-03711d3b9b21b3a8e"]
                `;
  return [
    {
      type: LC,
      name: "ng-nodeLaunchConfiguration",
      parent: "urn:pulumi:prod::ml::eks:index:NodeGroup::ng",
      provider,
      properties: {
        name: lcName,
        instanceType,
        imageId: "ami-1",
        spotPrice: "1",
        associatePublicIpAddress: true,
      },
    },
    {
      type: CFN,
      name: "ng-nodes",
      parent: "urn:pulumi:prod::ml::eks:index:NodeGroup::ng",
      provider,
      properties: { name: "ng-a4ec05d6", templateBody: body, tags: { Name: "ng-nodes" } },
      propertyDependencies: {
        templateBody: [urn(`eks:index:NodeGroup$${LC}`, "ng-nodeLaunchConfiguration")],
      },
    },
  ] satisfies StackResourceInput[];
}

describe("@pulumi/eks NodeGroup: an ASG inside a CloudFormation stack, on a launch configuration", () => {
  it("update: priced from the launch configuration (8 x p4d.24xlarge is over the $20,000 limit)", async () => {
    const { perResource, stack } = await deploy(eksNodeGroup("p4d.24xlarge", "known"), { dryRun: false });
    expect(mandatory(perResource[0]!)).toEqual([]);
    const budget = by(perResource[1]!, "gpu-resource-budget");
    expect(budget.map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
    // 8 x 21.957642 x 730 = 128232.63
    expect(budget[0]!.message).toContain("$128,232.63/mo");
    expect(budget[0]!.message).toContain("NodeGroup: p4d.24xlarge on-demand $21.957642/h x 730 h x 8");
    expect(unpriced(perResource[1]!)).toEqual([]);
    expect(unpriced(stack)).toEqual([]);
  });

  it("preview: the unknown template of a GPU launch configuration is a mandatory finding, not $0", async () => {
    const { perResource, stack } = await deploy(eksNodeGroup("p4d.24xlarge", UNKNOWN));
    const finding = unpriced(perResource[1]!);
    expect(finding).toHaveLength(1);
    expect(finding[0]!.message).toContain("templateBody");
    expect(finding[0]!.message).toContain("p4d.24xlarge");
    expect(perResource[1]!.some((d) => d.message.includes("can't run"))).toBe(false);
    // One finding per resource and policy: the stack phase does not say it again.
    expect(unpriced(stack)).toEqual([]);
  });

  it("preview and update: a t3.medium node group (the recorded pulumi-eks shape) has no finding at all", async () => {
    for (const [dryRun, body] of [
      [true, UNKNOWN],
      [false, "known"],
    ] as const) {
      const { perResource, stack } = await deploy(eksNodeGroup("t3.medium", body), { dryRun });
      expect(
        perResource.flatMap(mandatory).map((d) => d.message),
        `dryRun=${dryRun}`,
      ).toEqual([]);
      expect(
        mandatory(stack).map((d) => d.message),
        `dryRun=${dryRun}`,
      ).toEqual([]);
      await pack.close();
    }
  }, 60_000);
});

describe("the tripwire: types no adapter prices are flagged when they name an accelerator type", () => {
  const flagged: StackResourceInput[] = [
    {
      type: "aws:gamelift/fleet:Fleet",
      name: "game",
      provider,
      properties: { name: "game", ec2InstanceType: "g5.xlarge", buildId: "build-1" },
    },
    {
      type: "aws-native:ec2:Instance",
      name: "native",
      provider: { type: "pulumi:providers:aws-native", name: "default", properties: { region: "us-east-1" } },
      properties: { instanceType: "p5.48xlarge", imageId: "ami-1" },
    },
    {
      type: "aws:ec2/dedicatedHost:Host",
      name: "host",
      provider,
      properties: { instanceType: "p4d.24xlarge" },
    },
    {
      // A stack set's template launches in every account and region it is deployed to.
      type: "aws:cloudformation/stackSet:StackSet",
      name: "stackset",
      provider,
      properties: {
        name: "trainers",
        permissionModel: "SERVICE_MANAGED",
        templateBody: JSON.stringify({
          Resources: {
            Trainer: {
              Type: "AWS::EC2::Instance",
              Properties: { InstanceType: "p5.48xlarge", ImageId: "ami-1" },
            },
          },
        }),
      },
    },
  ];
  const quiet: StackResourceInput[] = [
    { type: "aws:s3/bucket:Bucket", name: "tagged", provider, properties: { tags: { gpu: "p5.48xlarge" } } },
    { type: "eks:index:NodeGroup", name: "component", properties: { instanceType: "p5.48xlarge" } },
    { type: "aws:ssm/parameter:Parameter", name: "param", provider, properties: { value: "t3.medium" } },
  ];

  it("each is a mandatory unpriced-accelerators finding naming the type, path and value, per resource and for the stack", async () => {
    for (const dryRun of [true, false]) {
      const { perResource, stack } = await deploy([...flagged, ...quiet], { dryRun });
      const messages = perResource.map((ds) => unpriced(ds).map((d) => d.message));
      expect(messages[0]![0]).toContain("aws:gamelift/fleet:Fleet");
      expect(messages[0]![0]).toContain("ec2InstanceType = g5.xlarge");
      expect(messages[1]![0]).toContain("instanceType = p5.48xlarge");
      expect(messages[2]![0]).toContain("instanceType = p4d.24xlarge");
      expect(messages[3]![0]).toContain(
        "templateBody.Resources.Trainer.Properties.InstanceType = p5.48xlarge",
      );
      // Buckets' tags, components (no provider) and non-accelerator values are not flagged.
      expect(perResource.slice(flagged.length).flatMap(mandatory)).toEqual([]);
      // The whole-stack phase does not repeat what the resource phase said.
      expect(unpriced(stack)).toEqual([]);
      await pack.close();
    }
  }, 60_000);

  it("AnalyzeStack alone (up --skip-preview) still flags them from their outputs", async () => {
    const { client } = await pack.launch({ dryRun: false });
    const stack = (await client.analyzeStack([...flagged, ...quiet])).diagnostics;
    expect(unpriced(stack).map((d) => d.urn)).toEqual(flagged.map((r) => urn(r.type, r.name)));
  });
});

describe("worst cases never drop a type", () => {
  it("[g4dn.xlarge, p5e.48xlarge] x 8: p5e has no on-demand price, so the worst case is unknown (named), not 8 x g4dn", async () => {
    const group: StackResourceInput = {
      type: "aws:autoscaling/group:Group",
      name: "mixed",
      provider,
      properties: {
        minSize: 0,
        maxSize: 8,
        mixedInstancesPolicy: {
          launchTemplate: {
            launchTemplateSpecification: { launchTemplateName: "base", version: "$Latest" },
            overrides: [{ instanceType: "g4dn.xlarge" }, { instanceType: "p5e.48xlarge" }],
          },
        },
      },
    };
    for (const dryRun of [true, false]) {
      const { perResource } = await deploy([group], { dryRun });
      const finding = unpriced(perResource[0]!);
      expect(finding, `dryRun=${dryRun}`).toHaveLength(1);
      expect(finding[0]!.message).toContain("p5e.48xlarge");
      await pack.close();
    }
  }, 60_000);
});

describe("Auto Scaling groups", () => {
  const template = (name: string, instanceType: string, extra: Record<string, unknown> = {}) => ({
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    name,
    provider,
    properties: { name: `${name}-1a2b`, instanceType, ...extra },
  });

  it("on a launch configuration: priced through it, never 'malformed: needs a launch template'", async () => {
    const resources: StackResourceInput[] = [
      {
        type: LC,
        name: "lc",
        provider,
        properties: { name: "lc-1", instanceType: "g6e.12xlarge", imageId: "ami-1" },
      },
      {
        type: "aws:autoscaling/group:Group",
        name: "asg",
        provider,
        properties: { minSize: 1, desiredCapacity: 1, maxSize: 2, launchConfiguration: "lc-1" },
      },
    ];
    for (const dryRun of [true, false]) {
      const { perResource, stack, summary } = await deploy(resources, { dryRun });
      expect(perResource.flatMap(mandatory), `dryRun=${dryRun}`).toEqual([]);
      expect(mandatory(stack)).toEqual([]);
      expect([...perResource.flat(), ...stack].some((d) => d.message.includes("malformed"))).toBe(false);
      // 10.49264 x 730 = 7659.63 baseline, x 2 = 15319.25 worst case
      expect(summary).toContain(
        "asg (aws:autoscaling/group:Group): baseline $7,659.63/mo, worst case $15,319.25/mo",
      );
      await pack.close();
    }
  }, 60_000);

  it("a Running warm pool with maxSize 0 is billed: 8 x p5.48xlarge blocks", async () => {
    for (const dryRun of [true, false]) {
      const { perResource } = await deploy(
        [
          template("h100", "p5.48xlarge"),
          {
            type: "aws:autoscaling/group:Group",
            name: "warm",
            provider,
            properties: {
              minSize: 0,
              maxSize: 0,
              launchTemplate: { name: "h100-1a2b", version: "$Latest" },
              warmPool: { maxGroupPreparedCapacity: 8, poolState: "Running" },
            },
          },
        ],
        { dryRun },
      );
      const budget = by(perResource[1]!, "gpu-resource-budget");
      // 8 x 55.04 x 730 = 321433.60
      expect(budget[0]?.message, `dryRun=${dryRun}`).toContain("$321,433.60/mo");
      await pack.close();
    }
  }, 60_000);

  it("a group pinned to a version other than the one the gate sees is a finding in the stack phase", async () => {
    const lt = {
      ...template("tpl", "t3.medium"),
      outputs: { latestVersion: 3, defaultVersion: 3, id: "lt-0abc" },
    };
    const group: Deployed = {
      type: "aws:autoscaling/group:Group",
      name: "pinned",
      provider,
      properties: { minSize: 1, maxSize: 8, launchTemplate: { id: "lt-0abc", version: "2" } },
      propertyDependencies: { launchTemplate: [urn(lt.type, lt.name)] },
    };
    const { perResource, stack } = await deploy([lt, group], { dryRun: false });
    // Analyze sees the template's inputs only (no versions): the stack phase judges the version.
    expect(unpriced(perResource[1]!)).toEqual([]);
    const finding = unpriced(stack);
    expect(finding).toHaveLength(1);
    expect(finding[0]!.message).toContain("pinned to version 2");
  });

  it("a template of this deployment referenced by id: all non-accelerator means no finding, in preview and update", async () => {
    for (const [dryRun, id] of [
      [true, UNKNOWN],
      [false, "lt-0123456789abcdef0"],
    ] as const) {
      const lt = template("web", "t3.medium");
      const group: Deployed = {
        type: "aws:autoscaling/group:Group",
        name: "web",
        provider,
        properties: { minSize: 1, maxSize: 4, launchTemplate: { id, version: "$Latest" } },
        propertyDependencies: { launchTemplate: [urn(lt.type, lt.name)] },
      };
      const outputs = dryRun ? { id } : { id, latestVersion: 1, defaultVersion: 1 };
      const { perResource, stack } = await deploy([{ ...lt, outputs }, group], { dryRun });
      expect(policies([...perResource.flat(), ...stack]), `dryRun=${dryRun}`).toEqual([]);
      await pack.close();
    }
  }, 60_000);
});

describe("capacity blocks", () => {
  it("a declared fee below what the reservation's properties imply does not lower its price", async () => {
    const block: StackResourceInput = {
      type: "aws:ec2/capacityBlockReservation:CapacityBlockReservation",
      name: "block",
      provider,
      properties: {
        capacityBlockOfferingId: "cb-0123",
        instanceType: "p5.48xlarge",
        instanceCount: 4,
        availabilityZone: "us-east-1a",
        startDate: "2026-09-01T11:30:00Z",
        endDate: "2026-09-03T11:30:00Z",
        tags: { "computeguard:upfront-fee-usd": "1.00", "computeguard:team": "research" },
      },
    };
    const { client } = await pack.launch({
      dryRun: false,
      config: { "training-budget": { limitUsd: 5_000 } },
    });
    const stack = (await client.analyzeStack([block])).diagnostics;
    // 4 x 55.04 x 48 h = 10567.68, over a $5,000 one-time limit whatever the tag says.
    const d = mandatory(by(stack, "training-budget"));
    expect(d[0]?.message).toContain("$10,567.68");
  });
});

describe("every type that runs accelerators: priced in update, a finding when unbounded in preview", () => {
  const NP = (version: string, instanceType: string, limits: Record<string, unknown> | undefined) => ({
    apiVersion: `karpenter.sh/${version}`,
    kind: "NodePool",
    metadata: { name: "gpu" },
    spec: {
      template: {
        spec: {
          requirements: [{ key: "node.kubernetes.io/instance-type", operator: "In", values: [instanceType] }],
        },
      },
      ...(limits ? { limits } : {}),
    },
  });
  const k8s = { type: "pulumi:providers:kubernetes", name: "default", properties: {} };
  const cluster = (coreCount: unknown) => ({
    name: "spark",
    releaseLabel: "emr-7.2.0",
    masterInstanceGroup: { instanceType: "m5.xlarge" },
    coreInstanceGroup: { instanceType: "g6.xlarge", instanceCount: coreCount },
  });
  const space = (instanceType: unknown) => ({
    domainId: "d-1",
    spaceName: "lab",
    spaceSettings: {
      appType: "JupyterLab",
      jupyterLabAppSettings: { defaultResourceSpec: { instanceType } },
    },
  });
  /** type, name, update props, preview props (a value that decides the cost unknown), worst case in update. */
  const cases: Array<[string, string, Record<string, unknown>, Record<string, unknown>, string | undefined]> =
    [
      [
        "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
        "spot",
        { instanceType: "p4d.24xlarge" },
        { instanceType: UNKNOWN },
        "$16,029.08",
      ],
      [
        "aws:ec2/spotFleetRequest:SpotFleetRequest",
        "spot-fleet",
        { targetCapacity: 2, launchSpecifications: [{ instanceType: "g6e.12xlarge", ami: "ami-1" }] },
        { targetCapacity: UNKNOWN, launchSpecifications: [{ instanceType: "g6e.12xlarge", ami: "ami-1" }] },
        "$15,319.25",
      ],
      ...(["totalTargetCapacity"] as const).map(
        (field): [string, string, Record<string, unknown>, Record<string, unknown>, string] => {
          const fleet = (total: unknown) => ({
            type: "instant",
            targetCapacitySpecification: { [field]: total, defaultTargetCapacityType: "on-demand" },
            launchTemplateConfigs: [
              {
                launchTemplateSpecification: { launchTemplateName: "base" },
                overrides: [{ instanceType: "g5.48xlarge" }],
              },
            ],
          });
          return ["aws:ec2/fleet:Fleet", "ec2-fleet", fleet(1), fleet(UNKNOWN), "$11,890.24"];
        },
      ),
      [
        "aws:batch/computeEnvironment:ComputeEnvironment",
        "batch",
        {
          type: "MANAGED",
          computeResources: { type: "EC2", instanceTypes: ["p4d.24xlarge"], maxVcpus: 192, minVcpus: 0 },
        },
        {
          type: "MANAGED",
          computeResources: { type: "EC2", instanceTypes: ["p4d.24xlarge"], maxVcpus: UNKNOWN },
        },
        "$32,058.16",
      ],
      ["aws:emr/cluster:Cluster", "spark", cluster(2), cluster(UNKNOWN), "$1,175.01"],
      [
        "aws:emr/managedScalingPolicy:ManagedScalingPolicy",
        "spark-scaling",
        {
          clusterId: "j-ABC",
          computeLimits: [{ unitType: "Instances", minimumCapacityUnits: 2, maximumCapacityUnits: 4 }],
        },
        {
          clusterId: UNKNOWN,
          computeLimits: [{ unitType: "Instances", minimumCapacityUnits: 2, maximumCapacityUnits: UNKNOWN }],
        },
        "$1,175.01",
      ],
      [
        "aws:emr/instanceGroup:InstanceGroup",
        "task-group",
        { clusterId: "j-ABC", instanceType: "g6.xlarge", instanceCount: 1 },
        { clusterId: UNKNOWN, instanceType: "g6.xlarge", instanceCount: UNKNOWN },
        "$587.50",
      ],
      [
        "aws:emr/instanceFleet:InstanceFleet",
        "task-fleet",
        {
          clusterId: "j-ABC",
          targetOnDemandCapacity: 1,
          instanceTypeConfigs: [{ instanceType: "g6.xlarge" }],
        },
        {
          clusterId: UNKNOWN,
          targetOnDemandCapacity: UNKNOWN,
          instanceTypeConfigs: [{ instanceType: "g6.xlarge" }],
        },
        "$587.50",
      ],
      [
        "aws:sagemaker/notebookInstance:NotebookInstance",
        "notebook",
        { instanceType: "ml.g5.xlarge", roleArn: "arn:aws:iam::1:role/sm" },
        { instanceType: UNKNOWN, roleArn: "arn:aws:iam::1:role/sm" },
        undefined,
      ],
      ["aws:sagemaker/space:Space", "space", space("ml.g5.xlarge"), space(UNKNOWN), undefined],
      [
        "aws:sagemaker/app:App",
        "app",
        {
          domainId: "d-1",
          userProfileName: "ana",
          appType: "KernelGateway",
          appName: "ds",
          resourceSpec: { instanceType: "ml.g4dn.xlarge" },
        },
        {
          domainId: "d-1",
          userProfileName: "ana",
          appType: "KernelGateway",
          appName: "ds",
          resourceSpec: { instanceType: UNKNOWN },
        },
        undefined,
      ],
      [
        "kubernetes:karpenter.sh/v1:NodePool",
        "nodepool",
        NP("v1", "g6e.12xlarge", { "nvidia.com/gpu": "8" }),
        NP("v1", "g6e.12xlarge", { "nvidia.com/gpu": UNKNOWN }),
        "$15,319.25",
      ],
      [
        "kubernetes:karpenter.sh/v1beta1:NodePool",
        "nodepool-beta",
        NP("v1beta1", "p5.48xlarge", { "nvidia.com/gpu": 8 }),
        NP("v1beta1", "p5.48xlarge", undefined),
        "$40,179.20",
      ],
    ];
  const resource = (type: string, name: string, properties: Record<string, unknown>): StackResourceInput => ({
    type,
    name,
    provider: type.startsWith("kubernetes:") ? k8s : provider,
    properties,
  });

  it("update: each is priced (its worst case in the summary), none unpriced", async () => {
    const resources = cases.map(([type, name, props]) => resource(type, name, props));
    // The stack phase sees outputs: the cluster's id links its managed scaling policy.
    const { perResource, stack, summary } = await deploy(
      resources.map((r) => (r.name === "spark" ? { ...r, outputs: { id: "j-ABC" } } : r)),
      { dryRun: false, config: { "gpu-resource-budget": { monthlyLimitUsd: 1_000_000 } } },
    );
    for (const [i, [type, name, , , worst]] of cases.entries()) {
      expect(
        unpriced(perResource[i]!).map((d) => d.message),
        name,
      ).toEqual([]);
      const line = summary.split("\n").find((l) => l.includes(`${name} (${type}):`));
      expect(line, name).toMatch(/baseline \$[\d,.]+\/mo, worst case \$[\d,.]+\/mo/);
      if (worst) expect(line, name).toContain(`worst case ${worst}/mo`);
    }
    expect(unpriced(stack)).toEqual([]);
  });

  it("preview: an unknown count, type or limit is a mandatory finding for each, never $0 or advisory", async () => {
    const resources = cases.map(([type, name, , props]) => resource(type, name, props));
    const { perResource } = await deploy(resources);
    for (const [i, [, name]] of cases.entries()) {
      expect(unpriced(perResource[i]!), name).toHaveLength(1);
      expect(
        perResource[i]!.some((d) => d.message.includes("can't run")),
        name,
      ).toBe(false);
    }
  });
});
