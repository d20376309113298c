import { describe, expect, it } from "vitest";
import { money } from "../../src/money.js";
import { findWaiver, WaiverSchema } from "../../src/policy/waivers.js";

const w = WaiverSchema.parse({
  id: "W-1",
  resource: "trainer-*",
  stack: "prod",
  maxMonthlyUsd: 50_000,
  expires: "2026-12-31",
  approvedBy: "cfo",
  reason: "Q4",
});
const target = {
  urn: "urn:pulumi:prod::ml::aws:ec2/instance:Instance::trainer-0",
  name: "trainer-0",
  stack: "prod",
};

describe("waivers", () => {
  it("apply in scope, under the cap, through their last day", () => {
    expect(findWaiver([w], target, money(40_000), new Date("2026-12-31T23:00:00Z")).applies).toBe(true);
  });

  it("are inert outside their scope", () => {
    expect(findWaiver([w], { ...target, stack: "dev" }, money(1), new Date("2026-12-01"))).toEqual({
      applies: false,
    });
    expect(findWaiver([w], { ...target, name: "web-0" }, money(1), new Date("2026-12-01"))).toEqual({
      applies: false,
    });
  });

  it("say why they did not apply: expired, or over their cap", () => {
    expect(findWaiver([w], target, money(1), new Date("2027-01-01T00:00:01Z"))).toEqual({
      applies: false,
      note: "waiver W-1 expired on 2026-12-31",
    });
    expect(findWaiver([w], target, money(50_000.01), new Date("2026-12-01"))).toEqual({
      applies: false,
      note: "waiver W-1 covers up to $50,000.00/mo, projected $50,000.01/mo",
    });
  });

  it("match an exact URN, and reject impossible dates naming the field", () => {
    const byUrn = WaiverSchema.parse({ ...w, resource: target.urn, stack: undefined });
    expect(findWaiver([byUrn], { ...target, stack: "other" }, money(1), new Date("2026-12-01")).applies).toBe(
      true,
    );
    expect(WaiverSchema.safeParse({ ...w, expires: "2026-13-01" }).error?.issues[0]?.path).toEqual([
      "expires",
    ]);
  });
});
