import { z } from "zod";
import { blankEstimate, malformed, unpricedBy, withStatus } from "../../../estimate/build.js";
import { breakdown, lineItem } from "../../../estimate/capacity.js";
import { describeRegion, inResolvedRegion } from "../../../estimate/region.js";
import type {
  EstimateContext,
  RegionChoice,
  ResourceEstimate,
  ResourceInput,
} from "../../../estimate/types.js";
import { money } from "../../../money.js";
import { Count, isKnown, orUnknown, readProps, Text } from "../../props.js";

export const TYPE = "aws:bedrock/provisionedModelThroughput:ProvisionedModelThroughput";

const ProvisionedThroughputProps = z.object({
  modelArn: orUnknown(Text),
  modelUnits: orUnknown(Count.min(1, "must be at least 1")),
  commitmentDuration: orUnknown(z.enum(["OneMonth", "SixMonths"])).optional(),
});

const COMMITMENT = { OneMonth: "1-month", SixMonths: "6-month" } as const;
const TERM_MONTHS = { OneMonth: 1, SixMonths: 6 } as const;

/** `arn:aws:bedrock:<region>::foundation-model/<id>` or a bare model id. */
export function modelIdOf(modelArn: string): string {
  const slash = modelArn.lastIndexOf("/");
  return slash >= 0 ? modelArn.slice(slash + 1) : modelArn;
}

/** Bedrock provisioned throughput: model units x the price sheet's hourly rate, billed every hour. */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(ProvisionedThroughputProps, input.props);
  if (!read.ok) return malformed(input, "bedrock-throughput", read.problem);
  const props = read.value;
  return inResolvedRegion(input, ctx, undefined, (region) => priceIn(region, props, input, ctx));
}

function priceIn(
  region: RegionChoice,
  props: z.infer<typeof ProvisionedThroughputProps>,
  input: ResourceInput,
  ctx: EstimateContext,
): ResourceEstimate {
  const base = {
    ...blankEstimate(input, "bedrock-throughput"),
    region,
    assumptions: [describeRegion(region, ctx)],
  };
  const unknown = (["modelArn", "modelUnits", "commitmentDuration"] as const).filter(
    (k) => props[k] !== undefined && !isKnown(props[k]),
  );
  if (unknown.length > 0) return withStatus(base, "unknown", `${unknown.join(", ")} unknown`, [...unknown]);
  const model = modelIdOf(props.modelArn as string);
  const units = props.modelUnits as number;
  const commitment =
    props.commitmentDuration === undefined
      ? "none"
      : COMMITMENT[props.commitmentDuration as keyof typeof COMMITMENT];
  const quote = ctx.pricer.bedrockModelUnit(model, commitment, region.region);
  const described = { ...base, instanceTypes: [`bedrock:${model}`] };
  if (!quote.priced) return unpricedBy(described, quote);
  const hours = money(ctx.hoursPerMonth);
  const item = lineItem(
    `${model} provisioned throughput`,
    quote.basis,
    quote.usdPerHour,
    hours,
    "model-unit-hour",
    units,
    quote.price,
  );
  const term = props.commitmentDuration as keyof typeof TERM_MONTHS | undefined;
  return {
    ...described,
    monthly: { baseline: breakdown([item]), worstCase: breakdown([item]) },
    ...(term ? { commitment: { term: COMMITMENT[term], months: TERM_MONTHS[term] } } : {}),
    assumptions: [
      ...described.assumptions,
      `${ctx.hoursPerMonth} hours per month: provisioned throughput bills every hour it exists, used or not`,
      commitment === "none"
        ? "no commitment"
        : `${commitment} commitment: the term is owed even if deleted early`,
    ],
  };
}
