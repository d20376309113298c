import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type ConstructInputs, ExpandedComponent, type Expander, ForeignResource } from "../expansion.js";
import {
  type ClusterCore,
  clusterCoreOf,
  DEFAULT_INSTANCE_TYPE,
  nodeSecurityGroup,
  nodeUserData,
  recommendedAmi,
  workerSubnets,
} from "./shared.js";

/** What both kinds of self-managed node group build before their instances: security and identity. */
interface NodeBasics {
  nodeSecurityGroup?: aws.ec2.SecurityGroup;
  nodeSecurityGroupId: pulumi.Input<string>;
  securityGroupIds: pulumi.Output<string[]>;
  instanceProfileName: pulumi.Input<string | undefined>;
  keyName: pulumi.Input<string | undefined>;
  imageId: pulumi.Input<string>;
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
}

function nodeBasics(name: string, args: ConstructInputs, core: ClusterCore, parent: pulumi.Resource) {
  const child = { parent };
  let group: aws.ec2.SecurityGroup | undefined = args.nodeSecurityGroup;
  let groupId: pulumi.Input<string> = args.nodeSecurityGroup?.id ?? args.nodeSecurityGroupId;
  if (groupId === undefined) {
    [group] = nodeSecurityGroup(
      name,
      {
        vpcId: core.vpcId,
        clusterSecurityGroupId: core.clusterSecurityGroupId,
        tags: pulumi
          .all([core.nodeSecurityGroupTags, core.tags])
          .apply(([sgTags, tags]) => ({ ...sgTags, ...tags })),
      },
      child,
    );
    groupId = group.id;
  }
  const extra = pulumi
    .output(args.extraNodeSecurityGroups as aws.ec2.SecurityGroup[] | undefined)
    .apply((groups) => (groups ?? []).map((g) => g.id));
  const keyName = args.nodePublicKey
    ? new aws.ec2.KeyPair(`${name}-keyPair`, { publicKey: args.nodePublicKey }, child).keyName
    : args.keyName;
  const basics: NodeBasics = {
    ...(group ? { nodeSecurityGroup: group } : {}),
    nodeSecurityGroupId: groupId,
    securityGroupIds: pulumi.all([groupId, extra]).apply(([id, more]) => [id, ...more]),
    instanceProfileName: args.instanceProfileName ?? args.instanceProfile?.name ?? core.instanceProfileName,
    keyName,
    imageId:
      args.amiId ?? recommendedAmi(args.version ?? core.version, args.gpu, args.instanceType, { parent }),
    subnetIds: args.nodeSubnetIds ?? workerSubnets(core),
  };
  return basics;
}

function capacity(args: ConstructInputs) {
  return {
    minSize: args.minSize ?? 1,
    maxSize: args.maxSize ?? 2,
    desiredCapacity: args.desiredCapacity ?? 2,
  };
}

/**
 * A node group on a launch template and an auto scaling group (eks.NodeGroupV2, and the default
 * node group of an eks.Cluster, named after the cluster): `<name>-launchTemplate` with the instance
 * type (t3.medium unless given) and spot options, and the group `<name>` on its latest version,
 * 1..2 instances (2 desired) unless given.
 */
export function launchTemplateNodeGroup(
  name: string,
  args: ConstructInputs,
  core: ClusterCore,
  parent: pulumi.Resource,
) {
  const basics = nodeBasics(name, args, core, parent);
  const child = { parent };
  const template = new aws.ec2.LaunchTemplate(
    `${name}-launchTemplate`,
    {
      imageId: basics.imageId,
      instanceType: args.instanceType ?? DEFAULT_INSTANCE_TYPE,
      iamInstanceProfile: { name: basics.instanceProfileName },
      keyName: basics.keyName,
      instanceMarketOptions: args.spotPrice
        ? { marketType: "spot", spotOptions: { maxPrice: args.spotPrice } }
        : undefined,
      networkInterfaces: [
        {
          associatePublicIpAddress: String(args.nodeAssociatePublicIpAddress ?? true),
          securityGroups: basics.securityGroupIds,
        },
      ],
      metadataOptions: args.metadataOptions,
      userData: nodeUserData(core).apply((u) => Buffer.from(u).toString("base64")),
      tagSpecifications: args.launchTemplateTagSpecifications,
      monitoring:
        args.enableDetailedMonitoring == null ? undefined : { enabled: args.enableDetailedMonitoring },
    },
    child,
  );
  const clusterName = core.name;
  const autoScalingGroup = new aws.autoscaling.Group(
    name,
    {
      ...capacity(args),
      launchTemplate: { name: template.name, version: template.latestVersion.apply(String) },
      vpcZoneIdentifiers: basics.subnetIds,
      instanceRefresh: {
        strategy: "Rolling",
        preferences: { minHealthyPercentage: args.minRefreshPercentage ?? 50 },
      },
      tags: pulumi.all([clusterName, args.autoScalingGroupTags]).apply(([cluster, tags]) =>
        Object.entries({
          Name: `${cluster}-worker`,
          [`kubernetes.io/cluster/${cluster}`]: "owned",
          ...tags,
        }).map(([key, value]) => ({ key, value: String(value), propagateAtLaunch: true })),
      ),
      defaultInstanceWarmup: args.defaultInstanceWarmup,
    },
    child,
  );
  return {
    nodeSecurityGroup: basics.nodeSecurityGroup,
    nodeSecurityGroupId: basics.nodeSecurityGroupId,
    autoScalingGroup,
    extraNodeSecurityGroups: args.extraNodeSecurityGroups ?? [],
  };
}

/** eks.NodeGroupV2: see launchTemplateNodeGroup. */
export const expandNodeGroupV2: Expander = (name, inputs, opts, context) => {
  const component = new ExpandedComponent("eks:index:NodeGroupV2", name, {}, opts);
  const outputs = launchTemplateNodeGroup(name, inputs, clusterCoreOf(context), component);
  return component.expansion(outputs);
};

/** CloudFormation's form of an auto scaling group's tags. */
function templateTags(tags: Record<string, string>): string {
  return Object.entries(tags)
    .map(([key, value]) => `- Key: ${key}\n  Value: ${value}\n  PropagateAtLaunch: 'true'`)
    .join("\n");
}

function indent(text: string, spaces: number): string {
  return text
    .split("\n")
    .map((line) => " ".repeat(spaces) + line)
    .join("\n");
}

/**
 * eks.NodeGroup: a launch configuration `<name>-nodeLaunchConfiguration` (t3.medium unless given,
 * spot price if given) and a CloudFormation stack `<name>-nodes` whose template declares the auto
 * scaling group on it (1..2 instances, 2 desired, unless given). The template names the launch
 * configuration by its id (its name) and the subnets, so it is known only when they are.
 */
export const expandNodeGroup: Expander = (name, inputs, opts, context) => {
  const component = new ExpandedComponent("eks:index:NodeGroup", name, {}, opts);
  const child = { parent: component };
  const core = clusterCoreOf(context);
  const basics = nodeBasics(name, inputs, core, component);
  // A custom resource of the eks provider: the stack name with a random suffix, unknown until created.
  const stackName = new ForeignResource(
    "eks:index:RandomSuffix",
    `${name}-cfnStackName`,
    { input: name, output: undefined },
    child,
  ) as pulumi.CustomResource & { output: pulumi.Output<string> };
  const launchConfiguration = new aws.ec2.LaunchConfiguration(
    `${name}-nodeLaunchConfiguration`,
    {
      associatePublicIpAddress: inputs.nodeAssociatePublicIpAddress ?? true,
      imageId: basics.imageId,
      instanceType: inputs.instanceType ?? DEFAULT_INSTANCE_TYPE,
      iamInstanceProfile: basics.instanceProfileName,
      keyName: basics.keyName,
      securityGroups: basics.securityGroupIds,
      spotPrice: inputs.spotPrice,
      userData: inputs.nodeUserDataOverride ?? nodeUserData(core),
      enableMonitoring: inputs.enableDetailedMonitoring,
    },
    child,
  );
  const { minSize, maxSize, desiredCapacity } = capacity(inputs);
  const clusterName = core.name;
  const templateBody = pulumi
    .all([
      launchConfiguration.id,
      desiredCapacity,
      minSize,
      maxSize,
      clusterName,
      inputs.autoScalingGroupTags,
      basics.subnetIds,
    ])
    .apply(([launchConfigurationId, desired, min, max, cluster, tags, subnets]) =>
      [
        "AWSTemplateFormatVersion: '2010-09-09'",
        "Outputs:",
        "  NodeGroup:",
        "    Value: !Ref NodeGroup",
        "Resources:",
        "  NodeGroup:",
        "    Type: AWS::AutoScaling::AutoScalingGroup",
        "    Properties:",
        `      DesiredCapacity: ${desired}`,
        `      LaunchConfigurationName: ${launchConfigurationId}`,
        `      MinSize: ${min}`,
        `      MaxSize: ${max}`,
        `      VPCZoneIdentifier: ${JSON.stringify(subnets)}`,
        "      Tags:",
        indent(
          templateTags({ Name: `${cluster}-worker`, [`kubernetes.io/cluster/${cluster}`]: "owned", ...tags }),
          6,
        ),
        "    UpdatePolicy:",
        "      AutoScalingRollingUpdate:",
        `        MinInstancesInService: '${inputs.spotPrice ? 0 : 1}'`,
        "        MaxBatchSize: '1'",
        "",
      ].join("\n"),
    );
  const cfnStack = new aws.cloudformation.Stack(
    `${name}-nodes`,
    {
      name: stackName.output,
      templateBody,
      tags: pulumi
        .all([core.tags, inputs.cloudFormationTags])
        .apply(([tags, cfnTags]) => ({ Name: `${name}-nodes`, ...cfnTags, ...tags })),
    },
    child,
  );
  const outputs = {
    nodeSecurityGroup: basics.nodeSecurityGroup,
    nodeSecurityGroupId: basics.nodeSecurityGroupId,
    cfnStack,
    autoScalingGroupName: cfnStack.outputs.apply((o) => o?.NodeGroup),
    extraNodeSecurityGroups: inputs.extraNodeSecurityGroups ?? [],
  };
  return component.expansion(outputs);
};
