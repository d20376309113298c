import { z } from "zod";
import type { ResourceEstimate } from "../../estimate/types.js";
import { formatUsd, type Money, money } from "../../money.js";
import type { RuleContext } from "../rule.js";
import type { Verdict } from "../verdict.js";
import { findWaiver, WaiverSchema } from "../waivers.js";

export const Basis = z.enum(["worst-case", "baseline"]);
export const Exceptions = z.array(WaiverSchema).default([]);
export const Usd = z.number().nonnegative();

/** A violation, or the waiver that lets it through (and why a matching one did not). */
export function violationOrWaiver(
  policy: string,
  e: ResourceEstimate,
  message: string,
  projected: Money,
  exceptions: z.infer<typeof Exceptions>,
  ctx: RuleContext,
  extra: Partial<Verdict> = {},
): Verdict {
  const outcome = findWaiver(exceptions, { urn: e.urn, name: e.name, stack: ctx.stack }, projected, ctx.now);
  const base = { policy, urn: e.urn, resourceType: e.type, projected, ...extra };
  if (outcome.applies) {
    return { ...base, decision: "waived", waiver: outcome.waiver, message: `${message}; ${outcome.note}` };
  }
  return { ...base, decision: "blocked", message: outcome.note ? `${message} (${outcome.note})` : message };
}

export function passed(
  policy: string,
  e: ResourceEstimate,
  message: string,
  extra: Partial<Verdict> = {},
): Verdict {
  return { policy, urn: e.urn, resourceType: e.type, decision: "passed", message, ...extra };
}

export function usd(n: number): Money {
  return money(n);
}

export function perMonth(m: Money): string {
  return `${formatUsd(m)}/mo`;
}

/** The team a resource is charged to: the configured tag, else computeguard:team. */
export function teamOf(e: ResourceEstimate, tagKey: string): string | undefined {
  return e.tags[tagKey] ?? e.economics.team;
}
