import { TAG } from "../../src/estimate/economics-tags.js";
import { money } from "../../src/money.js";
import { checkAmount, checkText } from "./checks.js";
import type { ArgumentProblems } from "./invalid-arguments.js";
import type { EconomicsArgs } from "./shared-args.js";

/** Tag keys the policy pack's cost-allocation rule looks for by default. */
export const TEAM_TAG = "team";
export const COST_CENTER_TAG = "cost-center";
const TAG_PREFIX = "computeguard:";
// The longest month; the core rejects a larger hours-per-month tag the same way.
const MAX_HOURS_PER_MONTH = 744;

/** What a component declares about its own usage, beyond the economics argument. */
export interface DeclaredUsage {
  hoursPerMonth?: number;
  trainingHours?: number;
  instanceType?: string;
  instanceCount?: number;
  /** Decimal string in USD. */
  upfrontFeeUsd?: string;
}

/** Numbers go into tags as plain decimals ("5000000000", never "5e9"), the form the tag parser accepts. */
function decimalTag(value: number): string {
  return money(value).toFixed();
}

/**
 * Checks the economics argument. A component that serves no traffic (a training block) rejects the
 * serving fields rather than stamping numbers no policy would read.
 */
export function checkEconomics(
  problems: ArgumentProblems,
  economics: EconomicsArgs | undefined,
  options: { serving: boolean },
): void {
  if (economics == null) return;
  if (typeof economics !== "object") {
    problems.add("economics", `expected an object, got ${JSON.stringify(economics)}`);
    return;
  }
  const serving = ["tokensPerMonth", "pricePer1mTokensUsd", "throughputTokensPerSecond"] as const;
  if (!options.serving) {
    for (const field of serving) {
      if (economics[field] != null) problems.add(`economics.${field}`, "this resource serves no traffic");
    }
  } else {
    checkAmount(problems, "economics.tokensPerMonth", economics.tokensPerMonth, { allowZero: true });
    checkAmount(problems, "economics.pricePer1mTokensUsd", economics.pricePer1mTokensUsd, {
      allowZero: true,
    });
    checkAmount(problems, "economics.throughputTokensPerSecond", economics.throughputTokensPerSecond);
  }
  checkText(problems, "economics.model", economics.model);
  checkText(problems, "economics.team", economics.team);
  checkText(problems, "economics.costCenter", economics.costCenter);
}

export function checkHoursPerMonth(problems: ArgumentProblems, field: string, hours: unknown): void {
  checkAmount(problems, field, hours, { max: MAX_HOURS_PER_MONTH });
}

/**
 * The tags a component stamps on every AWS resource it creates: the caller's own tags, the
 * computeguard:* economics and usage the policy pack prices and judges, and `team` / `cost-center`.
 */
export function costTags(
  problems: ArgumentProblems,
  economics: EconomicsArgs | undefined,
  tags: { [key: string]: string } | undefined,
  usage: DeclaredUsage = {},
): Record<string, string> {
  const out: Record<string, string> = {};
  if (tags != null && typeof tags !== "object") {
    problems.add("tags", `expected a map of strings, got ${JSON.stringify(tags)}`);
  } else {
    for (const [key, value] of Object.entries(tags ?? {})) {
      if (key.startsWith(TAG_PREFIX))
        problems.add(`tags.${key}`, "computeguard:* tags are set from economics");
      else if (typeof value !== "string")
        problems.add(`tags.${key}`, `expected a string, got ${JSON.stringify(value)}`);
      else out[key] = value;
    }
  }
  const e = economics ?? {};
  const owner = (tagKey: string, field: string, declared: string | undefined) => {
    if (declared == null) return;
    if (out[tagKey] !== undefined && out[tagKey] !== declared) {
      problems.addRelation(
        `tags.${tagKey}`,
        `tags.${tagKey} ("${out[tagKey]}") disagrees with ${field} ("${declared}")`,
      );
    }
    out[tagKey] = declared;
  };
  owner(TEAM_TAG, "economics.team", e.team);
  owner(COST_CENTER_TAG, "economics.costCenter", e.costCenter);
  const team = e.team ?? out[TEAM_TAG];
  if (team !== undefined) out[TAG.team] = team;
  if (e.model != null) out[TAG.model] = e.model;
  const numbers: Array<[string, number | undefined]> = [
    [TAG.tokensPerMonth, e.tokensPerMonth],
    [TAG.pricePer1mTokensUsd, e.pricePer1mTokensUsd],
    [TAG.throughputTokensPerSecond, e.throughputTokensPerSecond],
    [TAG.hoursPerMonth, usage.hoursPerMonth],
    [TAG.trainingHours, usage.trainingHours],
    [TAG.instanceCount, usage.instanceCount],
  ];
  for (const [key, value] of numbers) {
    if (typeof value === "number" && Number.isFinite(value) && value >= 0) out[key] = decimalTag(value);
  }
  if (usage.instanceType !== undefined) out[TAG.instanceType] = usage.instanceType;
  if (usage.upfrontFeeUsd !== undefined) out[TAG.upfrontFeeUsd] = usage.upfrontFeeUsd;
  return out;
}

const SERVING_TAGS: readonly string[] = [
  TAG.tokensPerMonth,
  TAG.pricePer1mTokensUsd,
  TAG.throughputTokensPerSecond,
];

/**
 * Ownership tags without the traffic and price declaration, for the children that do not carry the
 * serving capacity: judged alone (resource by resource), they would pair the whole revenue with a
 * slice of the cost.
 */
export function withoutServingEconomics(tags: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(tags).filter(([key]) => !SERVING_TAGS.includes(key)));
}
