import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type ActiveLevel,
  bySeverity,
  countOutcomes,
  enforce,
  enforcedAs,
  FAIL_ON,
  failsAt,
  levelNote,
  OUTCOMES,
  outcomeOf,
  recordedDecision,
  reportedLevel,
  worstOutcome,
} from "../../src/policy/enforcement.js";
import type { Decision } from "../../src/policy/verdict.js";

const DECISIONS: Decision[] = ["blocked", "warned", "waived", "passed"];
const LEVELS: ActiveLevel[] = ["advisory", "mandatory", "remediate"];
const decision = fc.constantFrom(...DECISIONS);
const level = fc.constantFrom(...LEVELS);
const outcome = fc.constantFrom(...OUTCOMES);

describe("what a decision means at a level", () => {
  it("is this table", () => {
    const table = LEVELS.map((l) => [l, ...DECISIONS.map((d) => outcomeOf(d, l))]);
    expect(table).toEqual([
      ["advisory", "warning", "warning", "waived", "passed"],
      ["mandatory", "blocked", "warning", "waived", "passed"],
      ["remediate", "blocked", "warning", "waived", "passed"],
    ]);
  });

  it("labels each finding in the one wording every output uses", () => {
    expect(enforce("gpu-stack-budget", "blocked", "mandatory").label).toBe(
      "BLOCKED gpu-stack-budget (mandatory)",
    );
    expect(enforce("bounded-autoscaling", "blocked", "advisory").label).toBe(
      "WARNING bounded-autoscaling (advisory: a block at advisory level is a warning)",
    );
    expect(enforce("gpu-resource-budget", "blocked", "remediate").label).toBe(
      "BLOCKED gpu-resource-budget (remediate: enforced as mandatory, no automatic fix)",
    );
    // A warning of a mandatory policy is a warning: no level in its label to mistake for a block.
    expect(enforce("gpu-stack-budget", "warned", "mandatory").label).toBe("WARNING gpu-stack-budget");
    expect(enforce("gpu-stack-budget", "waived", "mandatory").label).toBe("WAIVED gpu-stack-budget");
    expect(enforce("gpu-stack-budget", "passed", "advisory").label).toBe("PASSED gpu-stack-budget");
  });

  it("has no findings for a disabled policy", () => {
    expect(() => outcomeOf("blocked", "disabled")).toThrow(/disabled policy/);
  });

  it("only a block at mandatory or remediate stops the deployment", () => {
    fc.assert(
      fc.property(decision, level, (d, l) => {
        const blocks = d === "blocked" && l !== "advisory";
        expect(outcomeOf(d, l) === "blocked").toBe(blocks);
        expect(reportedLevel(d, l)).toBe(blocks ? "mandatory" : "advisory");
        expect(enforce("p", d, l).reportedAs).toBe(reportedLevel(d, l));
      }),
    );
  });

  it("remediate is enforced exactly as mandatory, and says so", () => {
    fc.assert(
      fc.property(decision, (d) => {
        expect(enforcedAs("remediate")).toBe("mandatory");
        expect(outcomeOf(d, "remediate")).toBe(outcomeOf(d, "mandatory"));
        expect(reportedLevel(d, "remediate")).toBe(reportedLevel(d, "mandatory"));
        if (d === "blocked") expect(levelNote(d, "remediate")).toMatch(/^remediate: enforced as mandatory/);
      }),
    );
  });

  it("names the level only where it decides the outcome", () => {
    fc.assert(
      fc.property(decision, level, (d, l) => {
        const note = levelNote(d, l);
        expect(note === undefined).toBe(d !== "blocked");
        if (note) expect(note.startsWith(l)).toBe(true);
        const e = enforce("some-policy", d, l);
        expect(e.label.startsWith(`${e.word} some-policy`)).toBe(true);
        expect(e.label.includes("mandatory")).toBe(e.outcome === "blocked");
      }),
    );
  });

  it("records what the deployment felt: a block only when it blocked", () => {
    fc.assert(
      fc.property(decision, level, (d, l) => {
        const recorded = recordedDecision(d, l);
        expect(recorded === "blocked").toBe(outcomeOf(d, l) === "blocked");
        if (d !== "blocked") expect(recorded).toBe(d);
        if (d === "blocked" && l === "advisory") expect(recorded).toBe("warned");
      }),
    );
  });
});

describe("outcomes of several findings", () => {
  it("the worst is the most severe, whatever the order", () => {
    fc.assert(
      fc.property(fc.array(outcome), (outcomes) => {
        const worst = worstOutcome(outcomes);
        const rank = (o: string) => ["passed", "waived", "warning", "blocked"].indexOf(o);
        expect(rank(worst)).toBe(Math.max(0, ...outcomes.map(rank)));
        expect(worstOutcome([...outcomes].reverse())).toBe(worst);
      }),
    );
  });

  it("sorts blocks first and keeps evaluation order within an outcome", () => {
    fc.assert(
      fc.property(fc.array(outcome), (outcomes) => {
        const items = outcomes.map((o, i) => ({ outcome: o, i }));
        const sorted = bySeverity(items);
        expect(sorted).toHaveLength(items.length);
        expect(sorted[0]?.outcome ?? "passed").toBe(worstOutcome(outcomes));
        for (let k = 1; k < sorted.length; k++) {
          const [a, b] = [sorted[k - 1]!, sorted[k]!];
          if (a.outcome === b.outcome) expect(a.i).toBeLessThan(b.i);
        }
      }),
    );
  });

  it("fails a job at its --fail-on, each threshold at least as strict as the next", () => {
    fc.assert(
      fc.property(fc.array(outcome), (outcomes) => {
        const counts = countOutcomes(outcomes.map((o) => ({ outcome: o })));
        expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(outcomes.length);
        expect(failsAt(counts, "never")).toBe(false);
        expect(failsAt(counts, "blocked")).toBe(outcomes.includes("blocked"));
        expect(failsAt(counts, "warning")).toBe(outcomes.includes("blocked") || outcomes.includes("warning"));
        // A waiver is the platform team's approval: it never fails a job.
        if (outcomes.every((o) => o === "waived" || o === "passed"))
          for (const f of FAIL_ON) expect(failsAt(counts, f)).toBe(false);
      }),
    );
  });
});
