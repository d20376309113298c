import { blankEstimate, unpricedBy, withStatus } from "../../../estimate/build.js";
import { breakdown, lineItem } from "../../../estimate/capacity.js";
import { TAG } from "../../../estimate/economics-tags.js";
import { describeRegion, inResolvedRegion } from "../../../estimate/region.js";
import type {
  EstimateContext,
  LineItem,
  RegionChoice,
  ResourceEstimate,
  ResourceInput,
} from "../../../estimate/types.js";
import { formatUsd, type Money, money } from "../../../money.js";
import { isUndecidable } from "../../../unknown.js";

export const TYPE = "aws:ec2/capacityBlockReservation:CapacityBlockReservation";

const known = (v: unknown) => v !== undefined && !isUndecidable(v);

/** The block's hours from its start and end dates (outputs), when both are known. */
function durationHours(start: unknown, end: unknown): Money | undefined {
  if (typeof start !== "string" || typeof end !== "string") return undefined;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) && ms > 0 ? money(ms).dividedBy(3_600_000) : undefined;
}

/**
 * A Capacity Block: GPUs bought for fixed dates, paid once up front. It is priced from its
 * properties (instance type, count, start and end dates: outputs, once AWS has them) at the hourly
 * rate; the computeguard tags the TrainingCapacityBlock component stamps fill in what the
 * properties do not say yet (inputs carry only the offering id). A declared upfront fee is used when
 * nothing contradicts it, but never lowers the price below what the properties imply.
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  return inResolvedRegion(input, ctx, input.props.availabilityZone, (region) =>
    estimateIn(region, input, ctx),
  );
}

function estimateIn(region: RegionChoice, input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const base = blankEstimate(input, "training-capacity");
  const props = input.props;
  const assumptions = [describeRegion(region, ctx)];
  const e = base.economics;
  if (e.problems.length > 0)
    return withStatus(
      { ...base, region, assumptions },
      "unknown",
      `malformed tags: ${e.problems.join("; ")}`,
    );

  // What the properties say wins over what the tags declare.
  const propType =
    typeof props.instanceType === "string" && known(props.instanceType) ? props.instanceType : undefined;
  const propCount = typeof props.instanceCount === "number" ? props.instanceCount : undefined;
  const propHours = durationHours(props.startDate, props.endDate);
  const type = propType ?? e.instanceType;
  const count = propCount ?? e.instanceCount;
  const hours = propHours ?? e.trainingHours;
  if (propType && e.instanceType && e.instanceType !== propType)
    assumptions.push(
      `${TAG.instanceType} says ${e.instanceType}; the reservation's instanceType ${propType} is used`,
    );
  if (propCount !== undefined && e.instanceCount !== undefined && e.instanceCount !== propCount)
    assumptions.push(
      `${TAG.instanceCount} says ${e.instanceCount}; the reservation's instanceCount ${propCount} is used`,
    );
  if (propHours && e.trainingHours && !e.trainingHours.equals(propHours))
    assumptions.push(
      `${TAG.trainingHours} says ${e.trainingHours.toFixed()}; the reservation lasts ${propHours.toFixed()} hours`,
    );

  const specs = type ? ctx.pricer.catalog.specs(type) : undefined;
  const described: ResourceEstimate = {
    ...base,
    region,
    assumptions,
    instanceTypes: type ? [type] : [],
    ...(specs && count !== undefined
      ? {
          accelerators: {
            vendor: specs.accelerator.vendor,
            model: specs.accelerator.model,
            perInstance: specs.accelerator.count,
            total: specs.accelerator.count * count,
          },
        }
      : {}),
  };
  const fee = e.upfrontFeeUsd;
  const feeItem = (note: string): LineItem => ({
    ...lineItem("capacity block upfront fee", "", fee!, money(1), "fee", 1, {
      source: "declared by the program (computeguard:upfront-fee-usd)",
      date: "as declared",
    }),
    description: `capacity block upfront fee $${fee!.toFixed(2)} (declared${note})`,
  });
  const oneTime = (item: LineItem, notes: string[]): ResourceEstimate => ({
    ...described,
    oneTime: breakdown([item]),
    assumptions: [...described.assumptions, ...notes, "one-time spend paid at purchase; no monthly run-rate"],
  });

  // Only the reservation's own properties (outputs, once AWS has reserved it) bound a declared fee:
  // before that, type, count and hours are declarations like the fee itself.
  const fromProperties = propType !== undefined && propCount !== undefined && propHours !== undefined;
  if (fee !== undefined && !fromProperties)
    return oneTime(feeItem(""), [
      "the reservation's instance type, count and dates are not known yet: the declared fee is checked against them once they are",
    ]);
  if (type === undefined || count === undefined || hours === undefined) {
    const missing = [
      ...(type === undefined ? [TAG.instanceType] : []),
      ...(count === undefined ? [TAG.instanceCount] : []),
      ...(hours === undefined ? [TAG.trainingHours] : []),
    ];
    return withStatus(
      described,
      "unknown",
      `a capacity block's inputs carry only its offering id: declare ${TAG.upfrontFeeUsd}, or ${missing.join(", ")}`,
      missing,
    );
  }
  const quote = ctx.pricer.hourly({
    instanceType: type,
    region: region.region,
    service: "ec2",
    purchase: "on-demand",
    applySavingsPlan: false,
  });
  if (!quote.priced) {
    if (fee !== undefined)
      return oneTime(feeItem(""), [`${type} has no hourly rate to check the declared fee against`]);
    return { ...unpricedBy(described, quote), unpricedTypes: [type] };
  }
  const implied = lineItem(
    `capacity block ${type}`,
    quote.basis,
    quote.usdPerHour,
    hours,
    "hour",
    count,
    quote.price,
  );
  const what = `${count} x ${type} for ${hours.toFixed()} hours (${fromProperties ? "its properties" : "declared"})`;
  if (fee?.greaterThanOrEqualTo(implied.amount)) {
    return oneTime(feeItem(", at least what its properties imply"), [
      `${what}: ${formatUsd(implied.amount)} at the hourly rate; the declared fee is used`,
    ]);
  }
  return oneTime(implied, [
    ...quote.adjustments,
    `${what}, priced at the hourly rate as a proxy for the block's fee${fee === undefined ? ` (declare ${TAG.upfrontFeeUsd} for the exact fee)` : ""}`,
    ...(fee !== undefined
      ? [
          `the declared fee $${fee.toFixed(2)} is below what the reservation's properties imply (${formatUsd(implied.amount)}): tags never lower a price below its properties; a price-sheet rate for ${type} prices blocks at their own rate`,
        ]
      : []),
  ]);
}
