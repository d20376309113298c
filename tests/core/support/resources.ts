import type { ResourceInput } from "../../../src/estimate/types.js";

/** Pulumi AWS types the core has adapters for. */
export const T = {
  instance: "aws:ec2/instance:Instance",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  group: "aws:autoscaling/group:Group",
  nodeGroup: "aws:eks/nodeGroup:NodeGroup",
  endpointConfiguration: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
  endpoint: "aws:sagemaker/endpoint:Endpoint",
  scalingTarget: "aws:appautoscaling/target:Target",
  provisionedThroughput: "aws:bedrock/provisionedModelThroughput:ProvisionedModelThroughput",
  capacityReservation: "aws:ec2/capacityReservation:CapacityReservation",
  capacityBlock: "aws:ec2/capacityBlockReservation:CapacityBlockReservation",
} as const;

export const SAGEMAKER_DIMENSION = "sagemaker:variant:DesiredInstanceCount";

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::core::${type}::${name}`;
}

/** A proposed resource as a front door hands it to the core. */
export function resource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  extra: Partial<Omit<ResourceInput, "type" | "name" | "props">> = {},
): ResourceInput {
  return { urn: urnOf(type, name), type, name, props, ...extra };
}
