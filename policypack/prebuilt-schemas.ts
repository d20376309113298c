import type { PolicyConfigSchema } from "../src/policy/config-schema.js";

/**
 * Every rule's config schema by policy name, or undefined when the pack runs from source. The
 * pack's build (scripts/bundle-pack.mjs) replaces this module with the schemas it computed from
 * the same rules, so that a start of the pack does not convert a dozen zod schemas to JSON schema
 * before it can print its port.
 */
export const PREBUILT_SCHEMAS: Readonly<Record<string, PolicyConfigSchema>> | undefined = undefined;
