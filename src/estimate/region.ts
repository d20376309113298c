import { isSecret, isUndecidable } from "../unknown.js";
import { withStatus } from "./build.js";
import type { EstimateContext, RegionChoice, ResourceEstimate, ResourceInput } from "./types.js";

export const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
export const AVAILABILITY_ZONE = /^([a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d)[a-z]$/;
/** `arn:<partition>:<service>:<region>:...`; global services leave the region empty. */
const ARN = /^arn:aws[a-z-]*:[^:]+:([a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d):/;

/** A region that decides nothing yet: a secret, or unknown until something else is created. */
export interface UndecidedRegion {
  /** The field that holds it: the resource's `region`, `provider.region` or the stack's `aws:region`. */
  field: "region" | "provider.region" | "aws:region";
  secret: boolean;
}

export type RegionResolution = { decided: RegionChoice } | { undecided: UndecidedRegion };

function undecided(
  value: unknown,
  field: UndecidedRegion["field"],
): { undecided: UndecidedRegion } | undefined {
  return isUndecidable(value) ? { undecided: { field, secret: isSecret(value) } } : undefined;
}

/**
 * Where the resource runs, in the documented order: its own `region` input (@pulumi/aws v7), its
 * provider's `region`, its availability zone or ARN, the stack's `aws:region` config, then the
 * default. A secret or unknown region at any step decides nothing: the caller bounds the worst
 * case by the dearest region instead of silently taking a later step.
 */
export function resolveRegion(
  input: ResourceInput,
  ctx: EstimateContext,
  availabilityZone?: unknown,
): RegionResolution {
  const own = input.props.region;
  if (typeof own === "string" && REGION.test(own)) return { decided: { region: own, from: "resource" } };
  const ownUndecided = undecided(own, "region");
  if (ownUndecided) return ownUndecided;
  const provider = input.providerRegion;
  if (provider !== undefined && REGION.test(provider))
    return { decided: { region: provider, from: "provider" } };
  const providerUndecided = undecided(provider, "provider.region");
  if (providerUndecided) return providerUndecided;
  if (typeof availabilityZone === "string") {
    const m = AVAILABILITY_ZONE.exec(availabilityZone);
    if (m?.[1]) return { decided: { region: m[1], from: "availability-zone" } };
  }
  const arn = typeof input.props.arn === "string" ? ARN.exec(input.props.arn) : null;
  if (arn?.[1]) return { decided: { region: arn[1], from: "arn" } };
  const stack = ctx.stackRegion;
  if (stack !== undefined && REGION.test(stack)) return { decided: { region: stack, from: "stack-config" } };
  const stackUndecided = undecided(stack, "aws:region");
  if (stackUndecided) return stackUndecided;
  return { decided: { region: ctx.defaultRegion, from: "default" } };
}

/** The stack's region, else the default: for prices that do not vary by region, or cannot be bounded by one. */
export function fallbackRegion(ctx: EstimateContext): RegionChoice {
  return ctx.stackRegion !== undefined && REGION.test(ctx.stackRegion)
    ? { region: ctx.stackRegion, from: "stack-config" }
    : { region: ctx.defaultRegion, from: "default" };
}

const REGION_FIELD: Record<UndecidedRegion["field"], string> = {
  region: "the resource's region",
  "provider.region": "its provider's region",
  "aws:region": "the stack's aws:region",
};

export function describeUndecided(u: UndecidedRegion): string {
  return `${REGION_FIELD[u.field]} is ${u.secret ? "a secret" : "unknown until the resource that sets it is created"}`;
}

export function describeRegion(choice: RegionChoice, ctx: EstimateContext): string {
  switch (choice.from) {
    case "resource":
      return `region ${choice.region} (the resource's region input)`;
    case "provider":
      return `region ${choice.region} (its provider's region)`;
    case "availability-zone":
      return `region ${choice.region} (from its availability zone)`;
    case "arn":
      return `region ${choice.region} (from its ARN)`;
    case "stack-config":
      return `region ${choice.region} (the stack's aws:region config${ctx.stackRegionSource ? `, ${ctx.stackRegionSource}` : ""})`;
    case "dearest":
      return `region ${choice.region} (the region is not known: the most expensive region selling it)`;
    default:
      return `region ${choice.region} (default: ${ctx.defaultRegionSource})`;
  }
}

const catalogRegions = new WeakMap<object, string[]>();

/** Every region the price catalog carries a row for, in a stable order. */
export function regionsOfCatalog(ctx: EstimateContext): string[] {
  const catalog = ctx.pricer.catalog;
  let regions = catalogRegions.get(catalog);
  if (!regions) {
    regions = [...new Set(catalog.entries.map((e) => e.region))].sort();
    catalogRegions.set(catalog, regions);
  }
  return regions;
}

/**
 * Prices a resource whose region is secret or unknown: what it costs in the most expensive region
 * that sells it bounds the worst case, and the estimate names that region and says why (status
 * unknown, the region field among its unknown fields). A resource that is not applicable in one
 * region (no accelerator) is not applicable in any.
 */
export function boundByDearestRegion(
  u: UndecidedRegion,
  ctx: EstimateContext,
  priceIn: (choice: RegionChoice) => ResourceEstimate,
): ResourceEstimate {
  const first = priceIn(fallbackRegion(ctx));
  if (first.status === "not-applicable") return first;
  // Run-rate, or one-time spend for what has none (a capacity block).
  const cost = (e: ResourceEstimate) => e.monthly?.worstCase.total ?? e.oneTime?.total;
  let best: ResourceEstimate | undefined;
  for (const region of regionsOfCatalog(ctx)) {
    const e = priceIn({ region, from: "dearest" });
    const c = cost(e);
    if (c === undefined) continue;
    if (!best || c.greaterThan(cost(best)!)) best = e;
  }
  const why = describeUndecided(u);
  if (!best) {
    const { monthly: _none, oneTime: _nor, ...rest } = first;
    return withStatus(rest, "unknown", `${why}, and no region in the price catalog prices it`, [u.field]);
  }
  const sold = best.instanceTypes.join(", ");
  return {
    ...best,
    status: "unknown",
    reason: `${why}: bounded by ${best.region?.region}, the most expensive region selling ${sold || "it"}${best.reason ? `; ${best.reason}` : ""}`,
    unknownFields: [...best.unknownFields, u.field],
  };
}

/** Prices the resource in its resolved region, or bounds it by the dearest one when that is undecided. */
export function inResolvedRegion(
  input: ResourceInput,
  ctx: EstimateContext,
  availabilityZone: unknown,
  priceIn: (choice: RegionChoice) => ResourceEstimate,
): ResourceEstimate {
  const resolved = resolveRegion(input, ctx, availabilityZone);
  return "decided" in resolved
    ? priceIn(resolved.decided)
    : boundByDearestRegion(resolved.undecided, ctx, priceIn);
}
