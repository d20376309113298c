import type {
  EnforcementLevel,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { ResourceInput } from "../src/estimate/types.js";
import { toPolicyConfigSchema } from "../src/policy/config-schema.js";
import type { Rule } from "../src/policy/rule.js";
import type { GateSession } from "../src/policy/session.js";
import type { Verdict } from "../src/policy/verdict.js";

/** The SDK's proxy throws on unknowns (and then downgrades the policy); read the raw values instead. */
const PROXY_TARGET = "__getSpecialProxyTarget";

function raw(props: unknown): Record<string, unknown> {
  const target = (props as Record<string, unknown> | undefined)?.[PROXY_TARGET];
  return (target ?? props ?? {}) as Record<string, unknown>;
}

function providerRegion(provider: PolicyResource["provider"] | undefined): string | undefined {
  const region = provider ? raw(provider.props).region : undefined;
  return typeof region === "string" ? region : undefined;
}

/** A blocked verdict takes the policy's configured level; warnings and waivers are always advisory. */
function report(verdicts: Verdict[], reportViolation: ReportViolation, rule: Rule): void {
  for (const v of verdicts) {
    if (v.decision === "passed") continue;
    const advisory = v.decision !== "blocked";
    reportViolation({
      name: rule.name,
      description: rule.description,
      message: v.decision === "waived" ? `waived: ${v.message}` : v.message,
      ...(v.urn ? { urn: v.urn } : {}),
      ...(advisory ? { enforcementLevel: "advisory" as EnforcementLevel } : {}),
    } as never);
  }
}

export function resourceInput(args: {
  urn: string;
  type: string;
  name: string;
  props: unknown;
  provider?: PolicyResource["provider"];
}): ResourceInput {
  return {
    urn: args.urn,
    type: args.type,
    name: args.name,
    props: raw(args.props),
    providerRegion: providerRegion(args.provider),
  };
}

/** Stack resources keep their property dependencies as URNs, which link unknown ids. */
function stackInputs(resources: PolicyResource[]): ResourceInput[] {
  return resources.map((r) => ({
    ...resourceInput(r),
    propertyDependencies: Object.fromEntries(
      Object.entries(r.propertyDependencies ?? {}).map(([k, deps]) => [k, deps.map((d) => d.urn)]),
    ),
  }));
}

export type Hooks = {
  /** Called with every verdict (the audit trail), and with the summary text of a stack analysis. */
  onVerdicts?(rule: Rule, verdicts: Verdict[]): void;
  onStackEstimates?(rule: Rule, inputs: ResourceInput[]): void;
};

/** A CrossGuard policy over a pure rule: translate the request in, the verdicts out. */
export function policyFromRule(
  rule: Rule,
  session: GateSession,
  hooks: Hooks = {},
): ResourceValidationPolicy & Partial<StackValidationPolicy> {
  const policy: ResourceValidationPolicy & Partial<StackValidationPolicy> = {
    name: rule.name,
    description: rule.description,
    remediationSteps: rule.remediationSteps,
    severity: rule.severity,
    enforcementLevel: rule.enforcementLevel,
    configSchema: toPolicyConfigSchema(rule.config) as never,
    validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
      const verdicts = session.resourceVerdicts(rule, args.getConfig(), resourceInput(args));
      hooks.onVerdicts?.(rule, verdicts);
      report(verdicts, reportViolation, rule);
    },
  };
  policy.validateStack = (args: StackValidationArgs, reportViolation: ReportViolation) => {
    const inputs = session.stackInputsFor(args.resources, stackInputs);
    const verdicts = session.stackVerdicts(rule, args.getConfig(), inputs);
    hooks.onVerdicts?.(rule, verdicts);
    hooks.onStackEstimates?.(rule, inputs);
    report(verdicts, reportViolation, rule);
  };
  return policy;
}
