import { z } from "zod";
import { type ApiPrice, apiPriceOf } from "../../economics/api-prices.js";
import { formatUsd, type Money, money } from "../../money.js";
import { defineRule } from "../rule.js";
import { passed } from "./common.js";

const ApiPriceOverride = z.strictObject({
  inputUsdPer1m: z.number().nonnegative(),
  outputUsdPer1m: z.number().nonnegative(),
});

const Config = z.strictObject({
  apiPrices: z
    .record(z.string(), ApiPriceOverride)
    .default({})
    .describe("API prices per 1M tokens by model id, overriding @pydantic/genai-prices"),
  inputTokensPerOutputToken: z
    .number()
    .nonnegative()
    .default(1)
    .describe("Prompt tokens per generated token, to blend API input and output prices"),
  utilizationPercent: z
    .number()
    .gt(0)
    .max(100)
    .default(40)
    .describe("Share of peak throughput actually used when traffic is not declared"),
});
type BuyConfig = z.infer<typeof Config>;

function apiPrice(model: string, config: BuyConfig): ApiPrice | undefined {
  const o = config.apiPrices[model];
  if (o)
    return {
      inputUsdPer1m: money(o.inputUsdPer1m),
      outputUsdPer1m: money(o.outputUsdPer1m),
      source: "policy config apiPrices",
    };
  return apiPriceOf(model);
}

export const buyVsBuild = defineRule({
  name: "buy-vs-build",
  description:
    "Self-hosting a model should cost less per 1M tokens than buying the same model through an API.",
  remediationSteps:
    "Compare the API price shown with the self-hosting cost; per-token API prices fall ~10x a year while GPU-hour prices fall slowly, so buying API access is often cheaper. Otherwise raise utilisation or use cheaper instances.",
  severity: "low",
  enforcementLevel: "advisory",
  config: Config,
  checkResource(e, config) {
    const model = e.economics.model;
    if (!model || !e.monthly || e.monthly.baseline.total.isZero()) return [];
    const cost = e.monthly.baseline.total;
    let millions: Money | undefined;
    let how: string;
    if (e.economics.tokensPerMonth && !e.economics.tokensPerMonth.isZero()) {
      millions = e.economics.tokensPerMonth.dividedBy(1_000_000);
      how = `${millions.toFixed()}M declared tokens/month`;
    } else if (e.economics.throughputTokensPerSecond) {
      const instances = e.monthly.baseline.lineItems.reduce((n, l) => n + l.count, 0);
      const hours = e.monthly.baseline.lineItems[0]?.quantity ?? money(730);
      millions = e.economics.throughputTokensPerSecond
        .times(3600)
        .times(hours)
        .times(instances)
        .times(config.utilizationPercent)
        .dividedBy(100)
        .dividedBy(1_000_000);
      how = `${e.economics.throughputTokensPerSecond.toFixed()} tok/s x ${instances} instance(s) at ${config.utilizationPercent}% utilisation`;
    } else return [];
    if (millions.isZero()) return [];
    const selfHost = cost.dividedBy(millions);
    const api = apiPrice(model, config);
    if (!api) return [passed(this.name, e, `no API price known for ${model}`)];
    const blended = api.outputUsdPer1m.plus(api.inputUsdPer1m.times(config.inputTokensPerOutputToken));
    const detail = `self-hosting ${model} costs ${formatUsd(selfHost)} per 1M output tokens (${formatUsd(cost)}/mo over ${how}); the API costs ${formatUsd(blended)} (${api.source}, ${config.inputTokensPerOutputToken} input token(s) per output token)`;
    if (selfHost.lessThanOrEqualTo(blended)) return [passed(this.name, e, detail)];
    const ratio = blended.isZero() ? "far" : `${selfHost.dividedBy(blended).toFixed(1)}x`;
    return [
      {
        policy: this.name,
        decision: "warned",
        urn: e.urn,
        resourceType: e.type,
        projected: cost,
        message: `buy API access: ${detail} — self-hosting is ${ratio} the API price, and API prices fall about 10x a year`,
      },
    ];
  },
});
