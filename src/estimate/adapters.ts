import * as scalingTarget from "../resources/aws/appautoscaling/target.js";
import * as autoscalingGroup from "../resources/aws/autoscaling/group.js";
import * as provisionedThroughput from "../resources/aws/bedrock/provisioned-model-throughput.js";
import * as capacityBlock from "../resources/aws/ec2/capacity-block-reservation.js";
import * as capacityReservation from "../resources/aws/ec2/capacity-reservation.js";
import * as instance from "../resources/aws/ec2/instance.js";
import * as launchTemplate from "../resources/aws/ec2/launch-template.js";
import * as nodeGroup from "../resources/aws/eks/node-group.js";
import * as endpoint from "../resources/aws/sagemaker/endpoint.js";
import * as endpointConfiguration from "../resources/aws/sagemaker/endpoint-configuration.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "./types.js";

export type Adapter = (input: ResourceInput, ctx: EstimateContext) => ResourceEstimate;

/** One adapter per Pulumi AWS type; every other type is not applicable. */
export const ADAPTERS: ReadonlyMap<string, Adapter> = new Map(
  [
    instance,
    launchTemplate,
    autoscalingGroup,
    nodeGroup,
    endpointConfiguration,
    endpoint,
    scalingTarget,
    provisionedThroughput,
    capacityReservation,
    capacityBlock,
  ].map((m) => [m.TYPE, m.estimate] as const),
);
