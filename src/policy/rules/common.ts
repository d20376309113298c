import { z } from "zod";
import type { ResourceEstimate } from "../../estimate/types.js";
import { formatUsd, type Money, money } from "../../money.js";
import type { RuleContext } from "../rule.js";
import type { Verdict } from "../verdict.js";
import { checkWaiverHorizon, findWaiver, type Waiver, WaiverHorizonDays, Waivers } from "../waivers.js";

export const Basis = z.enum(["worst-case", "baseline"]);
/** The waiver fields of a policy that grants exceptions, and the check that they expire within the horizon. */
export function withWaivers<S extends z.ZodRawShape>(shape: S) {
  return z
    .strictObject({
      ...shape,
      exceptions: Waivers.describe(
        "Waivers: {id, resource (name glob or URN), stack (project/stack or org/project/stack), maxMonthlyUsd, expires, approvedBy, reason}",
      ),
      waiverHorizonDays: WaiverHorizonDays,
    })
    .superRefine((config, ctx) =>
      checkWaiverHorizon(config as { exceptions: Waiver[]; waiverHorizonDays: number }, ctx),
    );
}
export const Usd = z.number().nonnegative();

/** A violation, or the waiver that lets it through (and why a matching one did not). */
export function violationOrWaiver(
  policy: string,
  e: ResourceEstimate,
  message: string,
  projected: Money,
  exceptions: z.infer<typeof Waivers>,
  ctx: RuleContext,
  extra: Partial<Verdict> = {},
): Verdict {
  const outcome = findWaiver(
    exceptions,
    { urn: e.urn, name: e.name, organization: ctx.organization },
    projected,
    ctx.now,
  );
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

export { teamOf } from "../org-spend.js";
