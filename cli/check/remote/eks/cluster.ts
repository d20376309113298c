import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  type ConstructInputs,
  ExpandedComponent,
  type Expander,
  ForeignProvider,
  ForeignResource,
} from "../expansion.js";
import { launchTemplateNodeGroup } from "./self-managed-node-group.js";
import { type ClusterCore, ExpandedEksCluster, nodeSecurityGroup, serviceRole } from "./shared.js";

const WORKER_POLICIES = [
  "AmazonEKSWorkerNodePolicy",
  "AmazonEKS_CNI_Policy",
  "AmazonEC2ContainerRegistryReadOnly",
];

/** The singular node group options a cluster takes when it is not given `nodeGroupOptions`. */
function defaultNodeGroupOptions(args: ConstructInputs): ConstructInputs {
  return (
    args.nodeGroupOptions ?? {
      nodeSubnetIds: args.nodeSubnetIds,
      nodeAssociatePublicIpAddress: args.nodeAssociatePublicIpAddress,
      instanceType: args.instanceType,
      nodePublicKey: args.nodePublicKey,
      nodeRootVolumeSize: args.nodeRootVolumeSize,
      nodeUserData: args.nodeUserData,
      minSize: args.minSize,
      maxSize: args.maxSize,
      desiredCapacity: args.desiredCapacity,
      amiId: args.nodeAmiId,
      gpu: args.gpu,
      version: args.version,
    }
  );
}

/** The cluster's subnets: as given, or the default VPC's (what pulumi-eks looks up when no VPC is given). */
function clusterNetwork(args: ConstructInputs, parent: pulumi.Resource) {
  if (args.vpcId) {
    const subnetIds =
      args.subnetIds ??
      pulumi
        .all([args.publicSubnetIds ?? [], args.privateSubnetIds ?? []])
        .apply(([pub, priv]) => [...pub, ...priv]);
    return { vpcId: args.vpcId as pulumi.Input<string>, subnetIds };
  }
  const vpc = aws.ec2.getVpcOutput({ default: true }, { parent });
  const subnets = aws.ec2.getSubnetsOutput({ filters: [{ name: "vpc-id", values: [vpc.id] }] }, { parent });
  return { vpcId: vpc.id, subnetIds: args.subnetIds ?? subnets.ids };
}

/**
 * eks.Cluster: the EKS service role, the cluster security group, the aws:eks/cluster
 * `<name>-eksCluster`, its Kubernetes provider, the aws-auth config map, the kube-proxy, VPC CNI and
 * CoreDNS add-ons, a Fargate profile and OIDC provider when asked for; the worker instance role and
 * profile; and, unless skipped (skipDefaultNodeGroup, Fargate, Auto Mode), the default node group:
 * a node security group, a launch template and an auto scaling group named after the cluster
 * (t3.medium x 2, 1..2, unless given). Outputs that only exist once the cluster does (endpoint,
 * kubeconfig, OIDC issuer) are unknown, as in a preview. Access entries are not registered.
 */
export const expandCluster: Expander = (name, inputs, opts) => {
  const cluster = new ExpandedEksCluster(name, opts);
  const child = { parent: cluster };
  const autoMode = inputs.autoMode?.enabled === true;
  const skipDefaultNodeGroup = Boolean(inputs.skipDefaultNodeGroup || inputs.fargate || autoMode);
  const { vpcId, subnetIds } = clusterNetwork(inputs, cluster);

  const eksRole = inputs.serviceRole
    ? undefined
    : serviceRole(`${name}-eksRole`, "eks.amazonaws.com", ["AmazonEKSClusterPolicy"], inputs.tags, child);
  const clusterSecurityGroup: aws.ec2.SecurityGroup | undefined =
    inputs.clusterSecurityGroup ??
    (inputs.skipDefaultSecurityGroups || autoMode
      ? undefined
      : new aws.ec2.SecurityGroup(
          `${name}-eksClusterSecurityGroup`,
          {
            vpcId,
            revokeRulesOnDelete: true,
            tags: pulumi
              .all([inputs.tags, inputs.clusterSecurityGroupTags])
              .apply(([tags, sgTags]) => ({ Name: `${name}-eksClusterSecurityGroup`, ...sgTags, ...tags })),
          },
          child,
        ));
  if (clusterSecurityGroup && !inputs.clusterSecurityGroup) {
    new aws.ec2.SecurityGroupRule(
      `${name}-eksClusterInternetEgressRule`,
      {
        description: "Allow internet access.",
        type: "egress",
        fromPort: 0,
        toPort: 0,
        protocol: "-1",
        cidrBlocks: ["0.0.0.0/0"],
        securityGroupId: clusterSecurityGroup.id,
      },
      child,
    );
  }
  const eksCluster = new aws.eks.Cluster(
    `${name}-eksCluster`,
    {
      name: inputs.name,
      roleArn: inputs.serviceRole?.arn ?? eksRole?.arn,
      vpcConfig: {
        securityGroupIds: clusterSecurityGroup ? [clusterSecurityGroup.id] : undefined,
        subnetIds,
        endpointPrivateAccess: inputs.endpointPrivateAccess,
        endpointPublicAccess: inputs.endpointPublicAccess,
        publicAccessCidrs: inputs.publicAccessCidrs,
      },
      version: inputs.version,
      enabledClusterLogTypes: inputs.enabledClusterLogTypes,
      tags: pulumi
        .all([inputs.tags, inputs.clusterTags])
        .apply(([tags, clusterTags]) => ({ Name: `${name}-eksCluster`, ...clusterTags, ...tags })),
      accessConfig: inputs.authenticationMode
        ? { authenticationMode: inputs.authenticationMode, bootstrapClusterCreatorAdminPermissions: true }
        : undefined,
      bootstrapSelfManagedAddons: autoMode ? false : (inputs.bootstrapSelfManagedAddons ?? true),
      ...(autoMode
        ? {
            computeConfig: {
              enabled: true,
              nodePools: ["general-purpose", "system"],
              ...inputs.autoMode.computeConfig,
            },
            storageConfig: { blockStorage: { enabled: true } },
            kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
          }
        : {}),
      upgradePolicy: inputs.upgradePolicy,
      deletionProtection: inputs.deletionProtection,
    },
    child,
  );
  const kubeconfig = pulumi
    .all([eksCluster.name, eksCluster.endpoint, eksCluster.certificateAuthority])
    .apply(([clusterName, endpoint, ca]) => ({
      apiVersion: "v1",
      clusters: [
        { cluster: { server: endpoint, "certificate-authority-data": ca.data }, name: "kubernetes" },
      ],
      contexts: [{ context: { cluster: "kubernetes", user: "aws" }, name: "aws" }],
      "current-context": "aws",
      kind: "Config",
      users: [
        {
          name: "aws",
          user: { exec: { command: "aws", args: ["eks", "get-token", "--cluster-name", clusterName] } },
        },
      ],
    }));
  const kubeconfigJson = kubeconfig.apply((k) => JSON.stringify(k));
  const k8sProvider = new ForeignProvider(
    "kubernetes",
    `${name}-eks-k8s`,
    { kubeconfig: kubeconfigJson },
    child,
  );
  if (inputs.kubeProxyAddonOptions?.enabled ?? !autoMode) {
    new aws.eks.Addon(
      `${name}-kube-proxy`,
      {
        clusterName: eksCluster.name,
        addonName: "kube-proxy",
        preserve: true,
        tags: inputs.tags,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
      },
      child,
    );
  }

  let instanceRole: aws.iam.Role | undefined;
  let instanceRoles: pulumi.Input<aws.iam.Role[]> = [];
  if (inputs.instanceRoles) instanceRoles = inputs.instanceRoles;
  else if (inputs.instanceRole) instanceRoles = [inputs.instanceRole];
  else if (
    inputs.createInstanceRole ||
    (!inputs.skipDefaultNodeGroup && inputs.createInstanceRole === undefined)
  ) {
    instanceRole = serviceRole(
      `${name}-instanceRole`,
      "ec2.amazonaws.com",
      WORKER_POLICIES,
      inputs.tags,
      child,
    );
    instanceRoles = [instanceRole];
  }
  const profileRole = instanceRole ?? inputs.instanceRole;
  const instanceProfile =
    profileRole && !skipDefaultNodeGroup
      ? new aws.iam.InstanceProfile(
          `${name}-instanceProfile`,
          { role: profileRole, name: inputs.instanceProfileName },
          child,
        )
      : undefined;

  const core: ClusterCore = {
    name: eksCluster.name,
    version: eksCluster.version,
    endpoint: eksCluster.endpoint,
    certificateAuthority: eksCluster.certificateAuthority.data,
    clusterSecurityGroupId: clusterSecurityGroup?.id ?? eksCluster.vpcConfig.clusterSecurityGroupId,
    vpcId,
    subnetIds,
    publicSubnetIds: inputs.publicSubnetIds,
    privateSubnetIds: inputs.privateSubnetIds,
    ...(instanceProfile ? { instanceProfileName: instanceProfile.name } : {}),
    tags: inputs.tags,
    nodeSecurityGroupTags: inputs.nodeSecurityGroupTags,
  };
  cluster.core = core;

  // The aws-auth config map, when the cluster authenticates nodes through it.
  if (inputs.authenticationMode === undefined || String(inputs.authenticationMode).includes("CONFIG_MAP")) {
    new ForeignResource(
      "kubernetes:core/v1:ConfigMap",
      `${name}-nodeAccess`,
      {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: { name: "aws-auth", namespace: "kube-system" },
        data: pulumi.output(instanceRoles).apply((roles) => ({
          mapRoles: roles.map((role) => `- rolearn: ${role.arn}`).join("\n"),
        })),
      },
      { parent: cluster, provider: k8sProvider },
    );
  }
  if (inputs.useDefaultVpcCni !== undefined ? !inputs.useDefaultVpcCni : !autoMode) {
    const cni = new ExpandedComponent("eks:index:VpcCniAddon", `${name}-vpc-cni`, {}, child);
    new aws.eks.Addon(
      `${name}-vpc-cni`,
      {
        clusterName: eksCluster.name,
        addonName: "vpc-cni",
        tags: inputs.tags,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
      },
      { parent: cni },
    );
    cni.expansion({});
  }
  if (inputs.fargate) {
    const fargate = inputs.fargate === true ? {} : inputs.fargate;
    const podExecutionRoleArn =
      fargate.podExecutionRoleArn ??
      serviceRole(
        `${name}-podExecutionRole`,
        "eks-fargate-pods.amazonaws.com",
        ["AmazonEKSFargatePodExecutionRolePolicy"],
        inputs.tags,
        child,
      ).arn;
    // Fargate runs no GPUs; the profile is here because the engine would register it.
    new aws.eks.FargateProfile(
      /^eks(-|$)/i.test(name) ? `${name.replace("-", "_")}fargateProfile` : `${name}-fargateProfile`,
      {
        clusterName: eksCluster.name,
        podExecutionRoleArn,
        selectors: fargate.selectors ?? [{ namespace: "default" }, { namespace: "kube-system" }],
        subnetIds: fargate.subnetIds ?? subnetIds,
      },
      child,
    );
  }
  const coredns = inputs.corednsAddonOptions;
  if (
    coredns?.enabled === true ||
    coredns?.configurationValues ||
    ((inputs.fargate || !inputs.skipDefaultNodeGroup || autoMode) && (coredns?.enabled ?? true))
  ) {
    new aws.eks.Addon(
      `${name}-coredns`,
      {
        clusterName: eksCluster.name,
        addonName: "coredns",
        tags: inputs.tags,
        preserve: true,
        resolveConflictsOnCreate: "OVERWRITE",
        resolveConflictsOnUpdate: "OVERWRITE",
      },
      child,
    );
  }
  const oidcProvider = inputs.createOidcProvider
    ? new aws.iam.OpenIdConnectProvider(
        `${name}-oidcProvider`,
        {
          clientIdLists: ["sts.amazonaws.com"],
          url: eksCluster.identities.apply((ids) => ids?.[0]?.oidcs?.[0]?.issuer ?? ""),
        },
        child,
      )
    : undefined;

  let nodeGroupSecurity: [aws.ec2.SecurityGroup, aws.ec2.SecurityGroupRule] | undefined;
  if (!(inputs.skipDefaultSecurityGroups || autoMode) && clusterSecurityGroup) {
    nodeGroupSecurity = nodeSecurityGroup(
      name,
      {
        vpcId,
        clusterSecurityGroupId: clusterSecurityGroup.id,
        tags: pulumi
          .all([inputs.tags, inputs.nodeSecurityGroupTags])
          .apply(([tags, sgTags]) => ({ ...sgTags, ...tags })),
      },
      child,
    );
  }
  const nodeGroupOptions = defaultNodeGroupOptions(inputs);
  const defaultNodeGroup = skipDefaultNodeGroup
    ? undefined
    : launchTemplateNodeGroup(
        name,
        {
          ...nodeGroupOptions,
          ...(nodeGroupSecurity
            ? { nodeSecurityGroup: nodeGroupSecurity[0], clusterIngressRule: nodeGroupSecurity[1] }
            : {}),
        },
        core,
        cluster,
      );

  const oidcIssuer = eksCluster.identities.apply((ids) => ids?.[0]?.oidcs?.[0]?.issuer ?? "");
  const nodeSecurityGroupId = nodeGroupSecurity?.[0].id ?? eksCluster.vpcConfig.clusterSecurityGroupId;
  const outputs = {
    clusterSecurityGroup,
    core: {
      cluster: eksCluster,
      vpcId,
      subnetIds,
      publicSubnetIds: inputs.publicSubnetIds,
      privateSubnetIds: inputs.privateSubnetIds,
      clusterSecurityGroup,
      endpoint: eksCluster.endpoint,
      nodeGroupOptions: {
        ...nodeGroupOptions,
        nodeSecurityGroup: nodeGroupSecurity?.[0],
        clusterIngressRule: nodeGroupSecurity?.[1],
      },
      kubeconfig,
      provider: k8sProvider,
      instanceRoles,
      tags: inputs.tags,
      nodeSecurityGroupTags: inputs.nodeSecurityGroupTags,
    },
    defaultNodeGroup,
    eksCluster,
    eksClusterIngressRule: nodeGroupSecurity?.[1],
    instanceRoles,
    kubeconfig,
    kubeconfigJson,
    nodeSecurityGroup: nodeGroupSecurity?.[0],
    clusterSecurityGroupId: clusterSecurityGroup?.id ?? eksCluster.vpcConfig.clusterSecurityGroupId,
    nodeSecurityGroupId,
    clusterIngressRuleId: nodeGroupSecurity?.[1].securityGroupRuleId ?? "",
    defaultNodeGroupAsgName: defaultNodeGroup?.autoScalingGroup.name ?? "",
    fargateProfileId: "",
    fargateProfileStatus: "",
    oidcProviderArn: oidcProvider?.arn ?? "",
    oidcProviderUrl: oidcIssuer,
    oidcIssuer: oidcIssuer.apply((url) => url.replace("https://", "")),
    autoModeNodeRoleName: "",
  };
  return cluster.expansion(outputs);
};
