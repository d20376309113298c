import { describe, expect, it } from "vitest";
import { gpuStackBudget } from "../../src/policy/rules/gpu-stack-budget.js";
import { check, findings, instance, resource, session } from "./support.js";

const cfg = { monthlyLimitUsd: 50_000 };

describe("gpu-stack-budget", () => {
  it("warns once past warnAtPercent and blocks the resource that crosses the limit", () => {
    const verdicts = check(gpuStackBudget, cfg, [instance("a", "p5.48xlarge"), instance("b", "p5.48xlarge")]);
    expect(findings(verdicts)).toEqual([
      "warned: a (+$40,179.20/mo) takes the stack's projected spend to $40,179.20/mo, past 80% of its $50,000.00/mo limit",
      "blocked: b (+$40,179.20/mo) takes the stack's projected spend to $80,358.40/mo, over its $50,000.00/mo limit",
    ]);
    expect(verdicts[1]?.urn).toContain("::b");
  });

  it("keeps a running total by URN: re-analysing a resource replaces its contribution", () => {
    const s = session();
    for (let i = 0; i < 5; i++)
      expect(
        findings(check(gpuStackBudget, { ...cfg, warnAtPercent: 100 }, [instance("a", "p5.48xlarge")], s)),
      ).toEqual([]);
    // Resized down: the total falls, so a second instance now fits.
    check(gpuStackBudget, cfg, [instance("a", "g6e.xlarge")], s);
    expect(
      findings(check(gpuStackBudget, { ...cfg, warnAtPercent: 100 }, [instance("b", "p5.48xlarge")], s)),
    ).toEqual([]);
  });

  it("keeps a budget per team, by the configured tag", () => {
    const teamCfg = { teamLimitsUsd: { vision: 1_000, research: 1_000_000 }, tagKey: "team" };
    const mine = instance("v", "g5.2xlarge", { tags: { team: "vision" } }); // $884.76
    const theirs = instance("r", "g5.2xlarge", { tags: { team: "research" } });
    const s = session();
    expect(findings(check(gpuStackBudget, teamCfg, [mine, theirs], s))).toEqual([
      "warned: v (+$884.76/mo) takes the team vision's projected spend to $884.76/mo, past 80% of its $1,000.00/mo limit",
    ]);
    const second = instance("v2", "g5.xlarge", { tags: { team: "vision" } });
    expect(findings(check(gpuStackBudget, teamCfg, [second], s))[0]).toContain("over its $1,000.00/mo limit");
  });

  it("blocks spend charged to a team without a limit, or to no team, once team limits are set", () => {
    const teamCfg = { teamLimitsUsd: { research: 60_000 } };
    const renamed = instance("x", "g5.2xlarge", { tags: { team: "research-x" } });
    const untagged = instance("u", "g5.2xlarge", { tags: {} });
    const s = session();
    expect(findings(check(gpuStackBudget, teamCfg, [renamed, untagged], s))).toEqual([
      'blocked: x (+$884.76/mo) is charged to team "research-x" (tag team), which has no limit: team limits are set for research; tag it with one of them, or add the team to teamLimitsUsd',
      'blocked: u (+$884.76/mo) has no "team" tag: team limits are set for research; tag it with one of them, or add the team to teamLimitsUsd',
    ]);
    // Said once: the stack phase does not repeat what the resource phase reported.
    expect(findings(s.stackVerdicts(gpuStackBudget, teamCfg, [renamed, untagged]))).toEqual([]);
    // The stack phase alone (a resource first priced there) still says it.
    expect(findings(session().stackVerdicts(gpuStackBudget, teamCfg, [renamed]))[0]).toContain(
      'is charged to team "research-x"',
    );
    // Configurable: such spend then counts against the stack limit only.
    const lenient = { ...teamCfg, unlistedTeams: "stack-limit-only" };
    expect(findings(check(gpuStackBudget, lenient, [renamed, untagged], session()))).toEqual([]);
    // Without team limits there is nothing to escape.
    expect(findings(check(gpuStackBudget, {}, [renamed, untagged], session()))).toEqual([]);
  });

  it("gives the complete picture at stack level, listing every contributor", () => {
    const s = session();
    const inputs = [
      instance("a", "p5.48xlarge"),
      instance("b", "p5.48xlarge"),
      resource("aws:s3/bucket:Bucket", "logs", {}),
    ];
    const verdicts = s.stackVerdicts(gpuStackBudget, cfg, inputs);
    expect(findings(verdicts)).toEqual([
      "blocked: the stack projects $80,358.40/mo (worst-case), over its $50,000.00/mo limit; 2 resource(s): a $40,179.20/mo, b $40,179.20/mo",
    ]);
  });

  it("does not count a waived resource against the budget", () => {
    const waived = {
      ...cfg,
      exceptions: [
        {
          id: "W-1",
          resource: "a",
          stack: "ml/prod",
          maxMonthlyUsd: 45_000,
          expires: "2027-01-31",
          approvedBy: "cfo",
          reason: "launch",
        },
      ],
    };
    const s = session();
    const [a, b] = [instance("a", "p5.48xlarge"), instance("b", "g5.xlarge")];
    expect(
      check(gpuStackBudget, { ...waived, monthlyLimitUsd: 10_000 }, [a, b], s).map((v) => v.decision),
    ).toEqual(["waived", "passed"]);
    expect(findings(s.stackVerdicts(gpuStackBudget, { ...waived, monthlyLimitUsd: 10_000 }, [a, b]))).toEqual(
      [],
    );
  });
});
