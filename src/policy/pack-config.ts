import { toPolicyConfigSchema } from "./config-schema.js";
import { closest } from "./did-you-mean.js";
import {
  type ActiveLevel,
  ENFORCEMENT_LEVELS,
  type EnforcementLevel,
  isEnforcementLevel,
} from "./enforcement.js";
import type { Rule } from "./rule.js";
import { RULES } from "./rules/index.js";
import { parseRuleConfig } from "./session.js";

/** Levels a policy runs at (see enforcement.ts for what each one does). */
export type PolicyLevel = ActiveLevel;

/** One enabled policy as the engine would configure it: an explicit level, defaults filled in. */
export interface PolicySetting {
  // biome-ignore lint/suspicious/noExplicitAny: each rule has its own config type; parseRuleConfig checks it.
  rule: Rule<any>;
  level: PolicyLevel;
  /** Schema defaults merged with the file's properties: what Configure would send. */
  properties: Record<string, unknown>;
}

interface GivenEntry {
  level?: EnforcementLevel;
  properties?: Record<string, unknown>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseLevel(value: unknown, key: string, origin: string): EnforcementLevel {
  if (!isEnforcementLevel(value)) {
    throw new Error(
      `${origin}: ${key}: ${JSON.stringify(value)} is not an enforcement level (${ENFORCEMENT_LEVELS.join(", ")})`,
    );
  }
  return value;
}

/** A bare string is a level; an object may carry `enforcementLevel` next to its properties. */
function parseEntries(raw: unknown, origin: string): Map<string, GivenEntry> {
  if (!isObject(raw)) throw new Error(`${origin}: expected an object of policy name -> level or config`);
  const entries = new Map<string, GivenEntry>();
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value === "string") {
      entries.set(key, { level: parseLevel(value, key, origin) });
    } else if (isObject(value)) {
      const { enforcementLevel, ...properties } = value;
      entries.set(key, {
        ...(enforcementLevel !== undefined
          ? { level: parseLevel(enforcementLevel, `${key}.enforcementLevel`, origin) }
          : {}),
        properties,
      });
    } else {
      throw new Error(
        `${origin}: ${key}: expected a level string or an object, got ${JSON.stringify(value)}`,
      );
    }
  }
  return entries;
}

function didYouMean(name: string, names: readonly string[]): string {
  const near = closest(name, names);
  return near ? `; did you mean ${near}?` : "";
}

function schemaDefaults(rule: Rule): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(toPolicyConfigSchema(rule.config).properties)) {
    if (isObject(schema) && "default" in schema) defaults[key] = structuredClone(schema.default);
  }
  return defaults;
}

/**
 * Reconciles a `--policy-pack-config` file the way the Pulumi engine does before Configure: each
 * policy starts from its own level and its schema defaults, then `"all"` sets every level, then
 * per-policy entries merge in; every policy's properties are validated. Disabled policies are left
 * out. A name that is no policy of the pack is an error here (the engine would ignore a typo, and
 * with it a budget the user meant to set).
 */
export function reconcilePolicyConfig(raw: unknown, origin: string): PolicySetting[] {
  return reconcileAllPolicies(raw, origin).filter((p): p is PolicySetting => p.level !== "disabled");
}

/** Every policy of the pack, disabled ones included (with level "disabled"). */
export function reconcileAllPolicies(
  raw: unknown,
  origin: string,
): Array<Omit<PolicySetting, "level"> & { level: EnforcementLevel }> {
  const given = parseEntries(raw, origin);
  const names = RULES.map((r) => r.name);
  const unknownNames = [...given.keys()].filter((k) => k !== "all" && !names.includes(k));
  if (unknownNames.length > 0) {
    throw new Error(
      `${origin}: ${unknownNames.map((n) => `no policy named "${n}"${didYouMean(n, names)}`).join("; ")} (policies: ${names.join(", ")})`,
    );
  }
  const allProperties = Object.keys(given.get("all")?.properties ?? {});
  if (allProperties.length > 0) {
    // The engine applies only the level of "all": a budget set there would silently do nothing.
    throw new Error(
      `${origin}: all: only enforcementLevel may be set for every policy; ${allProperties.join(", ")} must go under a policy's own name`,
    );
  }
  const allLevel = given.get("all")?.level;
  const settings: Array<Omit<PolicySetting, "level"> & { level: EnforcementLevel }> = [];
  for (const rule of RULES) {
    const entry = given.get(rule.name);
    const level = entry?.level ?? allLevel ?? rule.enforcementLevel;
    const properties = { ...schemaDefaults(rule), ...structuredClone(entry?.properties ?? {}) };
    try {
      parseRuleConfig(rule, properties);
    } catch (error) {
      throw new Error(`${origin}: ${(error as Error).message}`);
    }
    settings.push({ rule, level, properties });
  }
  return settings;
}
