import { expandVpc } from "./awsx/vpc.js";
import { expandCluster } from "./eks/cluster.js";
import { expandManagedNodeGroup } from "./eks/managed-node-group.js";
import { expandNodeGroup, expandNodeGroupV2 } from "./eks/self-managed-node-group.js";
import type { Expander } from "./expansion.js";

/** The remote components `check` registers the insides of, by type token. */
export const EXPANDERS: Record<string, Expander> = {
  "eks:index:Cluster": expandCluster,
  "eks:index:ManagedNodeGroup": expandManagedNodeGroup,
  "eks:index:NodeGroup": expandNodeGroup,
  "eks:index:NodeGroupV2": expandNodeGroupV2,
  "awsx:ec2:Vpc": expandVpc,
};

/**
 * Remote components that are not expanded because they create no compute of their own, and why.
 * Any other remote component could run accelerators: it is a finding (see unexpandedFindings).
 */
export const COMPUTE_FREE: Record<string, string> = {
  "awsx:ec2:DefaultVpc": "reads the account's default VPC",
  "awsx:lb:ApplicationLoadBalancer": "a load balancer",
  "awsx:lb:NetworkLoadBalancer": "a load balancer",
  "awsx:lb:TargetGroupAttachment": "attaches a target to a target group",
  "awsx:ecr:Repository": "a container registry",
  "awsx:ecr:Image": "builds and pushes a container image",
  "awsx:ecr:RegistryImage": "pushes a container image",
  "awsx:cloudtrail:Trail": "an audit trail",
  "awsx:ecs:FargateService": "Fargate runs no GPUs",
  "awsx:ecs:FargateTaskDefinition": "Fargate runs no GPUs",
  "awsx:ecs:EC2Service": "places tasks on container instances priced where they are created",
  "awsx:ecs:EC2TaskDefinition": "describes tasks; their instances are priced where they are created",
  "eks:index:VpcCniAddon": "a cluster add-on",
  "eks:index:Addon": "a cluster add-on",
  "eks:index:ClusterCreationRoleProvider": "an IAM role and provider",
  "eks:index:NodeGroupSecurityGroup": "a security group",
};
