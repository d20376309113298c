import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ExpandedComponent, type ExpansionContext } from "../expansion.js";

/** What pulumi-eks gives a self-managed node group without `instanceType` (nodes/instances.ts). */
export const DEFAULT_INSTANCE_TYPE = "t3.medium";

type Tags = pulumi.Input<Record<string, pulumi.Input<string>>>;

/** What a node group reads from its cluster (pulumi-eks calls it CoreData). */
export interface ClusterCore {
  /** The EKS cluster's name, version, API endpoint and certificate (user data names them). */
  name: pulumi.Output<string>;
  version: pulumi.Output<string>;
  endpoint: pulumi.Output<string>;
  certificateAuthority: pulumi.Output<string>;
  /** The cluster security group nodes let the control plane in from. */
  clusterSecurityGroupId: pulumi.Input<string>;
  vpcId: pulumi.Input<string>;
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  publicSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
  privateSubnetIds?: pulumi.Input<pulumi.Input<string>[]>;
  /** The instance profile of the cluster's instance role, for node groups that name none. */
  instanceProfileName?: pulumi.Input<string>;
  tags?: Tags;
  nodeSecurityGroupTags?: Tags;
}

/** An expanded eks.Cluster: node groups created later in the program read its core. */
export class ExpandedEksCluster extends ExpandedComponent {
  core!: ClusterCore;

  constructor(
    readonly clusterName: string,
    opts: pulumi.ComponentResourceOptions,
  ) {
    super("eks:index:Cluster", clusterName, {}, opts);
  }
}

/**
 * A cluster this check cannot identify (its `cluster` input is unknown during the preview): what a
 * node group reads from it is unknown too, never taken as empty.
 */
function unknownCore(): ClusterCore {
  const unknown = () => pulumi.output(pulumi.unknown) as unknown as pulumi.Output<never>;
  return {
    name: unknown(),
    version: unknown(),
    endpoint: unknown(),
    certificateAuthority: unknown(),
    clusterSecurityGroupId: unknown(),
    vpcId: unknown(),
    subnetIds: unknown(),
  };
}

/**
 * The cluster a node group's `cluster` input names: an eks.Cluster this check expanded, or the
 * `core` output of one (whose `cluster` is that cluster's aws:eks/cluster, `<cluster>-eksCluster`).
 */
export function clusterCoreOf(context: ExpansionContext): ClusterCore {
  const value = context.plain.cluster;
  if (value instanceof ExpandedEksCluster) return value.core;
  const eksCluster = (value as { cluster?: unknown } | undefined)?.cluster;
  const name = pulumi.Resource.isInstance(eksCluster) ? pulumi.resourceName(eksCluster) : undefined;
  const cluster = context.expanded.find(
    (c): c is ExpandedEksCluster => c instanceof ExpandedEksCluster && `${c.clusterName}-eksCluster` === name,
  );
  return cluster?.core ?? unknownCore();
}

/** The subnets a node group uses when it names none: the cluster's private, else public, else all. */
export function workerSubnets(core: ClusterCore): pulumi.Input<pulumi.Input<string>[]> {
  return core.privateSubnetIds ?? core.publicSubnetIds ?? core.subnetIds;
}

/** An eks:index:ServiceRole: an IAM role a service assumes, with managed policies attached. */
export function serviceRole(
  name: string,
  service: string,
  policies: string[],
  tags: Tags | undefined,
  opts: pulumi.ComponentResourceOptions,
): aws.iam.Role {
  const component = new ExpandedComponent("eks:index:ServiceRole", name, {}, opts);
  const role = new aws.iam.Role(
    `${name}-role`,
    {
      assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Action: ["sts:AssumeRole"], Effect: "Allow", Principal: { Service: [service] } }],
      }),
      tags,
    },
    { parent: component },
  );
  for (const policy of policies) {
    // pulumi-eks names each attachment after a hash of the policy it attaches.
    const arn = `arn:aws:iam::aws:policy/${policy}`;
    const suffix = createHash("sha1").update(arn).digest("hex").slice(0, 8);
    new aws.iam.RolePolicyAttachment(`${name}-${suffix}`, { policyArn: arn, role }, { parent: component });
  }
  component.expansion({ directRole: role });
  return role;
}

/**
 * The security group pulumi-eks gives worker nodes, with its rules (nodes to each other, the
 * control plane to kubelets and extension API servers, the internet out); returns it and the rule
 * that lets the nodes reach the control plane.
 */
export function nodeSecurityGroup(
  name: string,
  args: { vpcId: pulumi.Input<string>; clusterSecurityGroupId: pulumi.Input<string>; tags?: Tags },
  opts: pulumi.CustomResourceOptions,
): [aws.ec2.SecurityGroup, aws.ec2.SecurityGroupRule] {
  const group = new aws.ec2.SecurityGroup(
    `${name}-nodeSecurityGroup`,
    {
      vpcId: args.vpcId,
      revokeRulesOnDelete: true,
      tags: pulumi.output(args.tags).apply((tags) => ({ Name: `${name}-nodeSecurityGroup`, ...tags })),
    },
    opts,
  );
  const rule = (suffix: string, props: Omit<aws.ec2.SecurityGroupRuleArgs, "securityGroupId">) =>
    new aws.ec2.SecurityGroupRule(`${name}-${suffix}`, { ...props, securityGroupId: group.id }, opts);
  rule("eksNodeIngressRule", { type: "ingress", fromPort: 0, toPort: 0, protocol: "-1", self: true });
  rule("eksNodeClusterIngressRule", {
    type: "ingress",
    fromPort: 1025,
    toPort: 65535,
    protocol: "tcp",
    sourceSecurityGroupId: args.clusterSecurityGroupId,
  });
  rule("eksExtApiServerClusterIngressRule", {
    type: "ingress",
    fromPort: 443,
    toPort: 443,
    protocol: "tcp",
    sourceSecurityGroupId: args.clusterSecurityGroupId,
  });
  rule("eksNodeInternetEgressRule", {
    type: "egress",
    fromPort: 0,
    toPort: 0,
    protocol: "-1",
    cidrBlocks: ["0.0.0.0/0"],
  });
  const clusterIngress = new aws.ec2.SecurityGroupRule(
    `${name}-eksClusterIngressRule`,
    {
      type: "ingress",
      fromPort: 443,
      toPort: 443,
      protocol: "tcp",
      securityGroupId: args.clusterSecurityGroupId,
      sourceSecurityGroupId: group.id,
    },
    opts,
  );
  return [group, clusterIngress];
}

/** Graviton types have a `g` after the generation digit (m7g.large), which is what pulumi-eks checks. */
function isGraviton(instanceType: string): boolean {
  return /^[a-z]+[0-9]+g/.test(instanceType);
}

/**
 * The EKS-optimized AMI pulumi-eks looks up in SSM for the cluster's Kubernetes version (Amazon
 * Linux 2023, the NVIDIA variant for `gpu`). Only the AMI differs with it; the cost does not.
 */
export function recommendedAmi(
  version: pulumi.Input<string | undefined>,
  gpu: pulumi.Input<boolean | undefined>,
  instanceType: pulumi.Input<string | undefined>,
  opts: pulumi.InvokeOutputOptions,
): pulumi.Output<string> {
  return pulumi.all([version, gpu, instanceType]).apply(([v, g, type]) => {
    const variant = g ? "x86_64/nvidia" : type && isGraviton(type) ? "arm64/standard" : "x86_64/standard";
    const name = `/aws/service/eks/optimized-ami/${v}/amazon-linux-2023/${variant}/recommended/image_id`;
    return aws.ssm.getParameterOutput({ name }, opts).value;
  });
}

/**
 * The node bootstrap configuration (nodeadm) in a node's user data. It names the cluster's API
 * endpoint and certificate, which exist only once the cluster does: unknown during a preview.
 */
export function nodeUserData(core: ClusterCore): pulumi.Output<string> {
  return pulumi
    .all([core.name, core.endpoint, core.certificateAuthority])
    .apply(([clusterName, endpoint, ca]) =>
      [
        "apiVersion: node.eks.aws/v1alpha1",
        "kind: NodeConfig",
        "spec:",
        "  cluster:",
        `    name: ${clusterName}`,
        `    apiServerEndpoint: ${endpoint}`,
        `    certificateAuthority: ${ca}`,
        "",
      ].join("\n"),
    );
}
