import { describe, expect, it } from "vitest";
import { projectMonthly } from "../../src/economics/deflation.js";
import { money } from "../../src/money.js";
import { gpuCostSummary, projection, summaryText } from "../../src/policy/rules/gpu-cost-summary.js";
import { instance, resource, session } from "./support.js";

describe("gpu-cost-summary", () => {
  it("never reports a violation: it has no checks, only a summary", () => {
    expect(gpuCostSummary.checkResource).toBeUndefined();
    expect(gpuCostSummary.checkStack).toBeUndefined();
    expect(gpuCostSummary.enforcementLevel).toBe("advisory");
  });

  it("summarises per resource and in total, with budget use and a deflating projection", () => {
    const { resources } = session().estimateComplete([
      instance("a", "p5.48xlarge"),
      instance("b", "p5e.48xlarge"),
      resource("aws:s3/bucket:Bucket", "logs", {}),
    ]);
    const text = summaryText(resources, gpuCostSummary.config.parse({}), 100_000);
    expect(text).toContain("a (aws:ec2/instance:Instance): baseline $40,179.20/mo, worst case $40,179.20/mo");
    expect(text).toContain("b (aws:ec2/instance:Instance): UNPRICED");
    expect(text).not.toContain("logs");
    expect(text).toContain("budget used: 40.2% of $100,000.00/mo");
    // Month 1 is undeflated; month 12 is 26 %/yr deflated for 11 months.
    const p = projection(resources, gpuCostSummary.config.parse({}));
    expect(p[0]?.toFixed(2)).toBe("40179.20");
    expect(p[11]?.lessThan(p[0]!)).toBe(true);
  });

  it("deflates GPU-hours and tokens at their own rates", () => {
    const gpu = projectMonthly(money(1000), 26);
    const tokens = projectMonthly(money(1000), 90);
    expect(gpu[0]?.toFixed(2)).toBe("1000.00");
    // 12 months at 26 %/yr compounding monthly: month 12 = 1000 x 0.74^(11/12) = $758.80.
    expect(gpu[11]?.toFixed(2)).toBe("758.80");
    expect(tokens[11]?.toFixed(2)).toBe("121.15");
  });
});
