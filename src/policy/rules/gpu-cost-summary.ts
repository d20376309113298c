import { z } from "zod";
import {
  DEFAULT_GPU_HOUR_DEFLATION_PERCENT_PER_YEAR,
  DEFAULT_TOKEN_PRICE_DEFLATION_PERCENT_PER_YEAR,
  projectMonthly,
} from "../../economics/deflation.js";
import { totalsOf } from "../../estimate/estimator.js";
import type { ResourceEstimate } from "../../estimate/types.js";
import { formatUsd, type Money, money, sum, ZERO } from "../../money.js";
import { defineRule } from "../rule.js";

const Config = z.strictObject({
  gpuHourDeflationPercentPerYear: z
    .number()
    .min(0)
    .max(100)
    .default(DEFAULT_GPU_HOUR_DEFLATION_PERCENT_PER_YEAR),
  tokenPriceDeflationPercentPerYear: z
    .number()
    .min(0)
    .max(100)
    .default(DEFAULT_TOKEN_PRICE_DEFLATION_PERCENT_PER_YEAR),
  projectionMonths: z.number().int().min(1).max(60).default(12),
});
type SummaryConfig = z.infer<typeof Config>;

/** 12-month projection: GPU-hour spend and per-token (Bedrock) spend deflate at different rates. */
export function projection(estimates: readonly ResourceEstimate[], config: SummaryConfig): Money[] {
  const gpu = sum(
    estimates
      .filter((e) => e.category !== "bedrock-throughput")
      .flatMap((e) => (e.monthly ? [e.monthly.baseline.total] : [])),
  );
  const tokens = sum(
    estimates
      .filter((e) => e.category === "bedrock-throughput")
      .flatMap((e) => (e.monthly ? [e.monthly.baseline.total] : [])),
  );
  const a = projectMonthly(gpu, config.gpuHourDeflationPercentPerYear, config.projectionMonths);
  const b = projectMonthly(tokens, config.tokenPriceDeflationPercentPerYear, config.projectionMonths);
  return a.map((x, i) => x.plus(b[i] ?? ZERO));
}

export function summaryText(
  estimates: readonly ResourceEstimate[],
  config: SummaryConfig,
  stackLimitUsd?: number,
): string {
  const applicable = estimates.filter((e) => e.status !== "not-applicable");
  const totals = totalsOf(estimates);
  const lines = ["computeguard: projected GPU/inference spend"];
  for (const e of applicable) {
    const cost = e.monthly
      ? `baseline ${formatUsd(e.monthly.baseline.total)}/mo, worst case ${formatUsd(e.monthly.worstCase.total)}/mo`
      : e.oneTime
        ? `one-time ${formatUsd(e.oneTime.total)}`
        : `${e.status.toUpperCase()}: ${e.reason ?? ""}`;
    lines.push(`  ${e.name} (${e.type}): ${cost}`);
  }
  lines.push(
    `  total: baseline ${formatUsd(totals.monthlyBaseline)}/mo, worst case ${formatUsd(totals.monthlyWorstCase)}/mo, one-time ${formatUsd(totals.oneTime)}`,
  );
  if (stackLimitUsd !== undefined && stackLimitUsd > 0) {
    lines.push(
      `  budget used: ${totals.monthlyWorstCase.dividedBy(stackLimitUsd).times(100).toFixed(1)}% of ${formatUsd(money(stackLimitUsd))}/mo (worst case)`,
    );
  }
  const p = projection(estimates, config);
  lines.push(
    `  ${config.projectionMonths}-month projection (GPU-hours -${config.gpuHourDeflationPercentPerYear}%/yr, tokens -${config.tokenPriceDeflationPercentPerYear}%/yr): ${formatUsd(sum(p))} total, month ${config.projectionMonths} at ${formatUsd(p[p.length - 1] ?? ZERO)}/mo`,
  );
  return lines.join("\n");
}

export const gpuCostSummary = defineRule({
  name: "gpu-cost-summary",
  description:
    "Shows the per-resource and total projected GPU/inference spend, budget use and a 12-month projection.",
  remediationSteps: "Informational: nothing to fix.",
  severity: "low",
  enforcementLevel: "advisory",
  config: Config,
  report(estimates, config, ctx) {
    const stackBudget = ctx.configOf("gpu-stack-budget") as { monthlyLimitUsd?: number } | undefined;
    return summaryText(estimates, config, stackBudget?.monthlyLimitUsd);
  },
});
