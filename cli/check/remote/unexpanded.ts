import type { AcceleratorMention } from "../../../src/estimate/types.js";
import { outcomeOf } from "../../../src/policy/enforcement.js";
import type { EffectivePolicy, Finding } from "../../../src/policy/gate.js";
import { unpricedAccelerators } from "../../../src/policy/rules/index.js";
import type { UnexpandedComponent } from "../../../src/report/check-report.js";

/**
 * Fail closed on what the check cannot see: a remote component it could not expand, of a type not
 * known to create no compute, could put GPU or accelerator capacity behind a $0 estimate. Each is an
 * `unpriced-accelerators` finding at that policy's level (mandatory unless configured otherwise),
 * naming any accelerator instance types its inputs mention.
 */
export function unexpandedFindings(
  components: readonly UnexpandedComponent[],
  policies: readonly EffectivePolicy[],
  acceleratorsNamedBy: (urn: string) => AcceleratorMention[],
): Finding[] {
  const policy = policies.find((p) => p.rule.name === unpricedAccelerators.name);
  if (!policy || policy.level === "disabled") return [];
  const level = policy.level;
  return components
    .filter((c) => c.computeFree === undefined)
    .map((c) => {
      const named = acceleratorsNamedBy(c.urn).map((m) => `${m.path} = ${m.value}`);
      const inputs = named.length > 0 ? `; its inputs name ${named.join(", ")}` : "";
      return {
        policy: policy.rule.name,
        decision: "blocked",
        level,
        outcome: outcomeOf("blocked", level),
        phase: "resource",
        urn: c.urn,
        resourceType: c.type,
        message:
          `${c.name} is a remote component (${c.type}) that check cannot expand offline${inputs}: the ` +
          "resources it creates, which could run accelerators, are not priced. The policy pack judges " +
          "them one by one during `pulumi preview`.",
      };
    });
}
