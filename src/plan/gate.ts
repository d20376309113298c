import type { ResourceInput } from "../estimate/types.js";
import { runGate } from "../policy/gate.js";
import type { PolicyLevel, PolicySetting } from "../policy/pack-config.js";
import type { GateOptions } from "../policy/session.js";
import type { Decision, Verdict } from "../policy/verdict.js";

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

/** The pack's rules over the plan's after-state, in the engine's order (see runGate). */
export function evaluateGate(
  settings: readonly PolicySetting[],
  afterInputs: readonly ResourceInput[],
  options: GateOptions,
  failOn: FailOn,
): GateResult {
  const levelOf = new Map(settings.map((s) => [s.rule.name, s.level]));
  const policies = settings.map((s) => ({
    rule: s.rule,
    level: s.level === "remediate" ? ("mandatory" as const) : s.level,
    config: s.properties,
  }));
  const verdicts = runGate(afterInputs, policies, options).findings.map(
    ({ phase: _phase, level: _level, ...v }) => judge(v, levelOf.get(v.policy)!),
  );
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
