/** Small `pulumi preview --json` documents for unit tests, in the engine's shape. */

export const STACK = "dev";
export const PROJECT = "unit";
export const PROVIDER_URN = `urn:pulumi:${STACK}::${PROJECT}::pulumi:providers:aws::default_7_48_0`;
export const PROVIDER_REF = `${PROVIDER_URN}::5b0d0c1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e`;

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:${STACK}::${PROJECT}::${type}::${name}`;
}

export interface State {
  urn: string;
  custom: boolean;
  type: string;
  id?: string;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  provider?: string;
  propertyDependencies: Record<string, string[]>;
}

export function stateOf(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<State> = {},
): State {
  return {
    urn: urnOf(type, name),
    custom: true,
    type,
    inputs,
    outputs: {},
    provider: PROVIDER_REF,
    propertyDependencies: {},
    ...extra,
  };
}

export const INSTANCE = "aws:ec2/instance:Instance";

export function instance(name: string, instanceType: string, extra: Partial<State> = {}): State {
  return stateOf(INSTANCE, name, { instanceType, tags: { team: "t", "cost-center": "c" } }, extra);
}

export interface Step {
  op: string;
  urn: string;
  provider?: string;
  oldState?: State;
  newState?: State;
  detailedDiff: null;
}

export function step(op: string, oldState?: State, newState?: State): Step {
  const urn = (newState ?? oldState)!.urn;
  return {
    op,
    urn,
    provider: PROVIDER_REF,
    ...(oldState ? { oldState } : {}),
    ...(newState ? { newState } : {}),
    detailedDiff: null,
  };
}

/** A document with a provider in us-east-1 (listed as unchanged) and every step given. */
export function previewDoc(steps: Step[], summary: Record<string, number> = {}) {
  const provider = stateOf(
    "pulumi:providers:aws",
    "default_7_48_0",
    { region: "us-east-1" },
    {
      urn: PROVIDER_URN,
      id: "5b0d0c1e-2f3a-4b5c-8d9e-0f1a2b3c4d5e",
      provider: undefined,
    },
  );
  const same = steps.filter((s) => s.op === "same").length + 1;
  return {
    steps: [
      { op: "same", urn: PROVIDER_URN, oldState: provider, newState: provider, detailedDiff: null },
      ...steps,
    ],
    duration: 1,
    changeSummary: { same, ...summary },
  };
}
