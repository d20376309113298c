import type { ResourceInput } from "../estimate/types.js";
import { type GateOptions, GateSession } from "../policy/session.js";
import type { Decision, Verdict } from "../policy/verdict.js";
import type { PolicyLevel, PolicySetting } from "./policy-config.js";

export type FailOn = "blocked" | "warning" | "never";
export const FAIL_ON: readonly FailOn[] = ["blocked", "warning", "never"];

/** A verdict as the deployment would feel it: a violation of an advisory policy only warns. */
export interface JudgedVerdict extends Verdict {
  level: PolicyLevel;
  /** What the verdict means for the deployment (`decision` is the rule's own judgement). */
  effective: Decision;
}

export interface GateResult {
  policies: Array<{ name: string; level: PolicyLevel }>;
  /** Per-resource verdicts in plan order, then the stack phase's. */
  verdicts: JudgedVerdict[];
  counts: Record<Decision, number>;
  failOn: FailOn;
  /** Whether `failOn` is met: the CI job should fail. */
  failed: boolean;
}

function judge(verdict: Verdict, level: PolicyLevel): JudgedVerdict {
  const effective = verdict.decision === "blocked" && level === "advisory" ? "warned" : verdict.decision;
  return { ...verdict, level, effective };
}

export function gateFails(counts: Record<Decision, number>, failOn: FailOn): boolean {
  if (failOn === "never") return false;
  if (failOn === "warning") return counts.blocked > 0 || counts.warned > 0;
  return counts.blocked > 0;
}

/**
 * Runs the pack's rules the way the engine drives the pack: every enabled policy's Analyze for each
 * resource after the deployment, in plan order (budgets keep running totals), then AnalyzeStack
 * once with everything known.
 */
export function evaluateGate(
  settings: readonly PolicySetting[],
  afterInputs: readonly ResourceInput[],
  options: GateOptions,
  failOn: FailOn,
): GateResult {
  const session = new GateSession(options);
  const verdicts: JudgedVerdict[] = [];
  for (const input of afterInputs) {
    for (const s of settings) {
      for (const v of session.resourceVerdicts(s.rule, s.properties, input)) verdicts.push(judge(v, s.level));
    }
  }
  for (const s of settings) {
    for (const v of session.stackVerdicts(s.rule, s.properties, afterInputs))
      verdicts.push(judge(v, s.level));
  }
  const counts: Record<Decision, number> = { blocked: 0, warned: 0, waived: 0, passed: 0 };
  for (const v of verdicts) counts[v.effective] += 1;
  return {
    policies: settings.map((s) => ({ name: s.rule.name, level: s.level })),
    verdicts,
    counts,
    failOn,
    failed: gateFails(counts, failOn),
  };
}
