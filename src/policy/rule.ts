import type { z } from "zod";
import type { ResourceEstimate } from "../estimate/types.js";
import type { Money } from "../money.js";
import type { EnforcementLevel } from "./enforcement.js";
import type { OrgSpend } from "./org-spend.js";
import type { Verdict } from "./verdict.js";

export type Severity = "low" | "medium" | "high" | "critical";
export type { EnforcementLevel } from "./enforcement.js";

/** Totals that grow as resources are analysed one at a time, keyed by URN so a re-analysis replaces. */
export class RunningTotal {
  private readonly byUrn = new Map<string, Money>();
  private sum: Money | undefined;

  constructor(private readonly zero: Money) {}

  /** Sets this resource's contribution; returns the total before and after. */
  set(urn: string, amount: Money): { before: Money; after: Money } {
    const before = this.sum ?? this.zero;
    const previous = this.byUrn.get(urn);
    const after = before.minus(previous ?? this.zero).plus(amount);
    this.byUrn.set(urn, amount);
    this.sum = after;
    return { before, after };
  }
}

/** The stack before the deployment, when a front door has old state (`estimate --preview`, `--compare-to`). */
export interface StackBefore {
  /** Every resource of the old state, estimated as a whole stack (links resolved). */
  estimates: readonly ResourceEstimate[];
}

export interface RuleContext {
  stack: string;
  /** The Pulumi organization, when the front door knows it: waivers scoped to `org/project/stack` need it. */
  organization?: string | undefined;
  now: Date;
  /** Per-analysis state (running totals) that lives as long as the pack process or check run. */
  totals(key: string): RunningTotal;
  /** Configs other rules ran with in this session (the summary reads the stack budget's). */
  configOf(policy: string): unknown;
  /** The organisation's spend in other stacks, when a front door has a spend ledger to read it from. */
  orgSpend?: OrgSpend;
  /** Why a front door that has a ledger could not read it (the store failed): org budgets say so. */
  orgSpendUnavailable?: string;
  /** The old state: with it, stack and team budgets judge the change rather than the totals. */
  before?: StackBefore;
}

/** A policy's pure logic and metadata; the pack, `check` and `estimate --policy-config` are front doors over it. */
export interface Rule<C = unknown> {
  name: string;
  description: string;
  remediationSteps: string;
  severity: Severity;
  enforcementLevel: EnforcementLevel;
  config: z.ZodType<C>;
  /** Judged before the resource is created, one resource at a time (running totals for budgets). */
  checkResource?(estimate: ResourceEstimate, config: C, ctx: RuleContext): Verdict[];
  /**
   * Its stack phase restates, per budget, the overruns its resource phase blocks (a stack budget's
   * total): a budget already blocked as resources registered is not blocked a second time.
   */
  restatesBudgets?: boolean;
  /** Judged with every resource known and linked (AnalyzeStack). */
  checkStack?(estimates: readonly ResourceEstimate[], config: C, ctx: RuleContext): Verdict[];

  // What a rule needs from its front door, declared here so no front door names a rule.
  /** Instance families whose most expensive type bounds a resource whose instance type is unknown. */
  boundingFamilies?(config: C): readonly string[];
  /** The organisation's spend in other stacks: a front door with a spend ledger fills `ctx.orgSpend`. */
  readsOrgSpend?: true;
  /** Text for engineers once the whole stack is judged; front doors print it after the verdicts. */
  report?(estimates: readonly ResourceEstimate[], config: C, ctx: Pick<RuleContext, "configOf">): string;
}

export function defineRule<C>(rule: Rule<C>): Rule<C> {
  return rule;
}

/** The cost a budget judges: worst case unless the config says baseline. */
export function basisCost(e: ResourceEstimate, basis: "worst-case" | "baseline"): Money | undefined {
  if (!e.monthly) return undefined;
  return basis === "baseline" ? e.monthly.baseline.total : e.monthly.worstCase.total;
}
