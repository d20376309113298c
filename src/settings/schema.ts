import { z } from "zod";
import { REGION } from "../estimate/region.js";
import { PriceSheetSchema } from "../pricing/price-sheet.js";

export const MAX_HOURS_PER_MONTH = 744;
const FailureMode = z.enum(["block", "warn"]);

/**
 * The pack-wide settings a platform team sets in the policy config (policy `computeguard-settings`),
 * the one place Pulumi Cloud policy groups can set them and engineers running `pulumi` cannot.
 * Strict: a misspelt setting is an error, not a setting silently left at its default.
 */
export const SettingsSchema = z.strictObject({
  priceSheet: z
    .union([z.string().min(1), PriceSheetSchema])
    .optional()
    .describe("The price sheet: an object, or the path of a price sheet JSON file (relative to the pack)"),
  catalog: z
    .string()
    .min(1)
    .optional()
    .describe(
      "A catalog file written by `computeguard prices import` or `prices refresh`, laid over the embedded catalog",
    ),
  defaultRegion: z
    .string()
    .regex(REGION, 'must be an AWS region such as "us-east-1"')
    .optional()
    .describe("Region for resources whose own and provider region are unknown (default us-east-1)"),
  hoursPerMonth: z
    .number()
    .positive()
    .max(MAX_HOURS_PER_MONTH)
    .optional()
    .describe("Hours in a month that monthly costs are priced at (default 730)"),
  maxCatalogAgeDays: z
    .number()
    .int()
    .positive()
    .optional()
    .describe("Warn when the catalog's newest price is older than this many days (default 90)"),
  storeOnFailure: FailureMode.optional().describe(
    "When the shared store cannot be used: block or warn (default: block in an update, warn in a preview)",
  ),
  auditOnFailure: FailureMode.optional().describe(
    "When the audit log cannot be written: block or warn (default: block in an update, warn in a preview)",
  ),
  storeClaimTtlSeconds: z
    .number()
    .int()
    .positive()
    .optional()
    .describe(
      "How long an update's spend claim on the org budget holds if the update never records its stack (default 7200)",
    ),
  allowEnvironmentOverrides: z
    .boolean()
    .default(false)
    .describe(
      "Let COMPUTEGUARD_* environment variables relax these settings; without it they can only make the gate stricter",
    ),
});

export type SettingsConfig = z.infer<typeof SettingsSchema>;
