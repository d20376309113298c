import { createRequire } from "node:module";
import { type Money, money } from "../money.js";

export interface ApiPrice {
  inputUsdPer1m: Money;
  outputUsdPer1m: Money;
  source: string;
}

type CalcPrice = (
  usage: Record<string, number>,
  modelId: string,
  options?: { providerId?: string },
) => { input_price: number; output_price: number; provider: { id: string }; model: { id: string } } | null;

let calcPrice: CalcPrice | undefined;

/** Loaded on first use so a stack without declared models never pays for the price table. */
function genaiPrices(): CalcPrice {
  calcPrice ??= (createRequire(import.meta.url)("@pydantic/genai-prices") as { calcPrice: CalcPrice })
    .calcPrice;
  return calcPrice;
}

/**
 * API price of a model per 1M input and output tokens, from @pydantic/genai-prices (offline data).
 * `model` is `<provider>:<model id>` (e.g. `groq:llama-3.3-70b-versatile`) or a bare model id.
 */
export function apiPriceOf(model: string): ApiPrice | undefined {
  const colon = model.indexOf(":");
  const [providerId, modelId] =
    colon > 0 ? [model.slice(0, colon), model.slice(colon + 1)] : [undefined, model];
  let result: ReturnType<CalcPrice> = null;
  try {
    result = genaiPrices()(
      { input_tokens: 1_000_000, output_tokens: 1_000_000 },
      modelId,
      providerId ? { providerId } : {},
    );
  } catch {
    return undefined;
  }
  if (!result) return undefined;
  return {
    inputUsdPer1m: money(result.input_price),
    outputUsdPer1m: money(result.output_price),
    source: `@pydantic/genai-prices: ${result.provider.id} ${result.model.id}`,
  };
}
