import { z } from "zod";
import type { ResourceEstimate } from "../../estimate/types.js";
import { type Money, sum, ZERO } from "../../money.js";
import { basisCost, defineRule, type RuleContext } from "../rule.js";
import type { Verdict } from "../verdict.js";
import { findWaiver } from "../waivers.js";
import { Basis, passed, perMonth, teamOf, Usd, usd, violationOrWaiver, withWaivers } from "./common.js";

const Config = withWaivers({
  monthlyLimitUsd: Usd.default(100_000).describe(
    "Largest projected monthly GPU/inference spend of the whole stack (USD)",
  ),
  warnAtPercent: z
    .number()
    .min(0)
    .max(100)
    .default(80)
    .describe("Warn (advisory) once the stack passes this share of its limit"),
  basis: Basis.default("worst-case"),
  tagKey: z.string().min(1).default("team").describe("Tag naming the team a resource's spend is charged to"),
  teamLimitsUsd: z
    .record(z.string(), Usd)
    .default({})
    .describe("Monthly limit per team (USD), by the tagKey's value"),
  unlistedTeams: z
    .enum(["block", "stack-limit-only"])
    .default("block")
    .describe(
      "With teamLimitsUsd set, spend tagged with a team outside it (or with no team): block it, or count it against the stack limit only",
    ),
});
type StackBudgetConfig = z.infer<typeof Config>;

interface Budget {
  key: string;
  label: string;
  limit: Money;
}

function budgetsFor(e: ResourceEstimate, config: StackBudgetConfig): Budget[] {
  const budgets: Budget[] = [{ key: "stack", label: "stack", limit: usd(config.monthlyLimitUsd) }];
  const team = teamOf(e, config.tagKey);
  const teamLimit = team === undefined ? undefined : config.teamLimitsUsd[team];
  if (team !== undefined && teamLimit !== undefined) {
    budgets.push({ key: `team:${team}`, label: `team ${team}`, limit: usd(teamLimit) });
  }
  return budgets;
}

function judge(
  name: string,
  e: ResourceEstimate,
  cost: Money,
  budget: Budget,
  before: Money,
  after: Money,
  config: StackBudgetConfig,
  ctx: RuleContext,
): Verdict {
  const extra = { limit: budget.limit, budget: budget.key };
  if (after.greaterThan(budget.limit) && cost.greaterThan(0)) {
    return violationOrWaiver(
      name,
      e,
      `${e.name} (+${perMonth(cost)}) takes the ${budget.label}'s projected spend to ${perMonth(after)}, over its ${perMonth(budget.limit)} limit`,
      cost,
      config.exceptions,
      ctx,
      extra,
    );
  }
  const warnAt = budget.limit.times(config.warnAtPercent).dividedBy(100);
  if (after.greaterThan(warnAt) && before.lessThanOrEqualTo(warnAt) && cost.greaterThan(0)) {
    return {
      policy: name,
      decision: "warned",
      urn: e.urn,
      resourceType: e.type,
      projected: cost,
      ...extra,
      message: `${e.name} (+${perMonth(cost)}) takes the ${budget.label}'s projected spend to ${perMonth(after)}, past ${config.warnAtPercent}% of its ${perMonth(budget.limit)} limit`,
    };
  }
  return passed(name, e, `${budget.label} at ${perMonth(after)} of ${perMonth(budget.limit)}`, {
    projected: cost,
    ...extra,
  });
}

/**
 * With team limits configured, spend must be charged to one of those teams: otherwise a new tag
 * value (`research-x`) or no tag at all escapes every team limit.
 */
function unlistedTeam(
  name: string,
  e: ResourceEstimate,
  cost: Money,
  config: StackBudgetConfig,
  ctx: RuleContext,
): Verdict | undefined {
  const teams = Object.keys(config.teamLimitsUsd);
  if (teams.length === 0 || config.unlistedTeams !== "block" || !cost.greaterThan(0)) return undefined;
  const team = teamOf(e, config.tagKey);
  if (team !== undefined && Object.hasOwn(config.teamLimitsUsd, team)) return undefined;
  const charged =
    team === undefined
      ? `has no "${config.tagKey}" tag`
      : `is charged to team "${team}" (tag ${config.tagKey}), which has no limit`;
  return violationOrWaiver(
    name,
    e,
    `${e.name} (+${perMonth(cost)}) ${charged}: team limits are set for ${teams.join(", ")}; tag it with one of them, or add the team to teamLimitsUsd`,
    cost,
    config.exceptions,
    ctx,
    { budget: `team:${team ?? "(none)"}` },
  );
}

export const gpuStackBudget = defineRule({
  name: "gpu-stack-budget",
  description:
    "The stack's total projected monthly GPU and inference spend (and each team's) must stay within its budget.",
  remediationSteps:
    "Reduce instance counts, scaling maximums or instance sizes across the stack, move spend to a team with budget left, or raise the limit in the policy config (`monthlyLimitUsd`, `teamLimitsUsd`).",
  severity: "high",
  enforcementLevel: "mandatory",
  config: Config,
  /** Before creation: a running total keyed by URN; the resource that crosses a limit is blocked. */
  checkResource(e, config, ctx) {
    const cost = basisCost(e, config.basis);
    if (cost === undefined) return [];
    const unlisted = unlistedTeam(this.name, e, cost, config, ctx);
    const verdicts = budgetsFor(e, config).map((budget) => {
      const total = ctx.totals(`${this.name}|${config.basis}|${budget.key}`);
      const { before, after } = total.set(e.urn, cost);
      const verdict = judge(this.name, e, cost, budget, before, after, config, ctx);
      // A waiver exempts the resource's spend from the budget, so it must not block the next one.
      if (verdict.decision === "waived") total.set(e.urn, ZERO);
      return verdict;
    });
    return unlisted ? [unlisted, ...verdicts] : verdicts;
  },
  /** The complete picture: every budget over its limit, with all of its contributors. */
  checkStack(estimates, config, ctx) {
    const verdicts: Verdict[] = [];
    const waived: ResourceEstimate[] = [];
    const groups = new Map<
      string,
      { budget: Budget; members: Array<{ e: ResourceEstimate; cost: Money }> }
    >();
    for (const e of estimates) {
      const cost = basisCost(e, config.basis);
      if (cost === undefined || cost.isZero()) continue;
      const unlisted = unlistedTeam(this.name, e, cost, config, ctx);
      if (unlisted) verdicts.push(unlisted);
      if (
        findWaiver(
          config.exceptions,
          { urn: e.urn, name: e.name, organization: ctx.organization },
          cost,
          ctx.now,
        ).applies
      ) {
        waived.push(e);
        continue;
      }
      for (const budget of budgetsFor(e, config)) {
        const group = groups.get(budget.key) ?? { budget, members: [] };
        group.members.push({ e, cost });
        groups.set(budget.key, group);
      }
    }
    for (const { budget, members } of groups.values()) {
      const total = sum(members.map((m) => m.cost));
      const top = [...members]
        .sort((a, b) => b.cost.comparedTo(a.cost))
        .map((m) => `${m.e.name} ${perMonth(m.cost)}`);
      const base = { policy: this.name, projected: total, limit: budget.limit, budget: budget.key };
      const exempt =
        waived.length > 0
          ? `; ${waived.length} waived resource(s) not counted: ${waived.map((w) => w.name).join(", ")}`
          : "";
      const listing = `${members.length} resource(s): ${top.slice(0, 10).join(", ")}${top.length > 10 ? ", ..." : ""}${exempt}`;
      if (total.greaterThan(budget.limit)) {
        verdicts.push({
          ...base,
          decision: "blocked",
          message: `the ${budget.label} projects ${perMonth(total)} (${config.basis}), over its ${perMonth(budget.limit)} limit; ${listing}`,
        });
      } else if (total.greaterThan(budget.limit.times(config.warnAtPercent).dividedBy(100))) {
        verdicts.push({
          ...base,
          decision: "warned",
          message: `the ${budget.label} projects ${perMonth(total)} (${config.basis}), past ${config.warnAtPercent}% of its ${perMonth(budget.limit)} limit; ${listing}`,
        });
      } else {
        verdicts.push({
          ...base,
          decision: "passed",
          message: `the ${budget.label} projects ${perMonth(total)} of ${perMonth(budget.limit)}`,
        });
      }
    }
    if (groups.size === 0) {
      verdicts.push({
        policy: this.name,
        decision: "passed",
        projected: ZERO,
        limit: usd(config.monthlyLimitUsd),
        budget: "stack",
        message: "no priced GPU or inference spend",
      });
    }
    return verdicts;
  },
});
