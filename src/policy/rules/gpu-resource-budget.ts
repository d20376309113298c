import { basisCost, defineRule } from "../rule.js";
import { Basis, passed, perMonth, Usd, usd, violationOrWaiver, withWaivers } from "./common.js";

const Config = withWaivers({
  monthlyLimitUsd: Usd.default(20_000).describe("Largest projected monthly cost one resource may have (USD)"),
  basis: Basis.default("worst-case").describe(
    "Judge the worst case (max instances) or the baseline (desired)",
  ),
});

export const gpuResourceBudget = defineRule({
  name: "gpu-resource-budget",
  description:
    "A GPU, accelerator or inference resource's projected monthly cost must stay within the per-resource limit.",
  remediationSteps:
    "Use a smaller or cheaper instance type, lower the instance count or scaling maximum, or ask the platform team for a waiver (an entry in this policy's `exceptions`).",
  severity: "high",
  enforcementLevel: "mandatory",
  config: Config,
  checkResource(e, config, ctx) {
    // A scaling target's extra instances are its endpoint configuration's cost, judged there once
    // the whole stack is known (AnalyzeStack), not a second resource over the limit.
    if (e.capacityOf) return [];
    const cost = basisCost(e, config.basis);
    if (cost === undefined) return [];
    const limit = usd(config.monthlyLimitUsd);
    const extra = { limit, budget: "resource" };
    if (cost.lessThanOrEqualTo(limit)) {
      return [
        passed(this.name, e, `${config.basis} ${perMonth(cost)} within ${perMonth(limit)}`, {
          projected: cost,
          ...extra,
        }),
      ];
    }
    const how = e
      .monthly![config.basis === "baseline" ? "baseline" : "worstCase"].lineItems.map((l) => l.description)
      .join(" + ");
    return [
      violationOrWaiver(
        this.name,
        e,
        `${e.name} projects ${perMonth(cost)} (${config.basis}: ${how}), over the ${perMonth(limit)} per-resource limit`,
        cost,
        config.exceptions,
        ctx,
        extra,
      ),
    ];
  },
});
