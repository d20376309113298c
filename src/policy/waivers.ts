import { z } from "zod";
import { globMatch } from "../catalog/catalog.js";
import { formatUsd, type Money, money } from "../money.js";

const DAY_MS = 86_400_000;
export const DEFAULT_WAIVER_HORIZON_DAYS = 365;

/** `YYYY-MM-DD` (optionally with a time) that names a day the calendar has: 2027-02-30 is refused, not rolled over. */
function isCalendarDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})(T.+)?$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const day = new Date(Date.UTC(y, mo - 1, d));
  const sameDay = day.getUTCFullYear() === y && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d;
  return sameDay && (m[4] === undefined || !Number.isNaN(Date.parse(value)));
}

/** Where a waiver applies: a project's stack, optionally in one organization. */
const StackScope = z
  .string()
  .regex(
    /^[^/\s]+\/[^/\s]+(\/[^/\s]+)?$/,
    'must be "project/stack" or "org/project/stack": a bare stack name matches that stack in every project',
  );

/** A name pattern must name something: one made only of wildcards matches every resource. */
const ResourcePattern = z
  .string()
  .min(1)
  .refine(
    (v) => v.startsWith("urn:") || /[^*?]/.test(v),
    "must name resources: a pattern of only wildcards (`*`, `**`) matches every resource",
  );

/** An exception the platform team grants in policy config (never in resource tags). */
export const WaiverSchema = z
  .object({
    id: z.string().min(1),
    /** Resource name glob (e.g. "trainer-*") or an exact URN. */
    resource: ResourcePattern,
    /** `project/stack` or `org/project/stack`; required unless `resource` is a URN (which names both). */
    stack: StackScope.optional(),
    maxMonthlyUsd: z.number().nonnegative(),
    expires: z.string().refine(isCalendarDate, "must be a real ISO date (YYYY-MM-DD)"),
    approvedBy: z.string().min(1),
    reason: z.string().min(1),
  })
  .strict()
  .superRefine((w, ctx) => {
    if (!w.resource.startsWith("urn:") && w.stack === undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["stack"],
        message: 'required for a resource name pattern: "project/stack" or "org/project/stack"',
      });
    }
  });

export type Waiver = z.infer<typeof WaiverSchema>;

/** End of the expiry day in UTC when only a date is given: a waiver is good through its last day. */
function expiryInstant(expires: string): number {
  return expires.length === 10 ? Date.parse(`${expires}T23:59:59.999Z`) : Date.parse(expires);
}

/** A policy's waivers: each one valid, ids unique. */
export const Waivers = z
  .array(WaiverSchema)
  .default([])
  .superRefine((waivers, ctx) => {
    const first = new Map<string, number>();
    waivers.forEach((w, i) => {
      const seen = first.get(w.id);
      if (seen === undefined) first.set(w.id, i);
      else
        ctx.addIssue({
          code: "custom",
          path: [i, "id"],
          message: `duplicate waiver id "${w.id}" (also exceptions[${seen}])`,
        });
    });
  });

/** How far ahead a waiver may expire, in days; a policy config may narrow or widen it. */
export const WaiverHorizonDays = z
  .number()
  .int()
  .min(1)
  .max(3650)
  .default(DEFAULT_WAIVER_HORIZON_DAYS)
  .describe("Longest a waiver may run from today (days); a later `expires` is a config error");

/**
 * Refuses waivers that expire beyond the horizon, judged when the config is read (`now`): a
 * `9999-12-31` waiver is a permanent exemption, which the platform team must grant as a limit instead.
 */
export function checkWaiverHorizon(
  config: { exceptions: readonly Waiver[]; waiverHorizonDays: number },
  ctx: z.RefinementCtx,
  now: Date = new Date(),
): void {
  const latest = now.getTime() + config.waiverHorizonDays * DAY_MS;
  config.exceptions.forEach((w, i) => {
    if (expiryInstant(w.expires) > latest) {
      ctx.addIssue({
        code: "custom",
        path: ["exceptions", i, "expires"],
        message: `${w.expires} is more than ${config.waiverHorizonDays} days ahead (waiverHorizonDays): waiver "${w.id}" must expire sooner`,
      });
    }
  });
}

/** What a waiver is matched against: the resource, and where it is deployed. */
export interface WaiverTarget {
  urn: string;
  name: string;
  /** The Pulumi organization, when the front door knows it (the pack, `check`). */
  organization?: string | undefined;
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>`: the project and stack a resource belongs to. */
export function projectStackOf(urn: string): { project: string; stack: string } | undefined {
  if (!urn.startsWith("urn:pulumi:")) return undefined;
  const [stack, project] = urn.slice("urn:pulumi:".length).split("::");
  return stack && project ? { project, stack } : undefined;
}

type Scope = { inScope: true } | { inScope: false; note?: string };

function scopeOf(w: Waiver, target: WaiverTarget): Scope {
  const resourceMatches = w.resource.startsWith("urn:")
    ? w.resource === target.urn
    : globMatch(w.resource, target.name);
  if (!resourceMatches) return { inScope: false };
  if (w.stack === undefined) return { inScope: true };
  const where = projectStackOf(target.urn);
  const here = where ? `${where.project}/${where.stack}` : "an unknown stack";
  const parts = w.stack.split("/");
  const [org, project, stack] = parts.length === 3 ? parts : [undefined, ...parts];
  if (!where || where.project !== project || where.stack !== stack) {
    return { inScope: false, note: `waiver ${w.id} is for stack ${w.stack}, not ${here}` };
  }
  if (org !== undefined && target.organization !== org) {
    const known = target.organization
      ? `organization ${target.organization}`
      : "an organization not known here";
    return { inScope: false, note: `waiver ${w.id} is for organization ${org}, not ${known}` };
  }
  return { inScope: true };
}

export type WaiverOutcome =
  | { applies: true; waiver: Waiver; note: string }
  | { applies: false; note?: string };

/**
 * The waiver that lets a blocked resource through: in scope (resource, project/stack, organization),
 * unexpired, and with the projected cost within its cap. A waiver naming the resource that does not
 * apply says which one and why.
 */
export function findWaiver(
  waivers: readonly Waiver[],
  target: WaiverTarget,
  projectedMonthly: Money,
  now: Date,
): WaiverOutcome {
  const notes: string[] = [];
  for (const w of waivers) {
    const scope = scopeOf(w, target);
    if (!scope.inScope) {
      if (scope.note) notes.push(scope.note);
      continue;
    }
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
