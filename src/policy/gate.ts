import type { ResourceInput } from "../estimate/types.js";
import { type ActiveLevel, type EnforcementLevel, type Outcome, outcomeOf } from "./enforcement.js";
import { reconcileAllPolicies } from "./pack-config.js";
import type { Rule } from "./rule.js";
import { type GateOptions, GateSession } from "./session.js";
import type { Verdict } from "./verdict.js";

/** A rule's verdict at its policy's level: what it means for the deployment (see enforcement.ts). */
export interface Finding extends Verdict {
  /** The level the policy ran at (a warning of a mandatory policy is still a mandatory policy's). */
  level: ActiveLevel;
  outcome: Outcome;
  phase: "resource" | "stack";
}

export interface EffectivePolicy {
  rule: Rule;
  level: EnforcementLevel;
  config: Record<string, unknown>;
}

/**
 * What the Pulumi engine does with `--policy-pack-config` before calling Configure: every policy
 * gets an explicit level and its properties with schema defaults (see reconcileAllPolicies, the
 * one reconciler the pack's front doors share).
 */
export function reconcilePackConfig(raw: unknown, origin = "policy config"): EffectivePolicy[] {
  return reconcileAllPolicies(raw ?? {}, origin).map((p) => ({
    rule: p.rule,
    level: p.level,
    config: p.properties,
  }));
}

export function toFindings(verdicts: Verdict[], level: ActiveLevel, phase: Finding["phase"]): Finding[] {
  return verdicts.map((v) => ({ ...v, level, outcome: outcomeOf(v.decision, level), phase }));
}

export interface GateResult {
  session: GateSession;
  findings: Finding[];
}

/** The engine's order: every resource through every enabled policy as it registers, then the stack. */
export function runGate(
  inputs: readonly ResourceInput[],
  policies: readonly EffectivePolicy[],
  options: GateOptions,
): GateResult {
  const session = new GateSession(options);
  const enabled = policies.filter(
    (p): p is EffectivePolicy & { level: ActiveLevel } => p.level !== "disabled",
  );
  const findings: Finding[] = [];
  for (const input of inputs) {
    for (const p of enabled)
      findings.push(...toFindings(session.resourceVerdicts(p.rule, p.config, input), p.level, "resource"));
  }
  for (const p of enabled)
    findings.push(...toFindings(session.stackVerdicts(p.rule, p.config, inputs), p.level, "stack"));
  return { session, findings: onePerResource(findings, session) };
}

/**
 * One finding per resource and policy, at one figure. The engine reports as it goes and cannot take
 * back what the resource phase said; a front door that sees both phases can: a finding the stack
 * phase makes worse replaces the resource phase's, and one it only re-figures (an endpoint
 * configuration priced up to its scaling target's maximum) keeps its phase, the deployment stops
 * there, with the complete picture's figure.
 */
function onePerResource(findings: Finding[], session: GateSession): Finding[] {
  const escalated = new Set(
    findings.filter((f) => f.phase === "stack" && f.urn).map((f) => `${f.policy}|${f.urn}`),
  );
  return findings.flatMap((f) => {
    if (f.phase !== "resource" || !f.urn) return [f];
    if (escalated.has(`${f.policy}|${f.urn}`)) return [];
    const complete = session.refinedVerdict(f.policy, f.urn);
    return complete ? [{ ...f, ...complete, level: f.level, outcome: f.outcome, phase: f.phase }] : [f];
  });
}
