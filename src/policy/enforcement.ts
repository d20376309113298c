/**
 * What a policy's decision means for a deployment, at the level the policy runs at: the one place
 * the pack, `check`, `estimate`, every report and the audit trail take it from.
 *
 * - A rule decides `blocked`, `warned`, `waived` or `passed`; the level decides what a `blocked`
 *   does. At `mandatory` it stops the deployment. At `advisory` a block is a warning.
 * - `remediate`: Pulumi runs a policy's remediation, then validates it as `mandatory`.
 *   computeguard's policies have no remediation, on purpose: the only "fix" for spend over a budget
 *   is a smaller instance type, count or scaling maximum, and silently deploying less capacity
 *   than the program asked for is not a fix anyone can review. So `remediate` enforces exactly like
 *   `mandatory`, and every output says so ("remediate: enforced as mandatory, no automatic fix").
 * - `disabled`: the policy does not run and has no findings.
 * - Warnings, waivers and passes never block, whatever the level.
 */
import type { Decision } from "./verdict.js";

/** Pulumi's enforcement levels, as a policy config or the engine's Configure names them. */
export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;
export type EnforcementLevel = (typeof ENFORCEMENT_LEVELS)[number];
/** The levels a policy that runs can have. */
export type ActiveLevel = Exclude<EnforcementLevel, "disabled">;

/** What a finding means for the deployment, in the one vocabulary every output uses. */
export const OUTCOMES = ["blocked", "warning", "waived", "passed"] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The word each outcome is shown with, where a line leads with it. */
export const OUTCOME_WORD: Readonly<Record<Outcome, string>> = {
  blocked: "BLOCKED",
  warning: "WARNING",
  waived: "WAIVED",
  passed: "PASSED",
};

/** Most severe first: what a resource with several findings shows. */
const SEVERITY: Readonly<Record<Outcome, number>> = { blocked: 3, warning: 2, waived: 1, passed: 0 };

export function isEnforcementLevel(value: unknown): value is EnforcementLevel {
  return typeof value === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(value);
}

/** How the engine enforces a level: `remediate` validates as `mandatory` (no remediation here). */
export function enforcedAs(level: ActiveLevel): "advisory" | "mandatory" {
  return level === "advisory" ? "advisory" : "mandatory";
}

function active(level: EnforcementLevel): ActiveLevel {
  if (level === "disabled") throw new Error("a disabled policy does not run, so it has no findings");
  return level;
}

/** A block stops the deployment only at a mandatory (or remediate) level; at advisory it is a warning. */
export function outcomeOf(decision: Decision, level: EnforcementLevel): Outcome {
  const enforced = enforcedAs(active(level));
  switch (decision) {
    case "blocked":
      return enforced === "mandatory" ? "blocked" : "warning";
    case "warned":
      return "warning";
    case "waived":
      return "waived";
    case "passed":
      return "passed";
  }
}

/** The level a finding is reported to the engine at: mandatory only when it blocks. */
export function reportedLevel(decision: Decision, level: EnforcementLevel): "advisory" | "mandatory" {
  return outcomeOf(decision, level) === "blocked" ? "mandatory" : "advisory";
}

/**
 * Why the level matters for this finding, in the one wording every output uses; undefined when it
 * does not (a warning, waiver or pass reads the same at every level).
 */
export function levelNote(decision: Decision, level: EnforcementLevel): string | undefined {
  if (decision !== "blocked") return undefined;
  switch (active(level)) {
    case "mandatory":
      return "mandatory";
    case "remediate":
      return "remediate: enforced as mandatory, no automatic fix";
    case "advisory":
      return "advisory: a block at advisory level is a warning";
  }
}

/** A finding's outcome as every output shows it: the outcome, the level it was reported at, and why. */
export interface Enforcement {
  outcome: Outcome;
  /** "BLOCKED", "WARNING", ... */
  word: string;
  /** The level the engine shows it at. */
  reportedAs: "advisory" | "mandatory";
  /** Why the level matters here ("mandatory", "advisory: a block at advisory level is a warning"). */
  note?: string;
  /** `WORD policy (note)`: the head of a finding's line in any format. */
  label: string;
}

/** The rule's decision at the policy's level, as every output shows it. */
export function enforce(policy: string, decision: Decision, level: EnforcementLevel): Enforcement {
  const outcome = outcomeOf(decision, level);
  const note = levelNote(decision, level);
  return {
    outcome,
    word: OUTCOME_WORD[outcome],
    reportedAs: outcome === "blocked" ? "mandatory" : "advisory",
    ...(note ? { note } : {}),
    label: `${OUTCOME_WORD[outcome]} ${policy}${note ? ` (${note})` : ""}`,
  };
}

/** The most severe of several outcomes ("passed" for none). */
export function worstOutcome(outcomes: Iterable<Outcome>): Outcome {
  let worst: Outcome = "passed";
  for (const o of outcomes) if (SEVERITY[o] > SEVERITY[worst]) worst = o;
  return worst;
}

/** Most severe first; a stable sort keeps evaluation order within each outcome. */
export function bySeverity<T extends { outcome: Outcome }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => SEVERITY[b.outcome] - SEVERITY[a.outcome]);
}

/** How many findings of each outcome. */
export function countOutcomes(items: Iterable<{ outcome: Outcome }>): Record<Outcome, number> {
  const counts: Record<Outcome, number> = { blocked: 0, warning: 0, waived: 0, passed: 0 };
  for (const i of items) counts[i.outcome] += 1;
  return counts;
}

/** `--fail-on`: the outcome at which a CI job fails (exit 1). */
export const FAIL_ON = ["blocked", "warning", "never"] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Whether the outcomes fail a job run with `--fail-on failOn`; a waiver never fails it. */
export function failsAt(counts: Readonly<Record<Outcome, number>>, failOn: FailOn): boolean {
  if (failOn === "never") return false;
  if (failOn === "warning") return counts.blocked > 0 || counts.warning > 0;
  return counts.blocked > 0;
}

/** What the audit trail records as the decision: what the deployment felt (a block at advisory warned). */
export function recordedDecision(decision: Decision, level: EnforcementLevel): Decision {
  const outcome = outcomeOf(decision, level);
  return outcome === "warning" ? "warned" : outcome;
}
