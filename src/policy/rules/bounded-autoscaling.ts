import { z } from "zod";
import { defineRule } from "../rule.js";
import { passed } from "./common.js";

const Config = z.strictObject({
  maxInstances: z
    .number()
    .int()
    .min(0)
    .default(16)
    .describe("Largest scaling maximum a GPU/inference scaler may declare"),
});

export const boundedAutoscaling = defineRule({
  name: "bounded-autoscaling",
  description:
    "Every autoscaled GPU or inference capacity has an explicit, known maximum within the allowed size: an unbounded scaler is unbounded spend.",
  remediationSteps:
    "Set an explicit maximum (maxSize, scalingConfig.maxSize or the scaling target's maxCapacity) at or below `maxInstances`, known at deploy time.",
  severity: "high",
  enforcementLevel: "mandatory",
  config: Config,
  checkResource(e, config) {
    if (e.status === "not-applicable" && !e.scaling) return [];
    if (e.category === "none") return [];
    const unknownMax = e.unknownMaxima ?? [];
    const base = { policy: this.name, urn: e.urn, resourceType: e.type };
    if (unknownMax.length > 0) {
      return [
        {
          ...base,
          decision: "blocked",
          message: `${e.name}: ${unknownMax.join(", ")} is unknown, so the scaler's maximum cannot be checked before deploy`,
        },
      ];
    }
    if (!e.scaling) return [];
    if (e.scaling.max === undefined) {
      return [{ ...base, decision: "blocked", message: `${e.name} has no explicit scaling maximum` }];
    }
    if (e.scaling.max > config.maxInstances) {
      return [
        {
          ...base,
          decision: "blocked",
          message: `${e.name} may scale to ${e.scaling.max} instances, over the ${config.maxInstances} allowed`,
        },
      ];
    }
    return [passed(this.name, e, `scales ${e.scaling.min}..${e.scaling.max} (limit ${config.maxInstances})`)];
  },
});
