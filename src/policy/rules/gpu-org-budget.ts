import { z } from "zod";
import type { ResourceEstimate } from "../../estimate/types.js";
import { type Money, sum, ZERO } from "../../money.js";
import { type Contribution, type SpendTotals, spendTotals, teamOf, totalOf } from "../org-spend.js";
import { basisCost, defineRule, type RuleContext } from "../rule.js";
import type { Verdict } from "../verdict.js";
import { Basis, passed, perMonth, Usd, usd } from "./common.js";
import { unlistedTeam, unlistedTeamsDescription } from "./team-limits.js";

const Config = z.strictObject({
  tagKey: z.string().min(1).default("team").describe("Tag naming the team a resource's spend is charged to"),
  teamLimitsUsd: z
    .record(z.string(), Usd)
    .default({})
    .describe("Monthly limit per team across every stack of the organization (USD), by the tagKey's value"),
  unlistedTeams: z
    .enum(["block", "org-limit-only"])
    .default("block")
    .describe(unlistedTeamsDescription("the organization's limit")),
  orgLimitUsd: Usd.optional().describe("Monthly limit of the whole organization across every stack (USD)"),
  warnAtPercent: z
    .number()
    .min(0)
    .max(100)
    .default(80)
    .describe("Warn (advisory) once a budget passes this share of its limit"),
  basis: Basis.default("worst-case"),
});
export type OrgBudgetConfig = z.infer<typeof Config>;

interface OrgBudget {
  key: string;
  label: string;
  limit: Money;
  /** Which of the other stacks' spend this budget counts. */
  elsewhere: Contribution[];
}

function budgetsFor(team: string | null, config: OrgBudgetConfig, others: SpendTotals): OrgBudget[] {
  const budgets: OrgBudget[] = [];
  const teamLimit = team === null ? undefined : config.teamLimitsUsd[team];
  if (team !== null && teamLimit !== undefined) {
    budgets.push({
      key: `org-team:${team}`,
      label: `team ${team}`,
      limit: usd(teamLimit),
      elsewhere: others.teams.get(team) ?? [],
    });
  }
  if (config.orgLimitUsd !== undefined) {
    budgets.push({
      key: "organization",
      label: "the organization",
      limit: usd(config.orgLimitUsd),
      elsewhere: others.organization,
    });
  }
  return budgets;
}

/** "ml/staging $40,179.20/mo (update in flight), ..." — largest first. */
function listing(contributions: readonly Contribution[]): string {
  const shown = [...contributions]
    .filter((c) => c.amount.greaterThan(0))
    .sort((a, b) => b.amount.comparedTo(a.amount) || a.stack.localeCompare(b.stack));
  if (shown.length === 0) return "no other stack";
  const items = shown
    .slice(0, 10)
    .map((c) => `${c.stack} ${perMonth(c.amount)}${c.pending ? " (update in flight)" : ""}`);
  return `${items.join(", ")}${shown.length > 10 ? ", ..." : ""}`;
}

function breakdown(mine: Money, elsewhere: readonly Contribution[]): string {
  return `this stack ${perMonth(mine)}; other stacks ${perMonth(totalOf(elsewhere))}: ${listing(elsewhere)}`;
}

function teamKey(e: ResourceEstimate, tagKey: string): string | null {
  return teamOf(e, tagKey) ?? null;
}

export const gpuOrgBudget = defineRule({
  name: "gpu-org-budget",
  description:
    "A team's (and the organization's) projected monthly GPU and inference spend across every stack must stay within its budget.",
  remediationSteps:
    "Reduce this stack's GPU spend, free budget in the team's other stacks (`computeguard ledger list --team TEAM` shows where it goes), or raise the limit in the policy config (`teamLimitsUsd`, `orgLimitUsd`). Needs the shared store (COMPUTEGUARD_STORE_URL, `computeguard store migrate`): without one, a configured limit cannot be judged and is reported at this policy's level.",
  severity: "high",
  enforcementLevel: "mandatory",
  config: Config,
  readsOrgSpend: true,
  /** Before creation: other stacks' spend plus this stack's running total; the resource that crosses a limit is blocked. */
  checkResource(e, config, ctx) {
    const cost = basisCost(e, config.basis);
    if (cost === undefined) return [];
    const unlisted = unlistedVerdict(this.name, e, cost, config);
    if (!ctx.orgSpend) {
      if (cost.isZero()) return [];
      const budgets = budgetsFor(teamKey(e, config.tagKey), config, NO_OTHER_STACKS);
      return [...unlisted, ...budgets.map((budget) => unjudged(this.name, budget, cost, ctx, e))];
    }
    const others = spendTotals(ctx.orgSpend.otherStacks, config.basis);
    return [
      ...unlisted,
      ...budgetsFor(teamKey(e, config.tagKey), config, others).map((budget) => {
        const { before, after } = ctx.totals(`${this.name}|${config.basis}|${budget.key}`).set(e.urn, cost);
        return judgeResource(this.name, e, cost, budget, before, after, config, ctx);
      }),
    ];
  },
  /** The complete picture: every budget this stack spends from, with every stack that shares it. */
  checkStack(estimates, config, ctx) {
    const others = ctx.orgSpend ? spendTotals(ctx.orgSpend.otherStacks, config.basis) : NO_OTHER_STACKS;
    const mine = new Map<string | null, Money>();
    for (const e of estimates) {
      const cost = basisCost(e, config.basis);
      if (cost === undefined || cost.isZero()) continue;
      const team = teamKey(e, config.tagKey);
      mine.set(team, (mine.get(team) ?? ZERO).plus(cost));
    }
    const stackTotal = sum([...mine.values()]);
    const seen = new Set<string>();
    const verdicts: Verdict[] = estimates.flatMap((e) => {
      const cost = basisCost(e, config.basis);
      return cost === undefined ? [] : unlistedVerdict(this.name, e, cost, config);
    });
    for (const [team, amount] of mine) {
      for (const budget of budgetsFor(team, config, others)) {
        if (seen.has(budget.key)) continue;
        seen.add(budget.key);
        const own = budget.key === "organization" ? stackTotal : amount;
        verdicts.push(
          ctx.orgSpend
            ? judgeStack(this.name, budget, own, config, ctx.orgSpend.organization)
            : unjudged(this.name, budget, own, ctx),
        );
      }
    }
    return verdicts;
  },
});

/** Spend charged to no configured team escapes every team limit: blocked, as gpu-stack-budget does. */
function unlistedVerdict(
  policy: string,
  e: ResourceEstimate,
  cost: Money,
  config: OrgBudgetConfig,
): Verdict[] {
  const found = unlistedTeam(e, cost, config);
  if (!found) return [];
  return [
    {
      policy,
      decision: "blocked",
      urn: e.urn,
      resourceType: e.type,
      projected: cost,
      budget: `org-team:${found.team ?? "(none)"}`,
      message: `${e.name} (+${perMonth(cost)}) ${found.clause}`,
    },
  ];
}

const NO_OTHER_STACKS: SpendTotals = { teams: new Map(), organization: [] };

/**
 * A configured limit with no spend ledger to judge it against (no store, or it could not be read)
 * is a violation at the policy's level, never a silent pass: the org budget is the gate.
 */
function unjudged(
  policy: string,
  budget: OrgBudget,
  projected: Money,
  ctx: RuleContext,
  e?: ResourceEstimate,
): Verdict {
  const why =
    ctx.orgSpendUnavailable ??
    "no spend ledger is configured (set COMPUTEGUARD_STORE_URL to the shared store and run `computeguard store migrate`)";
  const subject = e ? `${e.name} (+${perMonth(projected)})` : `this stack (${perMonth(projected)})`;
  return {
    policy,
    decision: "blocked",
    ...(e ? { urn: e.urn, resourceType: e.type } : {}),
    projected,
    limit: budget.limit,
    budget: budget.key,
    message: `${subject} cannot be judged against ${budget.label}'s ${perMonth(budget.limit)} limit across the organization: ${why}`,
  };
}

function judgeResource(
  policy: string,
  e: ResourceEstimate,
  cost: Money,
  budget: OrgBudget,
  before: Money,
  after: Money,
  config: OrgBudgetConfig,
  ctx: RuleContext,
): Verdict {
  const elsewhere = totalOf(budget.elsewhere);
  const total = after.plus(elsewhere);
  const extra = { projected: cost, limit: budget.limit, budget: budget.key };
  const across = `${budget.label}'s spend across organization ${ctx.orgSpend!.organization}`;
  const detail = breakdown(after, budget.elsewhere);
  if (total.greaterThan(budget.limit) && cost.greaterThan(0)) {
    return {
      policy,
      decision: "blocked",
      urn: e.urn,
      resourceType: e.type,
      ...extra,
      message: `${e.name} (+${perMonth(cost)}) takes ${across} to ${perMonth(total)} (${detail}), over its ${perMonth(budget.limit)} limit`,
    };
  }
  const warnAt = budget.limit.times(config.warnAtPercent).dividedBy(100);
  if (total.greaterThan(warnAt) && before.plus(elsewhere).lessThanOrEqualTo(warnAt) && cost.greaterThan(0)) {
    return {
      policy,
      decision: "warned",
      urn: e.urn,
      resourceType: e.type,
      ...extra,
      message: `${e.name} (+${perMonth(cost)}) takes ${across} to ${perMonth(total)} (${detail}), past ${config.warnAtPercent}% of its ${perMonth(budget.limit)} limit`,
    };
  }
  return passed(
    policy,
    e,
    `${budget.label} at ${perMonth(total)} of ${perMonth(budget.limit)} across the organization`,
    extra,
  );
}

function judgeStack(
  policy: string,
  budget: OrgBudget,
  own: Money,
  config: OrgBudgetConfig,
  organization: string,
): Verdict {
  const total = own.plus(totalOf(budget.elsewhere));
  const base = { policy, projected: total, limit: budget.limit, budget: budget.key };
  const head = `${budget.label} projects ${perMonth(total)} (${config.basis}) across organization ${organization} (${breakdown(own, budget.elsewhere)})`;
  if (total.greaterThan(budget.limit)) {
    return { ...base, decision: "blocked", message: `${head}, over its ${perMonth(budget.limit)} limit` };
  }
  if (total.greaterThan(budget.limit.times(config.warnAtPercent).dividedBy(100))) {
    return {
      ...base,
      decision: "warned",
      message: `${head}, past ${config.warnAtPercent}% of its ${perMonth(budget.limit)} limit`,
    };
  }
  return { ...base, decision: "passed", message: `${head}, within its ${perMonth(budget.limit)} limit` };
}
