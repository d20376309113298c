import { z } from "zod";
import type { ResourceEstimate } from "../../estimate/types.js";
import { type Money, sum, ZERO } from "../../money.js";
import { basisCost, defineRule, type RuleContext } from "../rule.js";
import type { Verdict } from "../verdict.js";
import { findWaiver } from "../waivers.js";
import { Basis, passed, perMonth, teamOf, Usd, usd, violationOrWaiver, withWaivers } from "./common.js";
import { unlistedTeam, unlistedTeamsDescription } from "./team-limits.js";

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
    .describe(unlistedTeamsDescription("the stack limit")),
  blockWhenAlreadyOver: z
    .boolean()
    .default(false)
    .describe(
      "With the old state known (estimate --preview / --compare-to): block a change that lowers or keeps the spend of a budget already over its limit (default: warn; a change that adds spend to it is blocked either way)",
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

type Standing = "over" | "warn" | "ok";

/** Where a resource leaves one budget: over its limit, newly past the warning share, or within. */
function standing(
  cost: Money,
  budget: Budget,
  before: Money,
  after: Money,
  config: StackBudgetConfig,
): Standing {
  if (!cost.greaterThan(0)) return "ok";
  if (after.greaterThan(budget.limit)) return "over";
  const warnAt = budget.limit.times(config.warnAtPercent).dividedBy(100);
  return after.greaterThan(warnAt) && before.lessThanOrEqualTo(warnAt) ? "warn" : "ok";
}

/**
 * One verdict per resource, whatever the number of budgets it counts against (the stack's and its
 * team's): the most severe standing decides, and the message names every budget at that standing.
 */
function judge(
  name: string,
  e: ResourceEstimate,
  cost: Money,
  judged: Array<{ budget: Budget; after: Money; standing: Standing }>,
  unlisted: string | undefined,
  config: StackBudgetConfig,
  ctx: RuleContext,
): Verdict {
  const over = judged.filter((j) => j.standing === "over");
  const warn = judged.filter((j) => j.standing === "warn");
  const first = over[0] ?? warn[0] ?? judged[0]!;
  const extra = {
    limit: first.budget.limit,
    budget: unlisted !== undefined && over.length === 0 ? unlistedBudget(e, config) : first.budget.key,
    ...(over.length > 1 ? { budgets: over.map((j) => j.budget.key) } : {}),
  };
  if (over.length > 0 || unlisted !== undefined) {
    const overs = over.map(
      (j) =>
        `the ${j.budget.label}'s projected spend to ${perMonth(j.after)}, over its ${perMonth(j.budget.limit)} limit`,
    );
    const clauses = [
      ...(overs.length > 0 ? [`takes ${overs.join(", and ")}`] : []),
      ...(unlisted ? [unlisted] : []),
    ];
    return violationOrWaiver(
      name,
      e,
      `${e.name} (+${perMonth(cost)}) ${clauses.join("; it also ")}`,
      cost,
      config.exceptions,
      ctx,
      extra,
    );
  }
  if (warn.length > 0) {
    return {
      policy: name,
      decision: "warned",
      urn: e.urn,
      resourceType: e.type,
      projected: cost,
      ...extra,
      message: `${e.name} (+${perMonth(cost)}) takes ${warn
        .map((j) => `the ${j.budget.label}'s projected spend to ${perMonth(j.after)}`)
        .join(
          ", and ",
        )}, past ${config.warnAtPercent}% of ${warn.length > 1 ? "their limits" : `its ${perMonth(first.budget.limit)} limit`}`,
    };
  }
  return passed(
    name,
    e,
    judged.map((j) => `${j.budget.label} at ${perMonth(j.after)} of ${perMonth(j.budget.limit)}`).join("; "),
    { projected: cost, ...extra },
  );
}

function unlistedBudget(e: ResourceEstimate, config: StackBudgetConfig): string {
  return `team:${teamOf(e, config.tagKey) ?? "(none)"}`;
}

/** The clause saying why the resource's spend escapes every team limit, if it does. */
function unlistedClause(e: ResourceEstimate, cost: Money, config: StackBudgetConfig): string | undefined {
  return unlistedTeam(e, cost, config)?.clause;
}

interface Side {
  e: ResourceEstimate;
  cost: Money;
}

/** One budget on both sides of the change: who it charges, before and after. */
interface BudgetChange {
  budget: Budget;
  past: Map<string, Side>;
  now: Map<string, Side>;
}

function costsOf(
  estimates: readonly ResourceEstimate[],
  config: StackBudgetConfig,
  skip: (e: ResourceEstimate, cost: Money) => boolean,
): Map<string, Side> {
  const out = new Map<string, Side>();
  for (const e of estimates) {
    const cost = basisCost(e, config.basis);
    if (cost === undefined || cost.isZero() || skip(e, cost)) continue;
    out.set(e.urn, { e, cost });
  }
  return out;
}

function totalOf(side: Map<string, Side>): Money {
  return sum([...side.values()].map((x) => x.cost));
}

/**
 * The budgets judged on the change, with the old state known: a budget over its limit blames the
 * resources whose change adds to it (a new g6.xlarge, a raised maximum), never an unchanged one
 * (the p4d trainer already there) nor a replacement at the same price; a change that lowers or
 * keeps the spend of a budget already over its limit is a warning (`blockWhenAlreadyOver` makes
 * it a block). One verdict per blamed resource, naming every budget it pushes over.
 */
function judgeChange(
  name: string,
  estimates: readonly ResourceEstimate[],
  pastEstimates: readonly ResourceEstimate[],
  config: StackBudgetConfig,
  ctx: RuleContext,
): Verdict[] {
  const waived = new Set<string>();
  const now = costsOf(estimates, config, (e, cost) => {
    const applies = findWaiver(
      config.exceptions,
      { urn: e.urn, name: e.name, organization: ctx.organization },
      cost,
      ctx.now,
    ).applies;
    if (applies) waived.add(e.urn);
    return applies;
  });
  // A waived resource's spend is out of its budgets on both sides.
  const past = costsOf(pastEstimates, config, (e) => waived.has(e.urn));
  const groups = new Map<string, BudgetChange>();
  for (const [side, costs] of [
    ["past", past],
    ["now", now],
  ] as const) {
    for (const [urn, x] of costs) {
      for (const budget of budgetsFor(x.e, config)) {
        const group = groups.get(budget.key) ?? { budget, past: new Map(), now: new Map() };
        group[side].set(urn, x);
        groups.set(budget.key, group);
      }
    }
  }
  const verdicts: Verdict[] = [];
  const blamed = new Map<string, Array<{ clause: string; budget: Budget; over: boolean }>>();
  const deltaOf = (group: BudgetChange, urn: string) =>
    (group.now.get(urn)?.cost ?? ZERO).minus(group.past.get(urn)?.cost ?? ZERO);
  for (const group of groups.values()) {
    const { budget } = group;
    const before = totalOf(group.past);
    const after = totalOf(group.now);
    const adders = [...group.now.keys()].filter((urn) => deltaOf(group, urn).greaterThan(0));
    const warnAt = budget.limit.times(config.warnAtPercent).dividedBy(100);
    const base = { policy: name, projected: after, limit: budget.limit, budget: budget.key };
    const move = `from ${perMonth(before)} to ${perMonth(after)}`;
    if (
      after.greaterThan(budget.limit) &&
      before.greaterThan(budget.limit) &&
      after.lessThanOrEqualTo(before)
    ) {
      const how = after.lessThan(before) ? `lowers it ${move}` : `keeps it at ${perMonth(after)}`;
      verdicts.push({
        ...base,
        decision: config.blockWhenAlreadyOver ? "blocked" : "warned",
        message: `the ${budget.label} was already over its ${perMonth(budget.limit)} limit and this change ${how}${config.blockWhenAlreadyOver ? " (blockWhenAlreadyOver)" : "; not blocked: the change adds no spend to it"}`,
      });
      continue;
    }
    const over = after.greaterThan(budget.limit);
    if (!over && !(after.greaterThan(warnAt) && after.greaterThan(before))) {
      verdicts.push({
        ...base,
        decision: "passed",
        message: `the ${budget.label} projects ${perMonth(after)} of ${perMonth(budget.limit)} (${perMonth(before)} before)`,
      });
      continue;
    }
    const clause = over
      ? before.greaterThan(budget.limit)
        ? `adds to the ${budget.label}'s projected spend, already over its ${perMonth(budget.limit)} limit (${move})`
        : `takes the ${budget.label}'s projected spend ${move}, over its ${perMonth(budget.limit)} limit`
      : `takes the ${budget.label}'s projected spend ${move}, past ${config.warnAtPercent}% of its ${perMonth(budget.limit)} limit`;
    for (const urn of adders) blamed.set(urn, [...(blamed.get(urn) ?? []), { clause, budget, over }]);
  }
  for (const [urn, x] of now) {
    const delta = x.cost.minus(past.get(urn)?.cost ?? ZERO);
    const unlisted = delta.greaterThan(0) ? unlistedClause(x.e, x.cost, config) : undefined;
    const clauses = blamed.get(urn) ?? [];
    if (clauses.length === 0 && unlisted === undefined) continue;
    const overs = clauses.filter((c) => c.over);
    const shown = overs.length > 0 || unlisted !== undefined ? overs : clauses;
    const first = shown[0];
    const extra = {
      ...(first
        ? { limit: first.budget.limit, budget: first.budget.key }
        : { budget: unlistedBudget(x.e, config) }),
      ...(shown.length > 1 ? { budgets: shown.map((c) => c.budget.key) } : {}),
    };
    const parts = [
      ...(shown.length > 0 ? [shown.map((c) => c.clause).join(", and ")] : []),
      ...(unlisted ? [unlisted] : []),
    ];
    const message = `${x.e.name} (+${perMonth(delta)}) ${parts.join("; it also ")}`;
    if (overs.length > 0 || unlisted !== undefined) {
      verdicts.push(violationOrWaiver(name, x.e, message, x.cost, config.exceptions, ctx, extra));
    } else {
      verdicts.push({
        policy: name,
        decision: "warned",
        urn,
        resourceType: x.e.type,
        projected: x.cost,
        ...extra,
        message,
      });
    }
  }
  if (groups.size === 0) {
    verdicts.push({
      policy: name,
      decision: "passed",
      projected: ZERO,
      limit: usd(config.monthlyLimitUsd),
      budget: "stack",
      message: "no priced GPU or inference spend before or after the change",
    });
  }
  return verdicts;
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
  restatesBudgets: true,
  /** Before creation: a running total keyed by URN; the resource that crosses a limit is blocked. */
  checkResource(e, config, ctx) {
    // With the old state, the change is judged once the whole plan is known (checkStack).
    if (ctx.before) return [];
    const cost = basisCost(e, config.basis);
    if (cost === undefined) return [];
    const totals = budgetsFor(e, config).map((budget) => ({
      budget,
      total: ctx.totals(`${this.name}|${config.basis}|${budget.key}`),
    }));
    const judged = totals.map(({ budget, total }) => {
      const { before, after } = total.set(e.urn, cost);
      return { budget, after, standing: standing(cost, budget, before, after, config) };
    });
    const verdict = judge(this.name, e, cost, judged, unlistedClause(e, cost, config), config, ctx);
    // A waiver exempts the resource's spend from its budgets, so it must not block the next one.
    if (verdict.decision === "waived") for (const { total } of totals) total.set(e.urn, ZERO);
    return [verdict];
  },
  /** The complete picture: every budget over its limit, with all of its contributors. */
  checkStack(estimates, config, ctx) {
    if (ctx.before) return judgeChange(this.name, estimates, ctx.before.estimates, config, ctx);
    const verdicts: Verdict[] = [];
    const waived: ResourceEstimate[] = [];
    const groups = new Map<
      string,
      { budget: Budget; members: Array<{ e: ResourceEstimate; cost: Money }> }
    >();
    for (const e of estimates) {
      const cost = basisCost(e, config.basis);
      if (cost === undefined || cost.isZero()) continue;
      const unlisted = unlistedClause(e, cost, config);
      if (unlisted)
        verdicts.push(
          violationOrWaiver(
            this.name,
            e,
            `${e.name} (+${perMonth(cost)}) ${unlisted}`,
            cost,
            config.exceptions,
            ctx,
            {
              budget: unlistedBudget(e, config),
            },
          ),
        );
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
