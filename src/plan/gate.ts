import type { ResourceInput } from "../estimate/types.js";
import {
  type ActiveLevel,
  countOutcomes,
  type FailOn,
  failsAt,
  type Outcome,
} from "../policy/enforcement.js";
import { type Finding, runGate } from "../policy/gate.js";
import type { PolicySetting } from "../policy/pack-config.js";
import type { GateOptions } from "../policy/session.js";

export interface GateResult {
  policies: Array<{ name: string; level: ActiveLevel }>;
  /** Per-resource findings in plan order, then the stack phase's. */
  verdicts: Finding[];
  counts: Record<Outcome, number>;
  failOn: FailOn;
  /** Whether `failOn` is met: the CI job should fail. */
  failed: boolean;
}

/** The pack's rules over the plan's after-state, in the engine's order (see runGate). */
export function evaluateGate(
  settings: readonly PolicySetting[],
  afterInputs: readonly ResourceInput[],
  options: GateOptions,
  failOn: FailOn,
): GateResult {
  const policies = settings.map((s) => ({ rule: s.rule, level: s.level, config: s.properties }));
  const verdicts = runGate(afterInputs, policies, options).findings;
  const counts = countOutcomes(verdicts);
  return {
    policies: settings.map((s) => ({ name: s.rule.name, level: s.level })),
    verdicts,
    counts,
    failOn,
    failed: failsAt(counts, failOn),
  };
}
