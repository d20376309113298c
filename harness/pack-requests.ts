/**
 * What the engine sends the pack for a benchmark workload: the policy config, then the inputs of
 * every resource (Analyze) and every output with its dependencies (AnalyzeStack). Shared by the
 * benchmarks and the tests that check them.
 */
import {
  makeUrn,
  type PolicyPackConfig,
  type ProviderInput,
  type ResourceInput,
  type StackResourceInput,
} from "./engine.js";
import {
  ALLOWED_FAMILIES,
  AWS_PROVIDER_NAME,
  AWS_PROVIDER_TYPE,
  type BenchResource,
  REGION,
} from "./workload.js";

export const STACK = { stack: "prod", project: "ml", organization: "acme" };

/**
 * Budgets high enough that only the few p5.48xlarge instances of the workload ($40,179/mo each,
 * over the $20,000 per-resource limit) are blocked: each block is one audit record.
 */
export const BENCH_POLICY_CONFIG: PolicyPackConfig = {
  "gpu-resource-budget": { monthlyLimitUsd: 20_000 },
  "gpu-stack-budget": { monthlyLimitUsd: 1_000_000_000 },
  "accelerator-allowlist": { allowedInstanceFamilies: ALLOWED_FAMILIES, maxAcceleratorsPerResource: 64 },
  "bounded-autoscaling": { maxInstances: 16 },
  "inference-margin-floor": { minGrossMarginPercent: 40 },
  "cost-allocation-tags": "advisory",
};

const aws: ProviderInput = {
  type: AWS_PROVIDER_TYPE,
  name: AWS_PROVIDER_NAME,
  properties: { region: REGION, version: "7.48.0" },
};
const kubernetes: ProviderInput = {
  type: "pulumi:providers:kubernetes",
  name: "default_4_34_2",
  properties: { version: "4.34.2" },
};
/** The default provider of the resource's package, as the engine names it. */
const providerOf = (type: string) => (type.startsWith("kubernetes:") ? kubernetes : aws);

export interface EngineRequests {
  analyze: ResourceInput[];
  stack: StackResourceInput[];
}

/** What the engine sends: inputs per resource before creation, then every output with its dependencies. */
export function engineRequests(resources: readonly BenchResource[]): EngineRequests {
  const typeByName = new Map(resources.map((r) => [r.name, r.type]));
  const urn = (name: string) => makeUrn(STACK.stack, STACK.project, typeByName.get(name)!, name);
  return {
    analyze: resources.map((r) => ({
      type: r.type,
      name: r.name,
      properties: r.properties,
      provider: providerOf(r.type),
    })),
    stack: resources.map((r) => ({
      type: r.type,
      name: r.name,
      properties: r.outputs,
      provider: providerOf(r.type),
      propertyDependencies: Object.fromEntries(
        Object.entries(r.dependsOn ?? {}).map(([key, names]) => [key, names.map(urn)]),
      ),
      dependencies: Object.values(r.dependsOn ?? {}).flatMap((names) => names.map(urn)),
    })),
  };
}
