import * as pulumi from "@pulumi/pulumi";

/** What the mock saw: each registered resource's type, name and inputs, and the state it answered. */
export interface RegisteredResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  state: Record<string, unknown>;
}

export interface RecordedCall {
  token: string;
  inputs: Record<string, unknown>;
}

/**
 * A p5.48xlarge x 2 block for 48 hours. The fee is illustrative, of the size a block costs
 * (2 x 48 h at about $31.46 per instance-hour); the offering API returns it as a decimal string.
 */
export const OFFERING = {
  availabilityZone: "us-east-1a",
  capacityBlockOfferingId: "cbr-0123456789abcdef0",
  capacityDurationHours: 48,
  currencyCode: "USD",
  endDateRange: "2026-09-03T11:30:00Z",
  instanceCount: 2,
  instanceType: "p5.48xlarge",
  region: "us-east-1",
  startDateRange: "2026-09-01T11:30:00Z",
  tenancy: "default",
  upfrontFee: "3020.54",
};

export const MOCK_REGION = "us-east-1";

const AUTO_NAMED = new Set([
  "aws:sagemaker/model:Model",
  "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
  "aws:sagemaker/endpoint:Endpoint",
]);

export interface MockState {
  resources: RegisteredResource[];
  calls: RecordedCall[];
  /** Fields that replace OFFERING's for a requested instance type (answers are per request, not per time). */
  offeringOverrides: Record<string, Record<string, unknown>>;
}

/** Installs Pulumi mocks (not a preview, so outputs resolve) and returns what they record. */
export function installMocks(): MockState {
  const state: MockState = { resources: [], calls: [], offeringOverrides: {} };
  pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        const outputs: Record<string, unknown> = { ...args.inputs };
        // AWS auto-names these; downstream inputs (endpointConfigName, resourceId) read the name.
        if (AUTO_NAMED.has(args.type) && outputs.name === undefined) outputs.name = `${args.name}-1a2b3c4`;
        state.resources.push({ type: args.type, name: args.name, inputs: args.inputs, state: outputs });
        return { id: `${args.name}-id`, state: outputs };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        state.calls.push({ token: args.token, inputs: args.inputs });
        if (args.token === "aws:index/getRegion:getRegion") {
          return {
            name: MOCK_REGION,
            region: MOCK_REGION,
            id: MOCK_REGION,
            description: "US East (N. Virginia)",
          };
        }
        if (args.token === "aws:ec2/getCapacityBlockOffering:getCapacityBlockOffering") {
          const { instanceType, instanceCount, capacityDurationHours } = args.inputs;
          return {
            ...OFFERING,
            instanceType,
            instanceCount,
            capacityDurationHours,
            ...state.offeringOverrides[String(instanceType)],
          };
        }
        throw new Error(`unexpected call ${args.token}`);
      },
    },
    "computeguard-test",
    "dev",
    false,
  );
  return state;
}

/** Resolves an Output in a test (mocks run without a preview, so every value is known). */
export function resolved<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

/** The resources of a type the mock saw, optionally one name. */
export function registered(state: MockState, type: string, name?: string): RegisteredResource[] {
  return state.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
}

/**
 * A registered resource as a stack export would hand it to the core: outputs overlaid by inputs,
 * with the provider's region. Comparing the core's estimate of these to a component's outputs shows
 * the component computed what the policy pack will compute from the same stack.
 */
export function asStackResource(r: RegisteredResource, providerRegion = MOCK_REGION) {
  return {
    urn: `urn:pulumi:dev::computeguard-test::${r.type}::${r.name}`,
    type: r.type,
    name: r.name,
    props: { ...r.state, ...r.inputs },
    providerRegion,
  };
}
