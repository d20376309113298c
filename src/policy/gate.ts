import type { ResourceInput } from "../estimate/types.js";
import { reconcileAllPolicies } from "./pack-config.js";
import type { Rule } from "./rule.js";
import { type GateOptions, GateSession } from "./session.js";
import type { Verdict } from "./verdict.js";

export type Level = "advisory" | "mandatory" | "disabled";

/** A verdict as a user sees it: the level it was reported at, as the engine would show it. */
export interface Finding extends Verdict {
  level: "advisory" | "mandatory";
  phase: "resource" | "stack";
}

export interface EffectivePolicy {
  rule: Rule;
  level: Level;
  config: Record<string, unknown>;
}

/**
 * What the Pulumi engine does with `--policy-pack-config` before calling Configure: every policy
 * gets an explicit level ("remediate" acts as mandatory) and its properties with schema defaults
 * (see reconcileAllPolicies, the one reconciler the pack's front doors share).
 */
export function reconcilePackConfig(raw: unknown, origin = "policy config"): EffectivePolicy[] {
  return reconcileAllPolicies(raw ?? {}, origin).map((p) => ({
    rule: p.rule,
    level: p.level === "remediate" ? "mandatory" : p.level,
    config: p.properties,
  }));
}

function toFindings(verdicts: Verdict[], level: Level, phase: Finding["phase"]): Finding[] {
  return verdicts.map((v) => ({
    ...v,
    phase,
    // Warnings and waivers are advisory whatever the policy's level, as the pack reports them.
    level: v.decision === "blocked" && level === "mandatory" ? "mandatory" : "advisory",
  }));
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
  const enabled = policies.filter((p) => p.level !== "disabled");
  const findings: Finding[] = [];
  for (const input of inputs) {
    for (const p of enabled)
      findings.push(...toFindings(session.resourceVerdicts(p.rule, p.config, input), p.level, "resource"));
  }
  for (const p of enabled)
    findings.push(...toFindings(session.stackVerdicts(p.rule, p.config, inputs), p.level, "stack"));
  return { session, findings };
}
