import { z } from "zod";
import { formatUsd, type Money, money } from "../money.js";
import { globMatch } from "../pricing/pricer.js";

/** An exception the platform team grants in policy config (never in resource tags). */
export const WaiverSchema = z
  .object({
    id: z.string().min(1),
    /** Resource name glob (e.g. "trainer-*") or an exact URN. */
    resource: z.string().min(1),
    /** Only in this stack; any stack when absent. */
    stack: z.string().min(1).optional(),
    maxMonthlyUsd: z.number().nonnegative(),
    expires: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}/, "must be an ISO date (YYYY-MM-DD)")
      .refine((v) => !Number.isNaN(Date.parse(v.slice(0, 10))), "is not a real date"),
    approvedBy: z.string().min(1),
    reason: z.string().min(1),
  })
  .strict();

export type Waiver = z.infer<typeof WaiverSchema>;

export type WaiverOutcome =
  | { applies: true; waiver: Waiver; note: string }
  | { applies: false; note?: string };

function inScope(w: Waiver, target: { urn: string; name: string; stack: string }): boolean {
  const resourceMatches = w.resource.startsWith("urn:")
    ? w.resource === target.urn
    : globMatch(w.resource, target.name);
  return resourceMatches && (w.stack === undefined || w.stack === target.stack);
}

/** End of the expiry day in UTC when only a date is given: a waiver is good through its last day. */
function expiryInstant(expires: string): number {
  return expires.length === 10 ? Date.parse(`${expires}T23:59:59.999Z`) : Date.parse(expires);
}

/**
 * The waiver that lets a blocked resource through: in scope (resource, stack), unexpired, and with
 * the projected cost within its cap. When one is in scope but expired or over cap, the note says so.
 */
export function findWaiver(
  waivers: readonly Waiver[],
  target: { urn: string; name: string; stack: string },
  projectedMonthly: Money,
  now: Date,
): WaiverOutcome {
  const notes: string[] = [];
  for (const w of waivers) {
    if (!inScope(w, target)) continue;
    const expiry = expiryInstant(w.expires);
    if (Number.isNaN(expiry) || expiry < now.getTime()) {
      notes.push(`waiver ${w.id} expired on ${w.expires}`);
      continue;
    }
    const cap = money(w.maxMonthlyUsd);
    if (projectedMonthly.greaterThan(cap)) {
      notes.push(
        `waiver ${w.id} covers up to ${formatUsd(cap)}/mo, projected ${formatUsd(projectedMonthly)}/mo`,
      );
      continue;
    }
    return {
      applies: true,
      waiver: w,
      note: `waived by ${w.id} (approved by ${w.approvedBy}, expires ${w.expires}: ${w.reason})`,
    };
  }
  return notes.length > 0 ? { applies: false, note: notes.join("; ") } : { applies: false };
}
