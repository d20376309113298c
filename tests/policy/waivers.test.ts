import { describe, expect, it } from "vitest";
import { money } from "../../src/money.js";
import { gpuResourceBudget } from "../../src/policy/rules/gpu-resource-budget.js";
import { findWaiver, WaiverSchema } from "../../src/policy/waivers.js";

const w = WaiverSchema.parse({
  id: "W-1",
  resource: "trainer-*",
  stack: "ml/prod",
  maxMonthlyUsd: 50_000,
  expires: "2026-12-31",
  approvedBy: "cfo",
  reason: "Q4",
});
const urn = (stack: string, project: string, name: string) =>
  `urn:pulumi:${stack}::${project}::aws:ec2/instance:Instance::${name}`;
const target = { urn: urn("prod", "ml", "trainer-0"), name: "trainer-0" };
const DEC = new Date("2026-12-01");

/** The first issue's path and message when `waiver` is put in a policy config. */
function configError(waivers: unknown[], extra: Record<string, unknown> = {}) {
  const issue = gpuResourceBudget.config.safeParse({ exceptions: waivers, ...extra }).error?.issues[0];
  return issue ? `${issue.path.join(".")}: ${issue.message}` : undefined;
}
const valid = {
  id: "W-1",
  resource: "trainer-*",
  stack: "ml/prod",
  maxMonthlyUsd: 1,
  expires: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
  approvedBy: "cfo",
  reason: "Q4",
};

describe("waivers", () => {
  it("apply in scope, under the cap, through their last day", () => {
    expect(findWaiver([w], target, money(40_000), new Date("2026-12-31T23:00:00Z")).applies).toBe(true);
  });

  it("are inert for other resources, and say why when they name this one but another stack", () => {
    expect(findWaiver([w], { ...target, name: "web-0" }, money(1), DEC)).toEqual({ applies: false });
    expect(findWaiver([w], { ...target, urn: urn("dev", "ml", "trainer-0") }, money(1), DEC)).toEqual({
      applies: false,
      note: "waiver W-1 is for stack ml/prod, not ml/dev",
    });
    // The same stack name in another project is another stack.
    expect(findWaiver([w], { ...target, urn: urn("prod", "shop", "trainer-0") }, money(1), DEC)).toEqual({
      applies: false,
      note: "waiver W-1 is for stack ml/prod, not shop/prod",
    });
  });

  it("scoped to an organization apply only where that organization is known to be the one", () => {
    const orgWaiver = WaiverSchema.parse({ ...w, stack: "acme/ml/prod" });
    expect(findWaiver([orgWaiver], { ...target, organization: "acme" }, money(1), DEC).applies).toBe(true);
    expect(findWaiver([orgWaiver], { ...target, organization: "evil" }, money(1), DEC)).toEqual({
      applies: false,
      note: "waiver W-1 is for organization acme, not organization evil",
    });
    expect(findWaiver([orgWaiver], target, money(1), DEC)).toEqual({
      applies: false,
      note: "waiver W-1 is for organization acme, not an organization not known here",
    });
  });

  it("say why they did not apply: expired, or over their cap", () => {
    expect(findWaiver([w], target, money(1), new Date("2027-01-01T00:00:01Z"))).toEqual({
      applies: false,
      note: "waiver W-1 expired on 2026-12-31",
    });
    expect(findWaiver([w], target, money(50_000.01), DEC)).toEqual({
      applies: false,
      note: "waiver W-1 covers up to $50,000.00/mo, projected $50,000.01/mo",
    });
  });

  it("match an exact URN, which names its project and stack, without a stack field", () => {
    const byUrn = WaiverSchema.parse({ ...w, resource: target.urn, stack: undefined });
    expect(findWaiver([byUrn], target, money(1), DEC).applies).toBe(true);
    expect(
      findWaiver([byUrn], { ...target, urn: urn("dev", "ml", "trainer-0") }, money(1), DEC).applies,
    ).toBe(false);
  });

  it("refuse, naming the entry and field: bare stacks, match-everything patterns, impossible dates, duplicates", () => {
    expect(configError([valid])).toBeUndefined();
    expect(configError([{ ...valid, stack: "prod" }])).toBe(
      'exceptions.0.stack: must be "project/stack" or "org/project/stack": a bare stack name matches that stack in every project',
    );
    expect(configError([{ ...valid, stack: undefined }])).toBe(
      'exceptions.0.stack: required for a resource name pattern: "project/stack" or "org/project/stack"',
    );
    for (const pattern of ["*", "**", "?*"])
      expect(configError([{ ...valid, resource: pattern }])).toBe(
        "exceptions.0.resource: must name resources: a pattern of only wildcards (`*`, `**`) matches every resource",
      );
    for (const date of ["2027-02-30", "2026-13-01", "2027-1-5", "tomorrow"])
      expect(configError([{ ...valid, expires: date }]), date).toBe(
        "exceptions.0.expires: must be a real ISO date (YYYY-MM-DD)",
      );
    expect(configError([valid, { ...valid, resource: "other-*" }])).toBe(
      'exceptions.1.id: duplicate waiver id "W-1" (also exceptions[0])',
    );
  });

  it("refuse expiries beyond the horizon (a year unless the policy says otherwise)", () => {
    const farOff = new Date(Date.now() + 400 * 86_400_000).toISOString().slice(0, 10);
    expect(configError([{ ...valid, expires: "9999-12-31" }])).toBe(
      'exceptions.0.expires: 9999-12-31 is more than 365 days ahead (waiverHorizonDays): waiver "W-1" must expire sooner',
    );
    expect(configError([{ ...valid, expires: farOff }])).toContain("more than 365 days ahead");
    expect(configError([{ ...valid, expires: farOff }], { waiverHorizonDays: 500 })).toBeUndefined();
    expect(configError([{ ...valid, expires: valid.expires }], { waiverHorizonDays: 7 })).toContain(
      "more than 7 days ahead",
    );
  });
});
