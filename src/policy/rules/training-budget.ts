import { formatUsd, sum } from "../../money.js";
import { defineRule } from "../rule.js";
import { passed, Usd, usd, violationOrWaiver, withWaivers } from "./common.js";

const Config = withWaivers({
  limitUsd: Usd.default(250_000).describe("Largest one-time training spend per stack (USD)"),
});

export const trainingBudget = defineRule({
  name: "training-budget",
  description:
    "One-time training spend (capacity blocks and clusters that declare computeguard:training-hours) must stay within the stack's training budget.",
  remediationSteps:
    "Shorten the run (fewer hours), use fewer or cheaper instances, or ask the platform team to raise `limitUsd` or grant a waiver.",
  severity: "high",
  enforcementLevel: "mandatory",
  config: Config,
  checkResource(e, config, ctx) {
    if (!e.oneTime) return [];
    const cost = e.oneTime.total;
    const limit = usd(config.limitUsd);
    const { after } = ctx.totals(`${this.name}`).set(e.urn, cost);
    const extra = { limit, budget: "training" };
    if (after.lessThanOrEqualTo(limit) || cost.isZero()) {
      return [
        passed(this.name, e, `training spend ${formatUsd(after)} of ${formatUsd(limit)}`, {
          projected: cost,
          ...extra,
        }),
      ];
    }
    const verdict = violationOrWaiver(
      this.name,
      e,
      `${e.name} (one-time ${formatUsd(cost)}: ${e.oneTime.lineItems.map((l) => l.description).join(" + ")}) takes the stack's training spend to ${formatUsd(after)}, over its ${formatUsd(limit)} limit`,
      cost,
      config.exceptions,
      ctx,
      extra,
    );
    if (verdict.decision === "waived") ctx.totals(this.name).set(e.urn, usd(0));
    return [verdict];
  },
  checkStack(estimates, config) {
    const runs = estimates.filter((e) => e.oneTime && !e.oneTime.total.isZero());
    const total = sum(runs.map((e) => e.oneTime!.total));
    const limit = usd(config.limitUsd);
    const base = { policy: this.name, projected: total, limit, budget: "training" };
    if (total.lessThanOrEqualTo(limit)) {
      return [
        { ...base, decision: "passed", message: `training spend ${formatUsd(total)} of ${formatUsd(limit)}` },
      ];
    }
    return [
      {
        ...base,
        decision: "blocked",
        message: `the stack's one-time training spend is ${formatUsd(total)}, over its ${formatUsd(limit)} limit: ${runs.map((e) => `${e.name} ${formatUsd(e.oneTime!.total)}`).join(", ")}`,
      },
    ];
  },
});
