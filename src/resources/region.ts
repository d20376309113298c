import type { EstimateContext, RegionChoice, ResourceInput } from "../estimate/types.js";
import { isUndecidable } from "../unknown.js";

export const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;
export const AVAILABILITY_ZONE = /^([a-z]{2}(?:-gov|-iso[a-z]*)?-[a-z]+-\d)[a-z]$/;

/**
 * The resource's own `region` input (@pulumi/aws v7), then its availability zone, then its
 * provider's region, then the configured default. Unknown region inputs fall through to the
 * provider, which is where an unset v7 `region` comes from anyway.
 */
export function resolveRegion(
  input: ResourceInput,
  ctx: EstimateContext,
  availabilityZone?: unknown,
): RegionChoice {
  const own = input.props.region;
  if (typeof own === "string" && !isUndecidable(own) && REGION.test(own))
    return { region: own, from: "resource" };
  if (typeof availabilityZone === "string") {
    const m = AVAILABILITY_ZONE.exec(availabilityZone);
    if (m?.[1]) return { region: m[1], from: "availability-zone" };
  }
  if (input.providerRegion && REGION.test(input.providerRegion)) {
    return { region: input.providerRegion, from: "provider" };
  }
  return { region: ctx.defaultRegion, from: "default" };
}

export function describeRegion(choice: RegionChoice, ctx: EstimateContext): string {
  switch (choice.from) {
    case "resource":
      return `region ${choice.region} (the resource's region input)`;
    case "availability-zone":
      return `region ${choice.region} (from its availability zone)`;
    case "provider":
      return `region ${choice.region} (its provider's region)`;
    default:
      return `region ${choice.region} (default: ${ctx.defaultRegionSource})`;
  }
}
