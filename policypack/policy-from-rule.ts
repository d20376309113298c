import { AsyncLocalStorage } from "node:async_hooks";
import type {
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import { shouldRecord } from "../src/audit/failure-policy.js";
import type { ResourceEstimate, ResourceInput } from "../src/estimate/types.js";
import { type AuditContext, auditDecision } from "../src/policy/audit-draft.js";
import { toPolicyConfigSchema } from "../src/policy/config-schema.js";
import { type ActiveLevel, enforcedAs, reportedLevel } from "../src/policy/enforcement.js";
import type { Rule } from "../src/policy/rule.js";
import type { GateSession } from "../src/policy/session.js";
import type { Verdict } from "../src/policy/verdict.js";
import { isSecret, SECRET_PLACEHOLDER } from "../src/unknown.js";
import { recordVerdicts } from "./audit.js";
import { type PendingRecord, pendingRecordsFor } from "./audit-batch.js";
import { configuredLevels } from "./configured-levels.js";
import { PROXY_TARGET } from "./policy-sdk.js";
import { PREBUILT_SCHEMAS } from "./prebuilt-schemas.js";

function raw(props: unknown): Record<string, unknown> {
  const target = (props as Record<string, unknown> | undefined)?.[PROXY_TARGET];
  return (target ?? props ?? {}) as Record<string, unknown>;
}

/** A secret region is kept as the secret placeholder: it bounds the price, never falls to a default. */
function providerRegion(provider: PolicyResource["provider"] | undefined): string | undefined {
  const region = provider ? raw(provider.props).region : undefined;
  if (typeof region === "string") return region;
  return isSecret(region) ? SECRET_PLACEHOLDER : undefined;
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
    // The engine names a provider for every custom resource; components and the stack have none.
    custom: args.provider !== undefined,
  };
}

/**
 * Every policy of one Analyze request is handed the very same props object (shared-deserialization.ts),
 * which identifies the request: its input is built once, for all of them.
 */
const requestInputs = new WeakMap<object, ResourceInput>();

function requestInput(args: Parameters<typeof resourceInput>[0]): ResourceInput {
  const props = raw(args.props);
  let input = requestInputs.get(props);
  if (!input) {
    input = resourceInput(args);
    requestInputs.set(props, input);
  }
  return input;
}

/**
 * Verdicts judged before the SDK ran the policies (passesEveryPolicy), by input and policy: each
 * is taken by the policy it belongs to instead of judging again, since judging counts (a stack
 * budget's running total warns once).
 */
const judgedAhead = new WeakMap<ResourceInput, Map<string, Verdict[]>>();

function takeJudgedAhead(input: ResourceInput, rule: Rule): Verdict[] | undefined {
  const judged = judgedAhead.get(input);
  const verdicts = judged?.get(rule.name);
  judged?.delete(rule.name);
  return verdicts;
}

/**
 * Whether every resource policy passes the resource without a word: each enabled policy's
 * verdicts all pass and passing is not recorded. The SDK's loop over the policies would then
 * answer with nothing, so the pack may answer at once (analyzer-fast-path.ts). Otherwise the SDK
 * runs the policies, which report the verdicts judged here (in the same order) rather than judge
 * again; a policy whose verdicts could not be judged here judges, and fails, there.
 */
export function passesEveryPolicy(
  args: Parameters<typeof resourceInput>[0],
  rules: readonly Rule[],
  session: GateSession,
  configOf: (policy: string) => unknown,
): boolean {
  const input = requestInput(args);
  const judged = new Map<string, Verdict[]>();
  judgedAhead.set(input, judged);
  let silent = true;
  try {
    for (const rule of rules) {
      if (!rule.checkResource || (configuredLevels.get(rule.name) ?? rule.enforcementLevel) === "disabled")
        continue;
      const level = levelOf(rule);
      const verdicts = session.resourceVerdicts(rule, configOf(rule.name) ?? {}, input);
      judged.set(rule.name, verdicts);
      silent &&= verdicts.every((v) => v.decision === "passed" && !shouldRecord(auditDecision(v, level)));
    }
  } catch {
    return false;
  }
  if (silent) judgedAhead.delete(input);
  return silent;
}

/** Stack resources keep their property dependencies as URNs, which link unknown ids. */
function stackInput(r: PolicyResource): ResourceInput {
  return {
    ...resourceInput(r),
    propertyDependencies: Object.fromEntries(
      Object.entries(r.propertyDependencies ?? {}).map(([k, deps]) => [k, deps.map((d) => d.urn)]),
    ),
  };
}

/**
 * The resources of the AnalyzeStack request being answered, converted once from the request
 * itself (analyzer-fast-path.ts). The SDK is then handed none: it would rebuild every resource,
 * its options, provider and dependencies for each of the dozen stack policies in turn.
 */
export const requestStack = new AsyncLocalStorage<ResourceInput[]>();

/** The last stack converted: its resources' deserialized props, in order, and what they became. */
let lastStack: { props: unknown[]; inputs: ResourceInput[] } | undefined;

/**
 * The SDK rebuilds the resource list for every stack policy of one AnalyzeStack, over the very
 * props objects every policy shares (shared-deserialization.ts). The same props objects in the
 * same order are the same request's resources (urn, provider and dependencies too): converted once.
 */
function stackInputs(resources: PolicyResource[]): ResourceInput[] {
  const props = resources.map((r) => raw(r.props));
  const last = lastStack;
  if (last && last.props.length === props.length && last.props.every((p, i) => p === props[i]))
    return last.inputs;
  const inputs = resources.map(stackInput);
  lastStack = { props, inputs };
  return inputs;
}

/** The level the engine configured this policy at (the engine never runs a disabled one). */
function levelOf(rule: Rule): ActiveLevel {
  const level = configuredLevels.get(rule.name) ?? rule.enforcementLevel;
  return level === "disabled" ? "advisory" : level;
}

/** Each verdict at the level enforcement.ts gives it: mandatory only when it blocks. */
function report(verdicts: Verdict[], reportViolation: ReportViolation, rule: Rule): void {
  for (const v of verdicts) {
    if (v.decision === "passed") continue;
    reportViolation({
      name: rule.name,
      description: rule.description,
      message: v.decision === "waived" ? `waived: ${v.message}` : v.message,
      ...(v.urn ? { urn: v.urn } : {}),
      enforcementLevel: reportedLevel(v.decision, levelOf(rule)),
    } as never);
  }
}

async function reportAndRecord(
  rule: Rule,
  verdicts: Verdict[],
  config: unknown,
  estimateOf: (v: Verdict) => ResourceEstimate | undefined,
  reportViolation: ReportViolation,
  audit: AuditContext,
  pending?: { urn: string; records: PendingRecord[] },
): Promise<void> {
  report(verdicts, reportViolation, rule);
  reportFindings(
    await recordVerdicts(
      verdicts,
      levelOf(rule),
      estimateOf,
      config,
      audit,
      pending ? { ...pending, rule } : undefined,
    ),
    rule,
    reportViolation,
  );
}

/** A finding the pack itself raises (an audit record or the spend ledger failed), at its own level. */
export interface PackFinding {
  message: string;
  urn?: string;
  enforcementLevel: "advisory" | "mandatory";
}

type Judge = () => Verdict[];
type Judged = Promise<{ verdicts: Verdict[]; findings: PackFinding[] }>;

export interface PolicyHooks {
  /** After a stack policy ran over the complete, linked estimate and its decisions were recorded. */
  afterStack?(rule: Rule, inputs: ResourceInput[]): void | Promise<void>;
  /** A mandatory violation was reported for this resource: the engine will not create it. */
  onBlocked?(urn: string): Promise<void>;
  /** Runs `judge` with what the request alone does not carry (gpu-org-budget: the spend ledger). */
  judgeResource?(
    level: "advisory" | "mandatory",
    input: ResourceInput,
    config: unknown,
    judge: Judge,
  ): Judged;
  judgeStack?(
    level: "advisory" | "mandatory",
    inputs: ResourceInput[],
    config: unknown,
    judge: Judge,
  ): Judged;
}

function reportFindings(findings: PackFinding[], rule: Rule, reportViolation: ReportViolation): void {
  for (const f of findings)
    reportViolation({ name: rule.name, description: rule.description, ...f } as never);
}

/**
 * A CrossGuard policy over a pure rule: translate the request in, the verdicts out, and audit them.
 * A rule that judges no single resource (the settings, the cost summary) is a stack policy only:
 * the SDK then skips it for every resource instead of running it to find nothing.
 */
export function policyFromRule(
  rule: Rule,
  session: GateSession,
  audit: () => AuditContext,
  hooks: PolicyHooks = {},
): Partial<ResourceValidationPolicy> & StackValidationPolicy {
  const validateResource = async (args: ResourceValidationArgs, engineReport: ReportViolation) => {
    const input = requestInput(args);
    const config = args.getConfig();
    let blocks = false;
    const reportViolation: ReportViolation = (violation, urn) => {
      const level =
        (violation as { enforcementLevel?: string }).enforcementLevel ?? enforcedAs(levelOf(rule));
      if (level === "mandatory") blocks = true;
      engineReport(violation, urn);
    };
    const judge = () => takeJudgedAhead(input, rule) ?? session.resourceVerdicts(rule, config, input);
    const { verdicts, findings } = hooks.judgeResource
      ? await hooks.judgeResource(enforcedAs(levelOf(rule)), input, config, judge)
      : { verdicts: judge(), findings: [] };
    reportFindings(findings, rule, reportViolation);
    if (verdicts.length > 0) {
      const pending = pendingRecordsFor(input.urn);
      await reportAndRecord(
        rule,
        verdicts,
        config,
        () => session.estimate(input),
        reportViolation,
        audit(),
        pending ? { urn: input.urn, records: pending } : undefined,
      );
    }
    if (blocks) await hooks.onBlocked?.(input.urn);
  };
  return {
    name: rule.name,
    description: rule.description,
    remediationSteps: rule.remediationSteps,
    severity: rule.severity,
    enforcementLevel: rule.enforcementLevel,
    configSchema: (PREBUILT_SCHEMAS?.[rule.name] ?? toPolicyConfigSchema(rule.config)) as never,
    ...(rule.checkResource ? { validateResource } : {}),
    validateStack: async (args: StackValidationArgs, reportViolation: ReportViolation) => {
      const given = requestStack.getStore();
      const inputs = given
        ? session.stackInputsFor(given, (same) => same)
        : session.stackInputsFor(args.resources, stackInputs);
      const config = args.getConfig();
      const judge = () => session.stackVerdicts(rule, config, inputs);
      const { verdicts, findings } = hooks.judgeStack
        ? await hooks.judgeStack(enforcedAs(levelOf(rule)), inputs, config, judge)
        : { verdicts: judge(), findings: [] };
      reportFindings(findings, rule, reportViolation);
      if (verdicts.length > 0) {
        const byUrn = new Map(session.estimateComplete(inputs).resources.map((e) => [e.urn, e]));
        const estimateOf = (v: Verdict) => (v.urn ? byUrn.get(v.urn) : undefined);
        await reportAndRecord(rule, verdicts, config, estimateOf, reportViolation, audit());
      }
      await hooks.afterStack?.(rule, inputs);
    },
  };
}
