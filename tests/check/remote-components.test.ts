import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { UNKNOWN } from "../../src/unknown.js";
import { ensureBuilt, ROOT } from "../support/cli.js";
import {
  type Registration,
  type Registrations,
  registrationsOf,
  runEach,
} from "./support/registrations-of.js";

const FIXTURES = "tests/check/fixtures";

/** The programs whose registrations this file reads (each run loads the Pulumi SDK). */
const PROGRAMS = {
  cluster: [`${FIXTURES}/eks-cluster`],
  selfManaged: [`${FIXTURES}/eks-self-managed`],
  gpuManaged: [`${FIXTURES}/eks-gpu-managed`],
  awsxVpc: [`${FIXTURES}/awsx-vpc`],
  awsxClassic: [`${FIXTURES}/awsx-classic-ecs`],
} satisfies Record<string, [string, string?]>;

const runs = {} as Record<keyof typeof PROGRAMS, Registrations>;

beforeAll(async () => {
  ensureBuilt();
  const names = Object.keys(PROGRAMS) as Array<keyof typeof PROGRAMS>;
  Object.assign(runs, await runEach(names, (name) => registrationsOf(...PROGRAMS[name])));
}, 300_000);

/** Recorded pulumi-eks stacks, reduced: what the engine registered under each kind of component. */
const recorded = JSON.parse(readFileSync(path.join(ROOT, FIXTURES, "recorded-expansions.json"), "utf8")) as {
  expansions: Record<string, { children: string[] }>;
};

function find(run: Registrations, type: string, name: string): Registration {
  const found = run.resources.find((r) => r.type === type && r.name === name);
  if (!found) throw new Error(`no ${type} named ${name} among ${run.resources.length} registrations`);
  return found;
}

/** Every resource registered under a component, as "<qualified type>::<name>" with the component's name as <name>. */
function childrenOf(run: Registrations, component: Registration): string[] {
  const under = new Set([component.urn]);
  const found: string[] = [];
  for (const r of run.resources) {
    if (r.parent && under.has(r.parent)) {
      under.add(r.urn);
      const [, , qualifiedType, name] = r.urn.split("::");
      found.push(`${qualifiedType}::${name!.replaceAll(component.name, "<name>")}`);
    }
  }
  return found.sort();
}

describe("check expands @pulumi/eks and awsx remote components as the engine registers them", () => {
  it("registers under each component the resources the recorded pulumi-eks stacks show", () => {
    const cases: Array<[Registrations, string, string]> = [
      [runs.cluster, "eks:index:Cluster", "cluster-1"],
      [runs.selfManaged, "eks:index:NodeGroupV2", "spot-g6e"],
      [runs.selfManaged, "eks:index:NodeGroup", "batch-p4d"],
      [runs.cluster, "awsx:ec2:Vpc", "cluster-2"],
    ];
    for (const [run, type, name] of cases) {
      expect(childrenOf(run, find(run, type, name)), `${type} ${name}`).toEqual(
        recorded.expansions[type]!.children,
      );
    }
  });

  it("gives a managed node group the program's instance types and scaling, in the cluster it names", () => {
    const run = runs.gpuManaged;
    const component = find(run, "eks:index:ManagedNodeGroup", "gpu-nodes");
    const group = find(run, "aws:eks/nodeGroup:NodeGroup", "gpu-nodes");
    expect(group.parent).toBe(component.urn);
    expect(group.urn).toBe(
      "urn:pulumi:dev::eks-gpu-managed::eks:index:ManagedNodeGroup$aws:eks/nodeGroup:NodeGroup::gpu-nodes",
    );
    expect(group.props).toMatchObject({
      clusterName: "gpu-dra-cluster",
      nodeGroupName: "gpu-nodes",
      instanceTypes: ["p4d.24xlarge"],
      capacityType: "ON_DEMAND",
      scalingConfig: { desiredSize: 1, minSize: 0, maxSize: 8 },
      diskSize: 100,
      amiType: "AL2023_x86_64_NVIDIA",
      taints: [{ key: "nvidia.com/gpu", value: "true", effect: "NO_SCHEDULE" }],
    });
    // The node role's ARN exists only once the role does: unknown, as in a preview.
    expect(group.props.nodeRoleArn).toBe(UNKNOWN);
    expect(group.props).not.toHaveProperty("cluster");
    expect(group.props).not.toHaveProperty("nodeRole");
    expect(group.propertyDependencies.clusterName).toEqual([
      "urn:pulumi:dev::eks-gpu-managed::eks:index:Cluster$aws:eks/cluster:Cluster::gpu-cluster-eksCluster",
    ]);
  });

  it("defaults what the program leaves out as pulumi-eks does", () => {
    // eks.createManagedNodeGroup with scaling; eks.Cluster's default node group with no sizes.
    const inference = find(runs.selfManaged, "aws:eks/nodeGroup:NodeGroup", "inference-g6e");
    expect(inference.props).toMatchObject({
      instanceTypes: ["g6e.12xlarge"],
      scalingConfig: { desiredSize: 2, minSize: 1, maxSize: 8 },
    });
    const template = find(runs.cluster, "aws:ec2/launchTemplate:LaunchTemplate", "cluster-1-launchTemplate");
    expect(template.props.instanceType).toBe("t3.medium");
    const group = find(runs.cluster, "aws:autoscaling/group:Group", "cluster-1");
    expect(group.props).toMatchObject({ minSize: 1, maxSize: 2, desiredCapacity: 2 });
    expect(group.props.launchTemplate).toMatchObject({ name: template.props.name });
    expect(group.propertyDependencies.launchTemplate).toEqual([template.urn]);
    // nodeGroupOptions, with an instance type the program computes.
    const small = find(runs.cluster, "aws:ec2/launchTemplate:LaunchTemplate", "cluster-2-launchTemplate");
    expect(small.props.instanceType).toBe("t3.small");
    expect(find(runs.cluster, "aws:autoscaling/group:Group", "cluster-2").props).toMatchObject({
      minSize: 1,
      maxSize: 2,
      desiredCapacity: 1,
    });
  });

  it("puts a NodeGroupV2's spot price on its launch template and links its group to it", () => {
    const run = runs.selfManaged;
    const template = find(run, "aws:ec2/launchTemplate:LaunchTemplate", "spot-g6e-launchTemplate");
    expect(template.props).toMatchObject({
      instanceType: "g6e.12xlarge",
      imageId: "ami-066e69f6f03b5383e",
      instanceMarketOptions: { marketType: "spot", spotOptions: { maxPrice: "5" } },
    });
    const group = find(run, "aws:autoscaling/group:Group", "spot-g6e");
    expect(group.props).toMatchObject({ minSize: 0, maxSize: 4, desiredCapacity: 1 });
    expect(group.props.launchTemplate).toMatchObject({ name: template.props.name });
    expect(group.propertyDependencies.launchTemplate).toEqual([template.urn]);
  });

  it("declares a NodeGroup's auto scaling group in a CloudFormation template on its launch configuration", () => {
    const run = runs.selfManaged;
    for (const [name, instanceType, min, max, desired] of [
      ["batch-p4d", "p4d.24xlarge", 0, 2, 0],
      // Added through the cluster's createNodeGroup, which passes the cluster's core.
      ["ondemand-g5", "g5.2xlarge", 1, 2, 1],
    ] as const) {
      const configuration = find(
        run,
        "aws:ec2/launchConfiguration:LaunchConfiguration",
        `${name}-nodeLaunchConfiguration`,
      );
      expect(configuration.props.instanceType).toBe(instanceType);
      const stack = find(run, "aws:cloudformation/stack:Stack", `${name}-nodes`);
      const body = String(stack.props.templateBody);
      expect(body).toContain("Type: AWS::AutoScaling::AutoScalingGroup");
      // A launch configuration's id is its name: the template names it.
      expect(body).toContain(`LaunchConfigurationName: ${configuration.props.name}`);
      expect(body).toMatch(new RegExp(`MinSize: ${min}\\n\\s+MaxSize: ${max}\\n`));
      expect(body).toContain(`DesiredCapacity: ${desired}\n`);
      expect(body).toContain("Key: kubernetes.io/cluster/gpu-nodegroups-eksCluster-");
      // The cluster is on the default VPC: its subnets are looked up (data sources), so known.
      expect(body).toMatch(/VPCZoneIdentifier: \["subnet-0[0-9a-f]+"(,"subnet-0[0-9a-f]+")*\]/);
      expect(stack.propertyDependencies.templateBody).toContain(configuration.urn);
      // The stack's name takes a random suffix (an eks provider resource): unknown before it exists.
      expect(stack.props.name).toBe(UNKNOWN);
    }
  });

  it("runs an awsx VPC program with the VPC's ids unknown, as a preview does", () => {
    const run = runs.awsxVpc;
    const vpc = find(run, "awsx:ec2:Vpc", "inference");
    const children = childrenOf(run, vpc);
    expect(children.filter((c) => c.includes("aws:ec2/subnet:Subnet::")).length).toBe(4);
    expect(children.filter((c) => c.includes("aws:ec2/natGateway:NatGateway::"))).toEqual([
      "awsx:ec2:Vpc$aws:ec2/vpc:Vpc$aws:ec2/subnet:Subnet$aws:ec2/natGateway:NatGateway::<name>-1",
    ]);
    expect(find(run, "aws:ec2/vpc:Vpc", "inference").props.cidrBlock).toBe("10.10.0.0/16");
    const box = find(run, "aws:ec2/instance:Instance", "inference-box");
    expect(box.props).toMatchObject({ instanceType: "g5.xlarge", subnetId: UNKNOWN });
    expect(find(run, "aws:ec2/securityGroup:SecurityGroup", "inference").props.vpcId).toBe(UNKNOWN);
    expect(run.unexpanded).toEqual([]);
  });

  it("runs an awsx classic program to the end: an auto scaling group in a CloudFormation template", () => {
    const run = runs.awsxClassic;
    // The ECS-optimized AMI comes from AWS's public SSM parameter, answered offline.
    const configuration = find(run, "aws:ec2/launchConfiguration:LaunchConfiguration", "airflow");
    expect(configuration.props).toMatchObject({
      instanceType: "g4dn.xlarge",
      imageId: "ami-0abcdef1234567890",
    });
    const stack = find(run, "aws:cloudformation/stack:Stack", "airflow");
    const body = String(stack.props.templateBody);
    expect(body).toContain(`LaunchConfigurationName: "${configuration.props.name}"`);
    for (const line of ["DesiredCapacity: 4", "MaxSize: 100", "MinSize: 4"]) {
      expect(body).toMatch(new RegExp(`^ +${line}$`, "m"));
    }
    expect(run.unexpanded).toEqual([]);
  });
});
