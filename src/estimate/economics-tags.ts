import { type Money, money } from "../money.js";
import { isUndecidable } from "../unknown.js";

/** The economics a resource declares through `computeguard:*` tags (stamped by the components). */
export interface EconomicsTags {
  tokensPerMonth?: Money;
  pricePer1mTokensUsd?: Money;
  throughputTokensPerSecond?: Money;
  model?: string;
  hoursPerMonth?: Money;
  team?: string;
  trainingHours?: Money;
  instanceType?: string;
  instanceCount?: number;
  upfrontFeeUsd?: Money;
  /** Malformed tag values, each naming its tag. */
  problems: string[];
}

export const TAG = {
  tokensPerMonth: "computeguard:tokens-per-month",
  pricePer1mTokensUsd: "computeguard:price-per-1m-tokens-usd",
  throughputTokensPerSecond: "computeguard:throughput-tokens-per-second",
  model: "computeguard:model",
  hoursPerMonth: "computeguard:hours-per-month",
  team: "computeguard:team",
  trainingHours: "computeguard:training-hours",
  instanceType: "computeguard:instance-type",
  instanceCount: "computeguard:instance-count",
  upfrontFeeUsd: "computeguard:upfront-fee-usd",
} as const;

const HOURS_IN_LONGEST_MONTH = 744;

/** Tags as a flat map, whether given as `{k: v}` or as AWS `[{key, value}]` lists (autoscaling groups). */
export function readTags(props: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  if (!props || typeof props !== "object") return out;
  for (const field of ["tags", "tagsAll"]) {
    const raw = props[field];
    if (Array.isArray(raw)) {
      for (const t of raw) {
        if (t && typeof t === "object" && typeof t.key === "string" && typeof t.value === "string") {
          out[t.key] ??= t.value;
        }
      }
    } else if (raw && typeof raw === "object") {
      for (const [k, v] of Object.entries(raw)) if (typeof v === "string") out[k] ??= v;
    }
  }
  return out;
}

function positiveDecimal(tags: Record<string, string>, key: string, problems: string[], max?: number) {
  const raw = tags[key];
  if (raw === undefined || isUndecidable(raw)) return undefined;
  const text = raw.trim().replace(/_/g, "");
  if (!/^\d+(\.\d+)?$/.test(text)) {
    problems.push(`${key}: "${raw}" is not a non-negative number`);
    return undefined;
  }
  const value = money(text);
  if (max !== undefined && value.greaterThan(max)) {
    problems.push(`${key}: ${raw} exceeds ${max}`);
    return undefined;
  }
  return value;
}

const TAG_PREFIX = "computeguard:";

export function parseEconomicsTags(tags: Record<string, string>): EconomicsTags {
  // Most resources declare nothing: skip the per-tag parsing for them.
  let declares = false;
  for (const key in tags) if (key.startsWith(TAG_PREFIX)) declares = true;
  if (!declares) return { problems: [] };
  const problems: string[] = [];
  const text = (key: string) => {
    const v = tags[key]?.trim();
    return v && !isUndecidable(v) ? v : undefined;
  };
  const economics: EconomicsTags = { problems };
  const set = <K extends keyof EconomicsTags>(key: K, value: EconomicsTags[K] | undefined) => {
    if (value !== undefined) economics[key] = value;
  };
  set("tokensPerMonth", positiveDecimal(tags, TAG.tokensPerMonth, problems));
  set("pricePer1mTokensUsd", positiveDecimal(tags, TAG.pricePer1mTokensUsd, problems));
  set("throughputTokensPerSecond", positiveDecimal(tags, TAG.throughputTokensPerSecond, problems));
  set("hoursPerMonth", positiveDecimal(tags, TAG.hoursPerMonth, problems, HOURS_IN_LONGEST_MONTH));
  set("trainingHours", positiveDecimal(tags, TAG.trainingHours, problems));
  set("upfrontFeeUsd", positiveDecimal(tags, TAG.upfrontFeeUsd, problems));
  set("model", text(TAG.model));
  set("team", text(TAG.team));
  set("instanceType", text(TAG.instanceType));
  const count = positiveDecimal(tags, TAG.instanceCount, problems);
  if (count !== undefined) {
    if (count.isInteger() && count.lessThanOrEqualTo(100_000)) economics.instanceCount = count.toNumber();
    else problems.push(`${TAG.instanceCount}: ${tags[TAG.instanceCount]} is not a whole count up to 100000`);
  }
  return economics;
}
