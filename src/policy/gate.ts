import type { ResourceInput } from "../estimate/types.js";
import type { Rule } from "./rule.js";
import { RULES } from "./rules/index.js";
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

const LEVELS = new Set(["advisory", "mandatory", "disabled", "remediate"]);

/**
 * What the Pulumi engine does with `--policy-pack-config` before calling Configure: every policy
 * gets an explicit level (its own unless "all" or its entry says otherwise; "remediate" acts as
 * mandatory) and its properties; schema defaults are applied when each rule parses its config.
 * A bare string is a level. Unknown policy names are an error, naming them.
 */
export function reconcilePackConfig(raw: unknown, rules: readonly Rule[] = RULES): EffectivePolicy[] {
  const file = (raw ?? {}) as Record<string, unknown>;
  if (typeof file !== "object" || Array.isArray(file))
    throw new Error("policy config: must be a JSON object");
  const known = new Set(rules.map((r) => r.name));
  const unknown = Object.keys(file).filter((k) => k !== "all" && !known.has(k));
  if (unknown.length > 0)
    throw new Error(`policy config: unknown polic${unknown.length > 1 ? "ies" : "y"} ${unknown.join(", ")}`);
  const levelOf = (entry: unknown, where: string): string | undefined => {
    const level =
      typeof entry === "string"
        ? entry
        : (entry as { enforcementLevel?: unknown } | undefined)?.enforcementLevel;
    if (level === undefined) return undefined;
    if (typeof level !== "string" || !LEVELS.has(level)) {
      throw new Error(
        `policy config: ${where}: enforcementLevel must be advisory, mandatory, disabled or remediate`,
      );
    }
    return level;
  };
  const all = levelOf(file.all, "all");
  return rules.map((rule) => {
    const entry = file[rule.name];
    const level = levelOf(entry, rule.name) ?? all ?? rule.enforcementLevel;
    const { enforcementLevel: _, ...config } =
      entry && typeof entry === "object" ? (entry as Record<string, unknown>) : {};
    return { rule, level: level === "remediate" ? "mandatory" : (level as Level), config };
  });
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
