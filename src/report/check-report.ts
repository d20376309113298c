import { type CostTotals, type StackEstimate, totalsOf } from "../estimate/estimator.js";
import type { ResourceEstimate } from "../estimate/types.js";
import { type Money, money } from "../money.js";
import { type Outcome, worstOutcome } from "../policy/enforcement.js";
import type { EffectivePolicy, Finding } from "../policy/gate.js";
import { basisCost } from "../policy/rule.js";
import { gpuStackBudget } from "../policy/rules/index.js";
import { parseRuleConfig } from "../policy/session.js";

/** Where a registered resource's region came from. */
export interface ProviderRegion {
  region: string;
  from: "provider" | "stack config";
}

/** One resource the program registered, in registration order, as the engine would know it. */
export interface RegisteredResource {
  /** The engine's URN: parent types joined with `$`, the root stack left out. */
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent?: string;
  /** URN of its explicit provider; absent with the default provider. */
  provider?: string;
  providerRegion?: ProviderRegion;
  /** As the program passed them (secrets unwrapped, resource references as URNs). */
  inputs: Record<string, unknown>;
  /** Inputs plus what the provider's Check adds (generated names): what Analyze sees. */
  props: Record<string, unknown>;
  /** Input property -> URNs of the resources its value came from. */
  propertyDependencies: Record<string, string[]>;
}

/** A remote (multi-language) component the check registered as it is, without what it creates inside. */
export interface UnexpandedComponent {
  urn: string;
  type: string;
  name: string;
  /** Why it cannot run accelerators, when its type is known to create no compute. */
  computeFree?: string;
}

export interface CheckedResource {
  estimate: ResourceEstimate;
  registered: RegisteredResource | undefined;
  /** Share of the stack budget, on that budget's basis (worst case unless configured). */
  budgetSharePercent?: Money;
  marginPercent?: Money;
  marginFloorPercent?: Money;
  /** The most severe outcome of its findings. */
  outcome: Outcome;
  findings: Finding[];
}

export interface StackBudget {
  limit: Money;
  basis: "worst-case" | "baseline";
  warnAtPercent: number;
  usedPercent: Money;
}

export interface AuditOutcome {
  log: string;
  recorded: number;
  head?: { seq: number; hash: string };
  failures: string[];
  /** Whether a failed write blocks (COMPUTEGUARD_AUDIT_ON_FAILURE=block); a check only warns by default. */
  failureBlocks: boolean;
}

export interface CheckReport {
  project: string;
  stack: string;
  program: string;
  registeredCount: number;
  catalogVersion: string;
  hoursPerMonth: number;
  priceSheet?: string;
  /** GPU/inference resources (and any other resource a policy spoke about), in registration order. */
  resources: CheckedResource[];
  /** Every finding in evaluation order: per resource as it registered, then the stack phase. */
  findings: Finding[];
  /** Stack-level findings (no resource). */
  stackFindings: Finding[];
  totals: CostTotals;
  stackBudget?: StackBudget;
  summary?: string;
  placeholderDataSources: string[];
  unexpandedComponents: UnexpandedComponent[];
  audit?: AuditOutcome;
}

export interface ReportInput {
  project: string;
  stack: string;
  program: string;
  registered: readonly RegisteredResource[];
  estimate: StackEstimate;
  findings: Finding[];
  policies: readonly EffectivePolicy[];
  priceSheet?: string;
  placeholderDataSources: string[];
  unexpandedComponents?: UnexpandedComponent[];
}

function enabledConfig<C>(policies: readonly EffectivePolicy[], name: string): C | undefined {
  const p = policies.find((x) => x.rule.name === name && x.level !== "disabled");
  return p ? (parseRuleConfig(p.rule, p.config) as C) : undefined;
}

/** Findings that block the deployment: a mandatory policy's violation. */
export function blockingFindings(report: CheckReport): Finding[] {
  return report.findings.filter((f) => f.outcome === "blocked");
}

/** 0 when nothing mandatory failed, 1 when something is blocked (or an audit write must block). */
export function exitCodeOf(report: CheckReport): 0 | 1 {
  const auditBlocks = report.audit?.failureBlocks === true && report.audit.failures.length > 0;
  return blockingFindings(report).length > 0 || auditBlocks ? 1 : 0;
}

/** Joins the gate's verdicts to the estimates they judged, with budget share and margin per resource. */
export function buildCheckReport(input: ReportInput): CheckReport {
  const stackConfig = enabledConfig<{
    monthlyLimitUsd: number;
    basis: "worst-case" | "baseline";
    warnAtPercent: number;
  }>(input.policies, gpuStackBudget.name);
  const limit =
    stackConfig && stackConfig.monthlyLimitUsd > 0 ? money(stackConfig.monthlyLimitUsd) : undefined;
  const registeredByUrn = new Map(input.registered.map((r) => [r.urn, r]));
  const findingsByUrn = new Map<string, Finding[]>();
  for (const f of input.findings) {
    if (f.urn) findingsByUrn.set(f.urn, [...(findingsByUrn.get(f.urn) ?? []), f]);
  }
  const resources: CheckedResource[] = [];
  for (const e of input.estimate.resources) {
    const findings = findingsByUrn.get(e.urn) ?? [];
    const spoken = findings.some((f) => f.decision !== "passed");
    if (e.status === "not-applicable" && !spoken) continue;
    const margin = findings.find((f) => f.marginPercent !== undefined && f.budget === "margin");
    const cost = stackConfig ? basisCost(e, stackConfig.basis) : undefined;
    resources.push({
      estimate: e,
      registered: registeredByUrn.get(e.urn),
      ...(limit && cost ? { budgetSharePercent: cost.dividedBy(limit).times(100) } : {}),
      ...(margin?.marginPercent ? { marginPercent: margin.marginPercent } : {}),
      ...(margin?.limit ? { marginFloorPercent: margin.limit } : {}),
      outcome: worstOutcome(findings.map((f) => f.outcome)),
      findings,
    });
  }
  const totals = totalsOf(input.estimate.resources);
  const configOf = (name: string) => enabledConfig(input.policies, name);
  const reports = input.policies.flatMap((p) =>
    p.rule.report && p.level !== "disabled"
      ? [p.rule.report(input.estimate.resources, parseRuleConfig(p.rule, p.config), { configOf })]
      : [],
  );
  const stackBudget: StackBudget | undefined =
    stackConfig && limit
      ? {
          limit,
          basis: stackConfig.basis,
          warnAtPercent: stackConfig.warnAtPercent,
          usedPercent: (stackConfig.basis === "baseline" ? totals.monthlyBaseline : totals.monthlyWorstCase)
            .dividedBy(limit)
            .times(100),
        }
      : undefined;
  return {
    project: input.project,
    stack: input.stack,
    program: input.program,
    registeredCount: input.registered.length,
    catalogVersion: input.estimate.catalogVersion,
    hoursPerMonth: input.estimate.hoursPerMonth,
    ...(input.priceSheet ? { priceSheet: input.priceSheet } : {}),
    resources,
    findings: input.findings,
    stackFindings: input.findings.filter((f) => !f.urn),
    totals,
    ...(stackBudget ? { stackBudget } : {}),
    ...(reports.length > 0 ? { summary: reports.join("\n") } : {}),
    placeholderDataSources: input.placeholderDataSources,
    unexpandedComponents: input.unexpandedComponents ?? [],
  };
}
