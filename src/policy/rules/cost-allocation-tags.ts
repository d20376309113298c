import { z } from "zod";
import { defineRule } from "../rule.js";
import { passed } from "./common.js";

const Config = z.strictObject({
  requiredTags: z
    .array(z.string().min(1))
    .default(["team", "cost-center"])
    .describe("Tags every GPU/inference resource must carry"),
});

export const costAllocationTags = defineRule({
  name: "cost-allocation-tags",
  description: "GPU and inference resources carry the cost-allocation tags that say who pays for them.",
  remediationSteps:
    'Add the missing tags (e.g. `tags: { team: "ml-platform", "cost-center": "cc-123" }`); the computeguard components stamp them from their `economics` argument.',
  severity: "low",
  enforcementLevel: "advisory",
  config: Config,
  checkResource(e, config) {
    if (e.category === "none" || e.status === "not-applicable") return [];
    const missing = config.requiredTags.filter((t) => e.tags[t] === undefined || e.tags[t] === "");
    if (missing.length === 0) return [passed(this.name, e, "cost-allocation tags present")];
    return [
      {
        policy: this.name,
        decision: "blocked",
        urn: e.urn,
        resourceType: e.type,
        message: `${e.name} is missing tag(s): ${missing.join(", ")}`,
      },
    ];
  },
});
