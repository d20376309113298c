import { z } from "zod";
import { blankEstimate, malformed, unpricedBy, withStatus } from "../../../estimate/build.js";
import { breakdown, hoursAssumptions, lineItem } from "../../../estimate/capacity.js";
import { estimateCompute, type PoolSpec } from "../../../estimate/compute.js";
import { describeRegion, fallbackRegion, resolveRegion } from "../../../estimate/region.js";
import type { EstimateContext, LineItem, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { money } from "../../../money.js";
import { UNDECIDABLE } from "../../../unknown.js";
import { Count, isKnown, orUnknown, readProps, Text } from "../../props.js";
import { ENDPOINT, TYPE as SCALING_TARGET, sagemakerVariantTarget } from "../appautoscaling/target.js";
import { ENDPOINT_CONFIGURATION } from "./endpoint.js";

export const TYPE = ENDPOINT_CONFIGURATION;

const Variant = z
  .object({
    variantName: orUnknown(Text).optional(),
    instanceType: orUnknown(Text).optional(),
    initialInstanceCount: orUnknown(Count).optional(),
    serverlessConfig: orUnknown(
      z.object({
        maxConcurrency: orUnknown(Count.min(1, "must be at least 1")),
        memorySizeInMb: orUnknown(Count.min(1, "must be at least 1")),
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
  // Whole stack: every endpoint serving this configuration runs its own copy of its variants.
  const endpoints = ctx.links.complete ? endpointNamesFor(input, ctx) : [];
  const copies = Math.max(endpoints.length, 1);

  const pools: PoolSpec[] = [];
  const assumptions: string[] = [];
  const unknownCountFields: string[] = [];
  const unknownMaxima: string[] = [];
  const unknownMax = (field: string) => {
    unknownCountFields.push(field);
    unknownMaxima.push(field);
  };
  if (endpoints.length > 1) {
    assumptions.push(
      `served by ${endpoints.length} endpoints (${endpoints.map((e) => e ?? "name unknown").join(", ")}): each runs its own copy of every variant`,
    );
  }
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
    const initial = v.initialInstanceCount;
    let managedWorst = initial;
    const managed = isKnown(v.managedInstanceScaling) ? v.managedInstanceScaling.maxInstanceCount : undefined;
    if (managed === UNDECIDABLE) unknownMax(`${field}.managedInstanceScaling.maxInstanceCount`);
    else if (managed !== undefined && managed > managedWorst) {
      managedWorst = managed;
      assumptions.push(`${kind} ${name}: worst case at managedInstanceScaling.maxInstanceCount = ${managed}`);
    }
    let baselineCount = 0;
    let worstCaseCount = 0;
    for (const endpointName of endpoints.length > 0 ? endpoints : [undefined]) {
      let baseline = initial;
      let worst = managedWorst;
      const targets =
        endpointName && isKnown(v.variantName)
          ? ctx.links.referencingValue(
              SCALING_TARGET,
              ENDPOINT,
              `endpoint/${endpointName}/variant/${v.variantName}`,
            )
          : [];
      for (const target of targets) {
        const t = sagemakerVariantTarget(target.props);
        if (t.maxCapacity === UNDECIDABLE) unknownMax(`maxCapacity of scaling target ${target.name}`);
        else if (t.maxCapacity !== undefined && t.maxCapacity > worst) {
          worst = t.maxCapacity;
          assumptions.push(
            `${kind} ${name}: worst case at scaling target ${target.name} maxCapacity = ${t.maxCapacity}`,
          );
        }
        // The scaler never runs fewer than its minimum, whatever the initial count.
        if (isKnown(t.minCapacity) && t.minCapacity > baseline) {
          baseline = t.minCapacity;
          assumptions.push(
            `${kind} ${name}: baseline at scaling target ${target.name} minCapacity = ${t.minCapacity}`,
          );
        }
      }
      baselineCount += baseline;
      worstCaseCount += Math.max(worst, baseline);
    }
    pools.push({
      label: `${kind} ${name}`,
      instanceTypes: isKnown(v.instanceType) ? [v.instanceType] : [],
      typeField: `${field}.instanceType`,
      purchase: "on-demand",
      baselineCount,
      worstCaseCount,
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
          {
            service: "sagemaker",
            category: "inference-endpoint",
            pools,
            assumptions,
            unknownCountFields,
            unknownMaxima,
          },
          ctx,
        )
      : serverlessOnly(input, base, ctx);
  if (serverless.length === 0 || estimate.status !== "priced") return estimate;
  return addServerless(estimate, serverless, copies, ctx);
}

function serverlessOnly(
  input: ResourceInput,
  base: ResourceEstimate,
  ctx: EstimateContext,
): ResourceEstimate {
  // Serverless inference is priced per GB-second without a region: any resolved one is only said.
  const resolved = resolveRegion(input, ctx);
  const region = "decided" in resolved ? resolved.decided : fallbackRegion(ctx);
  return {
    ...base,
    region,
    assumptions: [describeRegion(region, ctx)],
    monthly: { baseline: breakdown([]), worstCase: breakdown([]) },
  };
}

function addServerless(
  priced: ResourceEstimate,
  variants: Array<{ field: string; kind: string; v: VariantProps }>,
  copies: number,
  ctx: EstimateContext,
): ResourceEstimate {
  // A partial run-rate (instance variants only) must not reach the totals as if it were the whole.
  const { monthly: _partial, ...estimate } = priced;
  const quote = ctx.pricer.serverlessGbSecond();
  if (!quote.priced) return unpricedBy(estimate, quote);
  const hours = hoursAssumptions(ctx, estimate.economics.hoursPerMonth);
  const baseline: LineItem[] = [...(priced.monthly?.baseline.lineItems ?? [])];
  const worst: LineItem[] = [...(priced.monthly?.worstCase.lineItems ?? [])];
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
    if (provisioned > cfg.maxConcurrency) {
      return withStatus(
        estimate,
        "unknown",
        `malformed properties: ${field}.serverlessConfig.provisionedConcurrency (${provisioned}) is greater than maxConcurrency (${cfg.maxConcurrency})`,
      );
    }
    const label = `${kind} ${name}: serverless ${gb.toFixed()} GB`;
    baseline.push(
      lineItem(
        label,
        "busy",
        quote.usdPerHour.times(gb),
        hours.baselineHours,
        "hour",
        Math.max(provisioned, 1) * copies,
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
        cfg.maxConcurrency * copies,
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
      ...hours.assumptions.filter((a) => !estimate.assumptions.includes(a)),
      "serverless baseline: provisioned concurrency (or 1) busy for the baseline hours; worst case: max concurrency busy all month",
    ],
  };
}

/** The endpoints serving this configuration, by name for matching scaling targets (`endpoint/<name>/variant/<v>`). */
function endpointNamesFor(input: ResourceInput, ctx: EstimateContext): Array<string | undefined> {
  return ctx.links.referencing(ENDPOINT, input).map((endpoint) => {
    const name = endpoint.props?.name;
    return typeof name === "string" && isKnown(name) ? name : undefined;
  });
}
