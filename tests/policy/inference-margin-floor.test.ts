import { describe, expect, it } from "vitest";
import { inferenceMarginFloor } from "../../src/policy/rules/inference-margin-floor.js";
import { check, endpointConfig, findings } from "./support.js";

// ml.g5.2xlarge $1.515/h x 730 h x 2 = $2,211.90 a month.
const traffic = (tokens: string, price: string) => ({
  "computeguard:tokens-per-month": tokens,
  "computeguard:price-per-1m-tokens-usd": price,
});

describe("inference-margin-floor", () => {
  it("passes a healthy margin and states revenue, cost and cost per 1M tokens", () => {
    const v = check(inferenceMarginFloor, {}, [
      endpointConfig("chat", "ml.g5.2xlarge", 2, traffic("2000000000", "3.00")),
    ]);
    expect(v.map((x) => x.decision)).toEqual(["passed"]);
    // Revenue 2,000M x $3 = $6,000; margin (6000 - 2211.90) / 6000 = 63.1 %.
    expect(v[0]!.message).toContain("gross margin 63.1%");
    expect(v[0]!.message).toContain("$1.11 per 1M tokens");
    expect(v[0]!.marginPercent?.toFixed(4)).toBe("63.1350");
  });

  it("blocks below the floor, and a negative margin", () => {
    expect(
      findings(
        check(inferenceMarginFloor, {}, [
          endpointConfig("chat", "ml.g5.2xlarge", 2, traffic("1000000000", "3.00")),
        ]),
      )[0],
    ).toContain("gross margin 26.3% is below the 40% floor");
    expect(
      findings(
        check(inferenceMarginFloor, {}, [
          endpointConfig("chat", "ml.g5.2xlarge", 2, traffic("100000000", "1.00")),
        ]),
      )[0],
    ).toContain("gross margin -2111.9%");
  });

  it("uses the configured floor and basis", () => {
    const e = endpointConfig("chat", "ml.g5.2xlarge", 2, traffic("1000000000", "3.00"));
    expect(findings(check(inferenceMarginFloor, { minGrossMarginPercent: 20 }, [e]))).toEqual([]);
  });

  it("does nothing for endpoints that declare no economics, and flags malformed economics", () => {
    expect(check(inferenceMarginFloor, {}, [endpointConfig("plain", "ml.g5.2xlarge", 1)])).toEqual([]);
    const bad = endpointConfig("chat", "ml.g5.2xlarge", 1, traffic("lots", "3.00"));
    expect(findings(check(inferenceMarginFloor, {}, [bad]))[0]).toContain(
      'computeguard:tokens-per-month: "lots" is not a non-negative number',
    );
  });
});
