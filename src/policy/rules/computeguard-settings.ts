import { SettingsSchema } from "../../settings/schema.js";
import { defineRule } from "../rule.js";

/**
 * Judges nothing: its config is where the pack-wide settings live (price sheet, catalog, default
 * region, hours per month, staleness limit, failure modes), because the policy config is what
 * platform teams control and the engine hands each policy only its own config. Every front door
 * reads it through src/settings/resolve.ts.
 */
export const computeguardSettings = defineRule({
  name: "computeguard-settings",
  description:
    "Pack-wide settings for every computeguard policy: price sheet, price catalog, default region, hours per month, catalog staleness limit, store and audit failure modes. Judges nothing itself.",
  remediationSteps:
    "Set the pack-wide settings in this policy's config; COMPUTEGUARD_* environment variables can only make the gate stricter unless allowEnvironmentOverrides is true.",
  severity: "low",
  enforcementLevel: "advisory",
  config: SettingsSchema,
});
