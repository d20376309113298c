/**
 * The caches that keep the pack's per-resource cost low (every policy asks for the same estimate
 * and parses the same config in turn) must never serve a stale answer.
 */
import { describe, expect, it } from "vitest";
import type { ResourceInput } from "../../src/estimate/types.js";
import { jsonEqual } from "../../src/policy/json-equal.js";
import { gpuResourceBudget } from "../../src/policy/rules/index.js";
import { GateSession, parseRuleConfig } from "../../src/policy/session.js";

const instance = (instanceType: string, extra: Record<string, unknown> = {}): ResourceInput => ({
  urn: "urn:pulumi:prod::ml::aws:ec2/instance:Instance::trainer",
  type: "aws:ec2/instance:Instance",
  name: "trainer",
  props: { instanceType, tags: { team: "research" }, ...extra },
  providerRegion: "us-east-1",
});

describe("GateSession.estimate", () => {
  it("reuses the estimate for equal props handed in as a fresh copy", () => {
    const session = new GateSession({ stack: "prod" });
    const first = session.estimate(instance("g5.xlarge"));
    expect(session.estimate(instance("g5.xlarge"))).toBe(first);
  });

  it("re-estimates when the props, or the provider's region, change", () => {
    const session = new GateSession({ stack: "prod" });
    const g5 = session.estimate(instance("g5.xlarge"));
    const p5 = session.estimate(instance("p5.48xlarge"));
    expect(p5.instanceTypes).toEqual(["p5.48xlarge"]);
    expect(session.estimate(instance("p5.48xlarge", { tags: { team: "infra" } })).tags.team).toBe("infra");
    const west = session.estimate({ ...instance("g5.xlarge"), providerRegion: "us-west-2" });
    expect(west.region?.region).toBe("us-west-2");
    expect(g5.region?.region).toBe("us-east-1");
  });
});

describe("parseRuleConfig", () => {
  it("parses a config once and notices any changed value", () => {
    const exceptions: unknown[] = [];
    const a = parseRuleConfig(gpuResourceBudget, { monthlyLimitUsd: 1000, exceptions });
    expect(parseRuleConfig(gpuResourceBudget, { monthlyLimitUsd: 1000, exceptions })).toBe(a);
    expect(parseRuleConfig(gpuResourceBudget, { monthlyLimitUsd: 2000, exceptions }).monthlyLimitUsd).toBe(
      2000,
    );
    expect(parseRuleConfig(gpuResourceBudget, { monthlyLimitUsd: 1000 }).monthlyLimitUsd).toBe(1000);
    expect(() => parseRuleConfig(gpuResourceBudget, { monthlyLimitUsd: "lots" })).toThrow(/monthlyLimitUsd/);
    // A bad config fails every time, never once and then silently.
    expect(() => parseRuleConfig(gpuResourceBudget, { monthlyLimitUsd: "lots" })).toThrow(/monthlyLimitUsd/);
  });
});

describe("GateSession.stackInputsFor", () => {
  it("shares one conversion while the priced resources are the same, and not after one changes", () => {
    const session = new GateSession({ stack: "prod" });
    const convert = (rs: ResourceInput[]) => rs.map((r) => ({ ...r }));
    const first = session.stackInputsFor([instance("g5.xlarge")], convert);
    expect(session.stackInputsFor([instance("g5.xlarge")], convert)).toBe(first);
    expect(session.stackInputsFor([instance("g6.xlarge")], convert)).not.toBe(first);
  });
});

describe("jsonEqual", () => {
  it("compares JSON values by structure", () => {
    expect(jsonEqual({ a: [1, { b: "x" }], c: null }, { c: null, a: [1, { b: "x" }] })).toBe(true);
    expect(jsonEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 2 })).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
    expect(jsonEqual({ a: undefined }, { b: undefined })).toBe(false);
    expect(jsonEqual("1", 1)).toBe(false);
  });
});
