import { blankEstimate, withStatus } from "../../../estimate/build.js";
import { breakdown, lineItem } from "../../../estimate/capacity.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { money } from "../../../money.js";
import { TAG } from "../../economics-tags.js";
import { describeRegion, resolveRegion } from "../../region.js";

export const TYPE = "aws:ec2/capacityBlockReservation:CapacityBlockReservation";

/**
 * A Capacity Block: GPUs bought for fixed dates, paid once up front. Its inputs carry only the
 * offering id, so it is priced from what the program declares in computeguard tags (the
 * TrainingCapacityBlock component stamps them from the offering lookup).
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const base = blankEstimate(input, "training-capacity");
  const region = resolveRegion(input, ctx, input.props.availabilityZone);
  const described: ResourceEstimate = { ...base, region, assumptions: [describeRegion(region, ctx)] };
  const e = base.economics;
  if (e.problems.length > 0)
    return withStatus(described, "unknown", `malformed tags: ${e.problems.join("; ")}`);
  const sheetDate = { source: "declared by the program (computeguard:upfront-fee-usd)", date: "as declared" };
  // Declared type x count tells the allowlist how many accelerators the block buys.
  const specs = e.instanceType ? ctx.pricer.catalog.specs(e.instanceType) : undefined;
  const accelerators =
    specs && e.instanceCount !== undefined
      ? {
          accelerators: {
            vendor: specs.accelerator.vendor,
            model: specs.accelerator.model,
            perInstance: specs.accelerator.count,
            total: specs.accelerator.count * e.instanceCount,
          },
        }
      : {};
  if (e.upfrontFeeUsd !== undefined) {
    const item = lineItem("capacity block upfront fee", "", e.upfrontFeeUsd, money(1), "fee", 1, sheetDate);
    return {
      ...described,
      instanceTypes: e.instanceType ? [e.instanceType] : [],
      ...accelerators,
      oneTime: breakdown([
        { ...item, description: `capacity block upfront fee $${e.upfrontFeeUsd.toFixed(2)} (declared)` },
      ]),
      assumptions: [...described.assumptions, "one-time fee paid at purchase; no monthly run-rate"],
    };
  }
  const missing: string[] = [];
  if (e.instanceType === undefined) missing.push(TAG.instanceType);
  if (e.instanceCount === undefined) missing.push(TAG.instanceCount);
  if (e.trainingHours === undefined) missing.push(TAG.trainingHours);
  if (missing.length > 0) {
    return withStatus(
      described,
      "unknown",
      `a capacity block's inputs carry only its offering id: declare ${TAG.upfrontFeeUsd}, or ${missing.join(", ")}`,
      missing,
    );
  }
  const quote = ctx.pricer.hourly({
    instanceType: e.instanceType!,
    region: region.region,
    service: "ec2",
    purchase: "on-demand",
    applySavingsPlan: false,
  });
  const withType = { ...described, instanceTypes: [e.instanceType!] };
  if (!quote.priced) return withStatus(withType, "unpriced", quote.reason);
  const item = lineItem(
    `capacity block ${e.instanceType}`,
    quote.basis,
    quote.usdPerHour,
    e.trainingHours!,
    "hour",
    e.instanceCount!,
    quote.price,
  );
  return {
    ...withType,
    oneTime: breakdown([item]),
    ...accelerators,
    assumptions: [
      ...withType.assumptions,
      ...quote.adjustments,
      `declared ${e.instanceCount} x ${e.instanceType} for ${e.trainingHours!.toFixed()} hours; priced at the hourly rate as a proxy for the block's upfront fee (declare ${TAG.upfrontFeeUsd} for the exact fee)`,
      "one-time spend; no monthly run-rate",
    ],
  };
}
