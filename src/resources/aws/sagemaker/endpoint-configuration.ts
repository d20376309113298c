import { z } from "zod";
import { blankEstimate, malformed, withStatus } from "../../../estimate/build.js";
import { breakdown, hoursAssumptions, lineItem } from "../../../estimate/capacity.js";
import { estimateCompute, type PoolSpec } from "../../../estimate/compute.js";
import type { EstimateContext, LineItem, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { money } from "../../../money.js";
import { Count, isKnown, orUnknown, readProps, Text } from "../../props.js";
import { resolveRegion } from "../../region.js";
import { sagemakerVariantTarget } from "../appautoscaling/target.js";

export const TYPE = "aws:sagemaker/endpointConfiguration:EndpointConfiguration";

const Variant = z
  .object({
    variantName: orUnknown(Text).optional(),
    instanceType: orUnknown(Text).optional(),
    initialInstanceCount: orUnknown(Count).optional(),
    serverlessConfig: orUnknown(
      z.object({
        maxConcurrency: orUnknown(Count),
        memorySizeInMb: orUnknown(Count),
        provisionedConcurrency: orUnknown(Count).optional(),
      }),
    ).optional(),
    managedInstanceScaling: orUnknown(
      z
        .object({
          maxInstanceCount: orUnknown(Count).optional(),
          minInstanceCount: orUnknown(Count).optional(),
        })
        .passthrough(),
    ).optional(),
  })
  .passthrough();

const EndpointConfigurationProps = z.object({
  name: orUnknown(Text).optional(),
  productionVariants: orUnknown(z.array(Variant).min(1, "needs at least one variant")),
  shadowProductionVariants: orUnknown(z.array(Variant)).optional(),
});

type VariantProps = z.infer<typeof Variant>;

/**
 * Real-time inference capacity: instance type x initial count per production and shadow variant.
 * The worst case runs each variant at its scaling maximum (managed instance scaling, or an
 * application-autoscaling target linked to it when the whole stack is known).
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(EndpointConfigurationProps, input.props);
  if (!read.ok) return malformed(input, "inference-endpoint", read.problem);
  const props = read.value;
  const base = blankEstimate(input, "inference-endpoint");
  if (!isKnown(props.productionVariants)) {
    return withStatus(base, "unknown", "productionVariants is unknown", ["productionVariants"]);
  }
  const shadow = isKnown(props.shadowProductionVariants) ? props.shadowProductionVariants : [];
  const variants: Array<{ field: string; kind: string; v: VariantProps }> = [
    ...props.productionVariants.map((v, i) => ({ field: `productionVariants[${i}]`, kind: "variant", v })),
    ...shadow.map((v, i) => ({ field: `shadowProductionVariants[${i}]`, kind: "shadow variant", v })),
  ];
  const serverless = variants.filter((x) => x.v.serverlessConfig !== undefined);
  const instances = variants.filter((x) => x.v.serverlessConfig === undefined);
  const endpointName = ctx.links.complete ? endpointNameFor(input, ctx) : undefined;

  const pools: PoolSpec[] = [];
  const assumptions: string[] = [];
  const unknownCountFields: string[] = [];
  for (const { field, kind, v } of instances) {
    const name = isKnown(v.variantName) ? v.variantName : field;
    if (v.initialInstanceCount === undefined) {
      return malformed(
        input,
        "inference-endpoint",
        `${field}.initialInstanceCount: required for an instance-based variant`,
      );
    }
    if (!isKnown(v.initialInstanceCount)) {
      unknownCountFields.push(`${field}.initialInstanceCount`);
      continue;
    }
    if (v.instanceType === undefined) {
      return malformed(
        input,
        "inference-endpoint",
        `${field}.instanceType: required for an instance-based variant`,
      );
    }
    let worst = v.initialInstanceCount;
    const managed = isKnown(v.managedInstanceScaling) ? v.managedInstanceScaling.maxInstanceCount : undefined;
    if (managed === "undecidable")
      unknownCountFields.push(`${field}.managedInstanceScaling.maxInstanceCount`);
    else if (managed !== undefined && managed > worst) {
      worst = managed;
      assumptions.push(`${kind} ${name}: worst case at managedInstanceScaling.maxInstanceCount = ${managed}`);
    }
    if (endpointName && isKnown(v.variantName)) {
      for (const target of ctx.links.scalingTargetsFor(endpointName, v.variantName)) {
        const t = sagemakerVariantTarget(target.props);
        if (t.maxCapacity === "undecidable")
          unknownCountFields.push(`maxCapacity of scaling target ${target.name}`);
        else if (t.maxCapacity !== undefined && t.maxCapacity > worst) {
          worst = t.maxCapacity;
          assumptions.push(
            `${kind} ${name}: worst case at scaling target ${target.name} maxCapacity = ${t.maxCapacity}`,
          );
        }
      }
    }
    pools.push({
      label: `${kind} ${name}`,
      instanceTypes: isKnown(v.instanceType) ? [v.instanceType] : [],
      typeField: `${field}.instanceType`,
      purchase: "on-demand",
      baselineCount: v.initialInstanceCount,
      worstCaseCount: worst,
    });
  }
  if (instances.length > 0 && !ctx.links.complete) {
    assumptions.push(
      "autoscaling targets, if any, are priced on their own until the whole stack is analyzed",
    );
  }

  const estimate =
    pools.length > 0 || unknownCountFields.length > 0
      ? estimateCompute(
          input,
          base,
          { service: "sagemaker", category: "inference-endpoint", pools, assumptions, unknownCountFields },
          ctx,
        )
      : {
          ...base,
          region: resolveRegion(input, ctx),
          monthly: { baseline: breakdown([]), worstCase: breakdown([]) },
        };
  if (serverless.length === 0 || estimate.status !== "priced") return estimate;
  return addServerless(estimate, serverless, ctx);
}

function addServerless(
  estimate: ResourceEstimate,
  variants: Array<{ field: string; kind: string; v: VariantProps }>,
  ctx: EstimateContext,
): ResourceEstimate {
  const quote = ctx.pricer.serverlessGbSecond();
  if (!quote.priced) return withStatus(estimate, "unpriced", quote.reason);
  const hours = hoursAssumptions(ctx, estimate.economics.hoursPerMonth);
  const baseline: LineItem[] = [...(estimate.monthly?.baseline.lineItems ?? [])];
  const worst: LineItem[] = [...(estimate.monthly?.worstCase.lineItems ?? [])];
  const unknown: string[] = [];
  for (const { field, kind, v } of variants) {
    const cfg = v.serverlessConfig;
    if (!isKnown(cfg) || !isKnown(cfg.memorySizeInMb) || !isKnown(cfg.maxConcurrency)) {
      unknown.push(`${field}.serverlessConfig`);
      continue;
    }
    const gb = money(cfg.memorySizeInMb).dividedBy(1024);
    const name = isKnown(v.variantName) ? v.variantName : field;
    const provisioned = isKnown(cfg.provisionedConcurrency) ? cfg.provisionedConcurrency : 0;
    const label = `${kind} ${name}: serverless ${gb.toFixed()} GB`;
    baseline.push(
      lineItem(
        label,
        "busy",
        quote.usdPerHour.times(gb),
        hours.baselineHours,
        "hour",
        Math.max(provisioned, 1),
        quote.price,
      ),
    );
    worst.push(
      lineItem(
        label,
        "busy",
        quote.usdPerHour.times(gb),
        hours.worstCaseHours,
        "hour",
        cfg.maxConcurrency,
        quote.price,
      ),
    );
  }
  if (unknown.length > 0) return withStatus(estimate, "unknown", `${unknown.join(", ")} unknown`, unknown);
  return {
    ...estimate,
    monthly: { baseline: breakdown(baseline), worstCase: breakdown(worst) },
    assumptions: [
      ...estimate.assumptions,
      "serverless baseline: provisioned concurrency (or 1) busy for the baseline hours; worst case: max concurrency busy all month",
    ],
  };
}

/** The endpoint that serves this configuration, for matching scaling targets (`endpoint/<name>/variant/<v>`). */
function endpointNameFor(input: ResourceInput, ctx: EstimateContext): string | undefined {
  const endpoint = ctx.links.endpointsUsingConfiguration(input.props.name)[0];
  const endpointName = endpoint?.props.name;
  return typeof endpointName === "string" ? endpointName : undefined;
}
