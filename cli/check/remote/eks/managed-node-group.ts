import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ExpandedComponent, type Expander } from "../expansion.js";
import { clusterCoreOf, nodeUserData, recommendedAmi, workerSubnets } from "./shared.js";

/** Arguments that make pulumi-eks build the node group its own launch template. */
const CUSTOM_USER_DATA = [
  "kubeletExtraArgs",
  "bootstrapExtraArgs",
  "bottlerocketSettings",
  "nodeadmExtraOptions",
];
const CUSTOM_LAUNCH_TEMPLATE = [...CUSTOM_USER_DATA, "enableIMDSv2", "userData", "amiId", "enableEfaSupport"];
/** The component's own arguments, which are not aws:eks/nodeGroup properties. */
const COMPONENT_ONLY = [
  "cluster",
  "nodeRole",
  "gpu",
  "operatingSystem",
  "ignoreScalingChanges",
  "placementGroupAvailabilityZone",
  ...CUSTOM_LAUNCH_TEMPLATE,
];

/**
 * eks.ManagedNodeGroup (and eks.createManagedNodeGroup): an aws:eks/nodeGroup named like the
 * component, with the scaling pulumi-eks defaults to (2 desired, 1..2), the cluster's name and
 * subnets; plus a launch template `<name>-launchTemplate` when custom user data, an AMI, IMDSv2
 * or EFA is asked for, and a cluster placement group for EFA.
 */
export const expandManagedNodeGroup: Expander = (name, inputs, opts, context) => {
  const component = new ExpandedComponent("eks:index:ManagedNodeGroup", name, {}, opts);
  const child = { parent: component };
  const core = clusterCoreOf(context);
  if (inputs.nodeRole === undefined && inputs.nodeRoleArn === undefined) {
    throw new pulumi.InputPropertyError({
      propertyPath: "nodeRole",
      reason: "An IAM role, or role ARN must be provided to create a managed node group",
    });
  }
  const given = (key: string) => inputs[key] !== undefined;
  const customUserData = CUSTOM_USER_DATA.some(given) || given("userData") || given("amiId");
  const version = inputs.version ?? (inputs.launchTemplate ? undefined : core.version);

  const placementGroup =
    inputs.enableEfaSupport === true
      ? new aws.ec2.PlacementGroup(name, { strategy: "cluster", tags: inputs.tags }, child)
      : undefined;
  const launchTemplate = CUSTOM_LAUNCH_TEMPLATE.some(given)
    ? new aws.ec2.LaunchTemplate(
        `${name}-launchTemplate`,
        {
          ...(customUserData
            ? {
                userData: nodeUserData(core).apply((u) => Buffer.from(u).toString("base64")),
                imageId:
                  inputs.amiId ??
                  recommendedAmi(
                    version,
                    inputs.gpu,
                    pulumi.output(inputs.instanceTypes).apply((t) => t?.[0]),
                    {
                      parent: component,
                    },
                  ),
              }
            : {}),
          ...(inputs.enableIMDSv2 !== undefined
            ? {
                metadataOptions: {
                  httpTokens: inputs.enableIMDSv2 ? "required" : "optional",
                  httpPutResponseHopLimit: 2,
                  httpEndpoint: "enabled",
                },
              }
            : {}),
          ...(inputs.diskSize !== undefined
            ? { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeSize: inputs.diskSize } }] }
            : {}),
          ...(placementGroup ? { placement: { groupName: placementGroup.name } } : {}),
        },
        child,
      )
    : undefined;

  const props: Record<string, unknown> = Object.fromEntries(
    Object.entries(inputs).filter(([key]) => !COMPONENT_ONLY.includes(key)),
  );
  // The launch template carries the disk; a custom AMI rules out the AMI type and release.
  if (launchTemplate) delete props.diskSize;
  if (customUserData) for (const key of ["version", "releaseVersion", "amiType"]) delete props[key];
  else if (version !== undefined) props.version = version;

  const nodeGroup = new aws.eks.NodeGroup(
    name,
    {
      ...props,
      clusterName: inputs.clusterName ?? core.name,
      nodeRoleArn:
        inputs.nodeRoleArn ?? pulumi.output(inputs.nodeRole as aws.iam.Role).apply((role) => role.arn),
      scalingConfig: pulumi.output(inputs.scalingConfig).apply((config) => ({
        desiredSize: config?.desiredSize ?? 2,
        minSize: config?.minSize ?? 1,
        maxSize: config?.maxSize ?? 2,
      })),
      subnetIds: inputs.subnetIds ?? workerSubnets(core),
      launchTemplate: launchTemplate
        ? { id: launchTemplate.id, version: launchTemplate.latestVersion.apply(String) }
        : inputs.launchTemplate,
    } as aws.eks.NodeGroupArgs,
    child,
  );
  const outputs = { nodeGroup, placementGroupName: placementGroup?.name ?? "" };
  return component.expansion(outputs);
};
