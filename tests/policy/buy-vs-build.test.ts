import { describe, expect, it } from "vitest";
import { buyVsBuild } from "../../src/policy/rules/buy-vs-build.js";
import { check, endpointConfig, findings } from "./support.js";

describe("buy-vs-build", () => {
  it("says to buy API access when the API is cheaper per 1M tokens", () => {
    // $2,211.90/mo over 100M tokens = $22.12 per 1M; gpt-4o costs $2.50 in + $10 out per 1M.
    const e = endpointConfig("chat", "ml.g5.2xlarge", 2, {
      "computeguard:model": "gpt-4o",
      "computeguard:tokens-per-month": "100000000",
    });
    const f = findings(check(buyVsBuild, {}, [e]));
    expect(f).toHaveLength(1);
    expect(f[0]).toMatch(/^warned: buy API access: self-hosting gpt-4o costs \$22\.12 per 1M output tokens/);
    expect(f[0]).toContain("the API costs $12.50 (@pydantic/genai-prices: openai gpt-4o");
  });

  it("passes when self-hosting is cheaper, using the config's price table", () => {
    const e = endpointConfig("chat", "ml.g5.2xlarge", 2, {
      "computeguard:model": "my-model",
      "computeguard:tokens-per-month": "10000000000",
    });
    const v = check(buyVsBuild, { apiPrices: { "my-model": { inputUsdPer1m: 0.5, outputUsdPer1m: 1.5 } } }, [
      e,
    ]);
    expect(v.map((x) => x.decision)).toEqual(["passed"]);
    expect(v[0]!.message).toContain("$0.22 per 1M output tokens");
  });

  it("estimates tokens from throughput and utilisation when traffic is not declared", () => {
    // 301 tok/s x 3600 x 730 h x 2 instances x 40 % = 632.8M tokens; $2,211.90 / 632.8 = $3.50 per 1M.
    const e = endpointConfig("chat", "ml.g5.2xlarge", 2, {
      "computeguard:model": "gpt-4o",
      "computeguard:throughput-tokens-per-second": "301",
    });
    expect(check(buyVsBuild, {}, [e])[0]!.message).toContain("$3.50 per 1M output tokens");
  });

  it("does nothing without a declared model", () => {
    expect(check(buyVsBuild, {}, [endpointConfig("chat", "ml.g5.2xlarge", 2)])).toEqual([]);
  });
});
