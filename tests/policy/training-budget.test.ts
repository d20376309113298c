import { describe, expect, it } from "vitest";
import { trainingBudget } from "../../src/policy/rules/training-budget.js";
import { check, findings, resource, session, tags } from "./support.js";

const block = (name: string, extra: Record<string, string>) =>
  resource("aws:ec2/capacityBlockReservation:CapacityBlockReservation", name, {
    capacityBlockOfferingId: "cb-0123",
    instancePlatform: "Linux/UNIX",
    tags: { ...tags, ...extra },
  });

describe("training-budget", () => {
  it("sums one-time spend and blocks the block that crosses the limit", () => {
    // 2 x p5.48xlarge $55.04/h x 168 h = $18,493.44 each.
    const run = {
      "computeguard:instance-type": "p5.48xlarge",
      "computeguard:instance-count": "2",
      "computeguard:training-hours": "168",
    };
    const v = check(trainingBudget, { limitUsd: 30_000 }, [block("run-1", run), block("run-2", run)]);
    expect(findings(v)).toEqual([
      "blocked: run-2 (one-time $18,493.44: capacity block p5.48xlarge on-demand $55.04/h x 168 h x 2) takes the stack's training spend to $36,986.88, over its $30,000.00 limit",
    ]);
  });

  it("takes a declared upfront fee as the one-time cost", () => {
    const v = check(trainingBudget, { limitUsd: 10_000 }, [
      block("run", { "computeguard:upfront-fee-usd": "12500.50" }),
    ]);
    expect(findings(v)[0]).toContain("one-time $12,500.50");
  });

  it("reports the whole stack's training spend", () => {
    const s = session();
    const inputs = [
      block("a", { "computeguard:upfront-fee-usd": "20000" }),
      block("b", { "computeguard:upfront-fee-usd": "15000" }),
    ];
    expect(findings(s.stackVerdicts(trainingBudget, { limitUsd: 30_000 }, inputs))).toEqual([
      "blocked: the stack's one-time training spend is $35,000.00, over its $30,000.00 limit: a $20,000.00, b $15,000.00",
    ]);
  });

  it("ignores resources without one-time spend", () => {
    expect(
      check(trainingBudget, {}, [
        resource("aws:ec2/instance:Instance", "web", { instanceType: "g5.xlarge" }),
      ]),
    ).toEqual([]);
  });
});
