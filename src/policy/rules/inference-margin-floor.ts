import { z } from "zod";
import { inferenceEconomics } from "../../economics/margin.js";
import { formatUsd, money } from "../../money.js";
import { basisCost, defineRule } from "../rule.js";
import { Basis, passed, perMonth, violationOrWaiver, withWaivers } from "./common.js";

const Config = withWaivers({
  minGrossMarginPercent: z
    .number()
    .min(-100)
    .max(100)
    .default(40)
    .describe("Lowest acceptable gross margin (%)"),
  basis: Basis.default("baseline").describe(
    "Cost the margin is computed on: expected (baseline) or worst case",
  ),
});

export const inferenceMarginFloor = defineRule({
  name: "inference-margin-floor",
  description:
    "An inference endpoint that declares its traffic and price (computeguard:tokens-per-month, computeguard:price-per-1m-tokens-usd) must earn at least the minimum gross margin.",
  remediationSteps:
    "Serve on cheaper or fewer instances, raise the price charged per 1M tokens, batch more tokens per instance, or buy API access instead of self-hosting (see buy-vs-build).",
  severity: "high",
  enforcementLevel: "mandatory",
  config: Config,
  checkResource(e, config, ctx) {
    if (e.economics.problems.length > 0 && e.status !== "not-applicable") {
      return [
        violationOrWaiver(
          this.name,
          e,
          `${e.name} declares malformed economics: ${e.economics.problems.join("; ")}`,
          money(0),
          config.exceptions,
          ctx,
        ),
      ];
    }
    const cost = basisCost(e, config.basis);
    if (cost === undefined) return [];
    const econ = inferenceEconomics(cost, e.economics);
    if (!econ) return [];
    const floor = money(config.minGrossMarginPercent);
    const margin = econ.grossMarginPercent;
    const detail = `revenue ${perMonth(econ.revenueMonthly)} (${econ.tokensPerMonth.dividedBy(1_000_000).toFixed()}M tokens x ${formatUsd(econ.pricePer1mTokensUsd)}/1M) vs cost ${perMonth(cost)} (${config.basis}; ${formatUsd(econ.costPer1mTokensUsd)} per 1M tokens)`;
    const extra = { marginPercent: margin, limit: floor, budget: "margin" };
    if (margin.greaterThanOrEqualTo(floor)) {
      return [
        passed(this.name, e, `gross margin ${margin.toFixed(1)}%: ${detail}`, { projected: cost, ...extra }),
      ];
    }
    return [
      violationOrWaiver(
        this.name,
        e,
        `${e.name} gross margin ${margin.toFixed(1)}% is below the ${config.minGrossMarginPercent}% floor: ${detail}`,
        cost,
        config.exceptions,
        ctx,
        extra,
      ),
    ];
  },
});
