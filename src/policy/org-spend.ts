/**
 * The organisation's GPU spend across stacks: what the spend ledger holds, how a stack's projection
 * is split by team, and how budgets count the other stacks. gpu-org-budget judges with it and the
 * store (src/store/ledger*.ts) reads and writes it; neither knows the other.
 */
import type { ResourceEstimate } from "../estimate/types.js";
import { type Money, maxMoney, sum, ZERO } from "../money.js";

/** A stack's place in the ledger. */
export interface StackRef {
  organization: string;
  project: string;
  stack: string;
}

/** A stack's projected monthly spend for one team (null: spend carrying no team tag). */
export interface TeamSpend {
  team: string | null;
  monthlyBaseline: Money;
  monthlyWorstCase: Money;
}

/** Another stack's monthly spend for one team, as the spend ledger holds it. */
export interface LedgerSpend {
  /** "project/stack". */
  stack: string;
  /** The team tag's value; null for spend carrying no team. */
  team: string | null;
  /** recorded: what its last update left; pending: what an update in flight has claimed. */
  state: "recorded" | "pending";
  monthlyBaseline: Money;
  monthlyWorstCase: Money;
}

/** The organisation's spend outside this stack: the front door reads it from the store. */
export interface OrgSpend {
  organization: string;
  otherStacks: readonly LedgerSpend[];
}

export type SpendBasis = "worst-case" | "baseline";

/** The limits an org budget judges against (gpu-org-budget's config has these and more). */
export interface BudgetLimits {
  teamLimitsUsd: Record<string, number>;
  orgLimitUsd?: number | undefined;
  basis: SpendBasis;
}

/** The team a resource is charged to: the configured tag, else computeguard:team. */
export function teamOf(e: ResourceEstimate, tagKey: string): string | undefined {
  return e.tags[tagKey] ?? e.economics.team;
}

/** A stack's projected monthly spend per team (by the tag the org budget reads), both bases. */
export function stackTeamSpend(estimates: Iterable<ResourceEstimate>, tagKey: string): TeamSpend[] {
  const byTeam = new Map<string | null, TeamSpend>();
  for (const e of estimates) {
    if (!e.monthly) continue;
    const team = teamOf(e, tagKey) ?? null;
    const spend = byTeam.get(team) ?? { team, monthlyBaseline: ZERO, monthlyWorstCase: ZERO };
    spend.monthlyBaseline = spend.monthlyBaseline.plus(e.monthly.baseline.total);
    spend.monthlyWorstCase = spend.monthlyWorstCase.plus(e.monthly.worstCase.total);
    byTeam.set(team, spend);
  }
  return [...byTeam.values()];
}

/** One stack's share of a budget. */
export interface Contribution {
  stack: string;
  amount: Money;
  /** The amount is an in-flight update's claim (larger than what it last recorded). */
  pending: boolean;
}

export interface SpendTotals {
  /** By team (null: no team). */
  teams: Map<string | null, Contribution[]>;
  organization: Contribution[];
}

/**
 * What the other stacks count for, conservatively: while an update is in flight a stack may end
 * at its claim or stay at its recorded spend, so each counts the larger — per team, and for the
 * organisation per stack (its claim's total or its recorded total).
 */
export function spendTotals(rows: readonly LedgerSpend[], basis: SpendBasis): SpendTotals {
  const amountOf = (r: LedgerSpend) => (basis === "baseline" ? r.monthlyBaseline : r.monthlyWorstCase);
  const byStackTeam = new Map<
    string,
    { stack: string; team: string | null; recorded: Money; pending: Money }
  >();
  const byStack = new Map<string, { recorded: Money; pending: Money }>();
  for (const r of rows) {
    const key = JSON.stringify([r.stack, r.team]);
    const cell = byStackTeam.get(key) ?? { stack: r.stack, team: r.team, recorded: ZERO, pending: ZERO };
    const stack = byStack.get(r.stack) ?? { recorded: ZERO, pending: ZERO };
    cell[r.state] = cell[r.state].plus(amountOf(r));
    stack[r.state] = stack[r.state].plus(amountOf(r));
    byStackTeam.set(key, cell);
    byStack.set(r.stack, stack);
  }
  const teams = new Map<string | null, Contribution[]>();
  for (const cell of byStackTeam.values()) {
    const list = teams.get(cell.team) ?? [];
    list.push(contribution(cell.stack, cell));
    teams.set(cell.team, list);
  }
  const organization = [...byStack].map(([stack, amounts]) => contribution(stack, amounts));
  return { teams, organization };
}

function contribution(stack: string, amounts: { recorded: Money; pending: Money }): Contribution {
  return {
    stack,
    amount: maxMoney(amounts.recorded, amounts.pending),
    pending: amounts.pending.greaterThan(amounts.recorded),
  };
}

export function totalOf(contributions: readonly Contribution[]): Money {
  return sum(contributions.map((c) => c.amount));
}
