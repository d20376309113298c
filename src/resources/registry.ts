import type {
  EstimateContext,
  References,
  ReferenceTable,
  ResourceEstimate,
  ResourceInput,
} from "../estimate/types.js";
import { admit } from "./admit.js";
import * as scalingTarget from "./aws/appautoscaling/target.js";
import * as autoscalingGroup from "./aws/autoscaling/group.js";
import * as batchComputeEnvironment from "./aws/batch/compute-environment.js";
import * as provisionedThroughput from "./aws/bedrock/provisioned-model-throughput.js";
import * as cloudformationStack from "./aws/cloudformation/stack.js";
import * as capacityBlock from "./aws/ec2/capacity-block-reservation.js";
import * as capacityReservation from "./aws/ec2/capacity-reservation.js";
import * as ec2Fleet from "./aws/ec2/fleet.js";
import * as instance from "./aws/ec2/instance.js";
import * as launchConfiguration from "./aws/ec2/launch-configuration.js";
import * as launchTemplate from "./aws/ec2/launch-template.js";
import * as spotFleetRequest from "./aws/ec2/spot-fleet-request.js";
import * as spotInstanceRequest from "./aws/ec2/spot-instance-request.js";
import * as nodeGroup from "./aws/eks/node-group.js";
import * as emrCluster from "./aws/emr/cluster.js";
import * as emrInstanceFleet from "./aws/emr/instance-fleet.js";
import * as emrInstanceGroup from "./aws/emr/instance-group.js";
import * as emrManagedScalingPolicy from "./aws/emr/managed-scaling-policy.js";
import * as studioApp from "./aws/sagemaker/app.js";
import * as endpoint from "./aws/sagemaker/endpoint.js";
import * as endpointConfiguration from "./aws/sagemaker/endpoint-configuration.js";
import * as notebookInstance from "./aws/sagemaker/notebook-instance.js";
import * as studioSpace from "./aws/sagemaker/space.js";
import * as karpenterNodePool from "./kubernetes/karpenter/node-pool.js";

export type Adapter = (input: ResourceInput, ctx: EstimateContext) => ResourceEstimate;

/** What every adapter file exports: its Pulumi type token(s), its estimate, and what it references. */
interface AdapterModule {
  TYPE: string | readonly string[];
  estimate: Adapter;
  /** Property -> the types its value references (launch templates, endpoint configurations, ...). */
  REFERENCES?: References;
}

/**
 * Everything computeguard prices, one line per adapter file. The pack's fast path, the gate's
 * candidate filter, the plan readers, `check`, `estimate` and the links between resources all read
 * this list; a type that is not here is only ever seen by the tripwire.
 */
const MODULES: readonly AdapterModule[] = [
  instance,
  spotInstanceRequest,
  launchTemplate,
  launchConfiguration,
  autoscalingGroup,
  spotFleetRequest,
  ec2Fleet,
  capacityReservation,
  capacityBlock,
  nodeGroup,
  cloudformationStack,
  batchComputeEnvironment,
  emrCluster,
  emrInstanceGroup,
  emrInstanceFleet,
  emrManagedScalingPolicy,
  endpointConfiguration,
  endpoint,
  scalingTarget,
  notebookInstance,
  studioSpace,
  studioApp,
  provisionedThroughput,
  karpenterNodePool,
];

const typesOf = (m: AdapterModule): readonly string[] => (typeof m.TYPE === "string" ? [m.TYPE] : m.TYPE);

/** One adapter per type token, behind the registry's entrance (`admit`: nulls are absence). */
export const ADAPTERS: ReadonlyMap<string, Adapter> = new Map(
  MODULES.flatMap((m) =>
    typesOf(m).map(
      (type) =>
        [type, (input: ResourceInput, ctx: EstimateContext) => m.estimate(admit(input), ctx)] as const,
    ),
  ),
);

/** What every adapter sees of a resource, its own and the ones it links to. */
export { admit };

/** Which property of which type references which other types: what StackLinks indexes. */
export const REFERENCES: ReferenceTable = new Map(
  MODULES.flatMap((m) => typesOf(m).map((type) => [type, m.REFERENCES ?? {}] as const)),
);

/** Every type computeguard prices. */
export const PRICED_TYPES: readonly string[] = [...ADAPTERS.keys()];

export function adapterFor(type: string): Adapter | undefined {
  return ADAPTERS.get(type);
}

export function isPricedType(type: string): boolean {
  return ADAPTERS.has(type);
}
