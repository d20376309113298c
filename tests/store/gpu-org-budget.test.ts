import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { money } from "../../src/money.js";
import { type LedgerSpend, type OrgSpend, spendTotals, totalOf } from "../../src/policy/org-spend.js";
import { gpuOrgBudget } from "../../src/policy/rules/gpu-org-budget.js";
import { GateSession } from "../../src/policy/session.js";
import { check, findings, instance, session } from "../policy/support.js";

// p5.48xlarge in us-east-1: $55.04/h x 730 h = $40,179.20/mo (baseline and worst case alike).
const spend = (
  stack: string,
  team: string | null,
  usd: string,
  state: LedgerSpend["state"] = "recorded",
): LedgerSpend => ({
  stack,
  team,
  state,
  monthlyBaseline: money(usd),
  monthlyWorstCase: money(usd),
});

function withLedger(otherStacks: LedgerSpend[]) {
  const s = session();
  const orgSpend: OrgSpend = { organization: "acme", otherStacks };
  s.context.orgSpend = orgSpend;
  return s;
}

describe("gpu-org-budget", () => {
  it("without a spend ledger, a configured limit is a violation (at the policy's level), never a silent pass", () => {
    const s = session();
    const config = { teamLimitsUsd: { research: 100_000 }, orgLimitUsd: 1_000_000 };
    const why =
      "no spend ledger is configured (set COMPUTEGUARD_STORE_URL to the shared store and run `computeguard store migrate`)";
    expect(findings(check(gpuOrgBudget, config, [instance("a", "p5.48xlarge")], s))).toEqual([
      `blocked: a (+$40,179.20/mo) cannot be judged against team research's $100,000.00/mo limit across the organization: ${why}`,
      `blocked: a (+$40,179.20/mo) cannot be judged against the organization's $1,000,000.00/mo limit across the organization: ${why}`,
    ]);
    expect(findings(s.stackVerdicts(gpuOrgBudget, config, [instance("a", "p5.48xlarge")]))).toEqual([
      `blocked: this stack ($40,179.20/mo) cannot be judged against team research's $100,000.00/mo limit across the organization: ${why}`,
      `blocked: this stack ($40,179.20/mo) cannot be judged against the organization's $1,000,000.00/mo limit across the organization: ${why}`,
    ]);
    // Nothing configured for this team, no organisation limit, and spend of unlisted teams allowed:
    // nothing to judge, nothing said.
    expect(
      check(gpuOrgBudget, { teamLimitsUsd: { vision: 1 }, unlistedTeams: "org-limit-only" }, [
        instance("b", "p5.48xlarge"),
      ]),
    ).toEqual([]);
    // A front door that has a store but could not read it says why.
    const failed = new GateSession({
      stack: "prod",
      defaultRegion: "us-east-1",
      orgSpendUnavailable: "the spend ledger could not be read: boom",
    });
    expect(findings(check(gpuOrgBudget, config, [instance("c", "p5.48xlarge")], failed))[0]).toMatch(
      /cannot be judged against team research's \$100,000\.00\/mo limit across the organization: the spend ledger could not be read: boom$/,
    );
  });

  it("team limits follow the configured teams, not the tag: an unlisted or missing team is blocked (as gpu-stack-budget)", () => {
    const s = withLedger([]);
    const config = { teamLimitsUsd: { research: 100_000 } };
    const renamed = instance("x", "p5.48xlarge", { tags: { team: "research-x" } });
    const untagged = instance("u", "p5.48xlarge", { tags: {} });
    expect(findings(check(gpuOrgBudget, config, [renamed, untagged], s))).toEqual([
      'blocked: x (+$40,179.20/mo) is charged to team "research-x" (tag team), which has no limit: team limits are set for research; tag it with one of them, or add the team to teamLimitsUsd',
      'blocked: u (+$40,179.20/mo) has no "team" tag: team limits are set for research; tag it with one of them, or add the team to teamLimitsUsd',
    ]);
    // Judged without a store too: the tag alone decides it.
    expect(findings(check(gpuOrgBudget, config, [renamed], session()))).toContain(
      'blocked: x (+$40,179.20/mo) is charged to team "research-x" (tag team), which has no limit: team limits are set for research; tag it with one of them, or add the team to teamLimitsUsd',
    );
    // Configurable: such spend then counts against the organization's limit only.
    const lenient = { ...config, unlistedTeams: "org-limit-only" };
    expect(check(gpuOrgBudget, lenient, [renamed, untagged], withLedger([]))).toEqual([]);
  });

  it("blocks the resource that takes its team over the limit counting the other stacks' spend", () => {
    const s = withLedger([spend("ml/staging", "research", "30000"), spend("ml/dev", "vision", "99999")]);
    const config = { teamLimitsUsd: { research: 60_000 } };
    expect(findings(check(gpuOrgBudget, config, [instance("a", "p5.48xlarge")], s))).toEqual([
      "blocked: a (+$40,179.20/mo) takes team research's spend across organization acme to $70,179.20/mo (this stack $40,179.20/mo; other stacks $30,000.00/mo: ml/staging $30,000.00/mo), over its $60,000.00/mo limit",
    ]);
    const [verdict] = check(gpuOrgBudget, config, [instance("a", "p5.48xlarge")], s);
    expect(verdict).toMatchObject({ budget: "org-team:research", limit: money(60_000) });
  });

  it("lets spend through that fits alongside the other stacks, warning past warnAtPercent", () => {
    const s = withLedger([spend("ml/staging", "research", "10000")]);
    expect(
      findings(
        check(gpuOrgBudget, { teamLimitsUsd: { research: 60_000 } }, [instance("a", "p5.48xlarge")], s),
      ),
    ).toEqual([
      "warned: a (+$40,179.20/mo) takes team research's spend across organization acme to $50,179.20/mo (this stack $40,179.20/mo; other stacks $10,000.00/mo: ml/staging $10,000.00/mo), past 80% of its $60,000.00/mo limit",
    ]);
  });

  it("counts a stack with an update in flight at the larger of its claim and its recorded spend", () => {
    const s = withLedger([
      spend("ml/staging", "research", "5000"),
      spend("ml/staging", "research", "25000", "pending"),
      spend("ml/dev", "research", "20000"),
      spend("ml/dev", "research", "1000", "pending"),
    ]);
    const verdicts = check(
      gpuOrgBudget,
      { teamLimitsUsd: { research: 80_000 } },
      [instance("a", "p5.48xlarge")],
      s,
    );
    expect(findings(verdicts)[0]).toContain(
      "to $85,179.20/mo (this stack $40,179.20/mo; other stacks $45,000.00/mo: ml/staging $25,000.00/mo (update in flight), ml/dev $20,000.00/mo)",
    );
  });

  it("holds the organization to orgLimitUsd across every team, untagged spend included", () => {
    const s = withLedger([spend("ml/staging", "research", "10000"), spend("web/prod", null, "15000")]);
    const config = { orgLimitUsd: 60_000 };
    const verdicts = check(gpuOrgBudget, config, [instance("a", "p5.48xlarge", { tags: {} })], s);
    expect(findings(verdicts)).toEqual([
      "blocked: a (+$40,179.20/mo) takes the organization's spend across organization acme to $65,179.20/mo (this stack $40,179.20/mo; other stacks $25,000.00/mo: web/prod $15,000.00/mo, ml/staging $10,000.00/mo), over its $60,000.00/mo limit",
    ]);
    expect(verdicts[0]?.budget).toBe("organization");
  });

  it("judges the whole stack at AnalyzeStack, one verdict per budget it spends from", () => {
    const s = withLedger([spend("ml/staging", "research", "30000")]);
    const config = {
      teamLimitsUsd: { research: 80_000, vision: 60_000 },
      orgLimitUsd: 100_000,
      basis: "baseline",
    };
    const verdicts = s.stackVerdicts(gpuOrgBudget, config, [
      instance("a", "p5.48xlarge"),
      instance("b", "p5.48xlarge", { tags: { team: "vision" } }),
    ]);
    expect(verdicts.map((v) => [v.decision, v.budget])).toEqual([
      ["warned", "org-team:research"],
      ["blocked", "organization"],
      ["passed", "org-team:vision"],
    ]);
    expect(verdicts[1]!.message).toBe(
      "the organization projects $110,358.40/mo (baseline) across organization acme (this stack $80,358.40/mo; other stacks $30,000.00/mo: ml/staging $30,000.00/mo), over its $100,000.00/mo limit",
    );
  });

  it("never counts less than either the recorded or the claimed spend (property)", () => {
    const amount = fc.integer({ min: 0, max: 1_000_000 }).map((n) => (n / 100).toFixed(2));
    const row = fc.record({
      stack: fc.constantFrom("p/a", "p/b", "q/c"),
      team: fc.constantFrom("research", "vision", null),
      state: fc.constantFrom("recorded" as const, "pending" as const),
      usd: amount,
    });
    fc.assert(
      fc.property(fc.uniqueArray(row, { selector: (r) => `${r.stack}|${r.team}|${r.state}` }), (rows) => {
        const ledger = rows.map((r) => spend(r.stack, r.team, r.usd, r.state));
        const totals = spendTotals(ledger, "worst-case");
        const sumOf = (state: LedgerSpend["state"]) =>
          ledger.filter((r) => r.state === state).reduce((a, r) => a.plus(r.monthlyWorstCase), money(0));
        const org = totalOf(totals.organization);
        expect(org.greaterThanOrEqualTo(sumOf("recorded"))).toBe(true);
        expect(org.greaterThanOrEqualTo(sumOf("pending"))).toBe(true);
        const teams = [...totals.teams.values()].reduce((a, c) => a.plus(totalOf(c)), money(0));
        expect(teams.greaterThanOrEqualTo(org)).toBe(true);
      }),
    );
  });
});
