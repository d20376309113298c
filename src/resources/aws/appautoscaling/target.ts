import { z } from "zod";
import { blankEstimate, malformed, notApplicable, withStatus } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import type { Undecidable } from "../../../unknown.js";
import { Count, isKnown, orUnknown, readProps, Text } from "../../props.js";
import { ENDPOINT_CONFIGURATION } from "../sagemaker/endpoint.js";

export const TYPE = "aws:appautoscaling/target:Target";
export const ENDPOINT = "aws:sagemaker/endpoint:Endpoint";
export const REFERENCES = { resourceId: [ENDPOINT] };

const TargetProps = z.object({
  resourceId: orUnknown(Text),
  scalableDimension: orUnknown(Text),
  serviceNamespace: orUnknown(Text).optional(),
  minCapacity: orUnknown(Count),
  maxCapacity: orUnknown(Count),
});

const VARIANT_RESOURCE = /^endpoint\/([^/]+)\/variant\/([^/]+)$/;
const DIMENSION = "sagemaker:variant:DesiredInstanceCount";

export function sagemakerVariantTarget(props: Record<string, unknown>): {
  maxCapacity?: number | Undecidable;
  minCapacity?: number | Undecidable;
} {
  const read = readProps(TargetProps, props);
  return read.ok ? { maxCapacity: read.value.maxCapacity, minCapacity: read.value.minCapacity } : {};
}

/** Parses `endpoint/<endpoint>/variant/<variant>`. */
export function variantOf(resourceId: string): { endpoint: string; variant: string } | undefined {
  const m = VARIANT_RESOURCE.exec(resourceId);
  return m ? { endpoint: m[1]!, variant: m[2]! } : undefined;
}

/**
 * A SageMaker variant's scaling target. With the whole stack known, its minimum and maximum are priced
 * on the endpoint configuration and it carries nothing itself. Analysed alone (resource by resource, as
 * the engine does before creating it), it carries the extra instances it allows above the
 * variant's initial count, so a running total stays exact.
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(TargetProps, input.props);
  if (!read.ok) return malformed(input, "inference-endpoint", read.problem);
  const props = read.value;
  if (isKnown(props.scalableDimension) && props.scalableDimension !== DIMENSION) {
    return notApplicable(input, `scales ${props.scalableDimension}, not SageMaker instances`);
  }
  const base = blankEstimate(input, "inference-endpoint");
  if (!isKnown(props.scalableDimension)) {
    return withStatus(base, "unknown", "scalableDimension is unknown", ["scalableDimension"]);
  }
  if (!isKnown(props.maxCapacity)) {
    return withStatus(
      base,
      "unknown",
      "maxCapacity is unknown: the scaler's spend cannot be bounded",
      ["maxCapacity"],
      ["maxCapacity"],
    );
  }
  const scaling = {
    min: isKnown(props.minCapacity) ? props.minCapacity : 0,
    desired: isKnown(props.minCapacity) ? props.minCapacity : 0,
    max: props.maxCapacity,
  };
  if (scaling.min > scaling.max) {
    return malformed(
      input,
      "inference-endpoint",
      `minCapacity (${scaling.min}) is greater than maxCapacity (${scaling.max})`,
    );
  }
  const target = isKnown(props.resourceId) ? variantOf(props.resourceId) : undefined;
  if (!target) {
    return withStatus(
      { ...base, scaling },
      "unknown",
      `resourceId ${isKnown(props.resourceId) ? `"${props.resourceId}" is not endpoint/<name>/variant/<variant>` : "is unknown"}: the scaled variant cannot be found`,
      ["resourceId"],
    );
  }
  const endpoint = ctx.links.referenced(input, ENDPOINT, { name: target.endpoint });
  const configName = endpoint?.props.endpointConfigName;
  const config = endpoint
    ? ctx.links.referenced(endpoint, ENDPOINT_CONFIGURATION, { name: configName })
    : undefined;
  if (!config) {
    return withStatus(
      { ...base, scaling },
      "unknown",
      `endpoint ${target.endpoint} or its configuration is not in this stack: the variant's instance type is unknown`,
      ["resourceId"],
    );
  }
  if (ctx.links.complete) {
    return {
      ...withStatus(
        { ...base, scaling },
        "not-applicable",
        `its minimum and maximum are priced on endpoint configuration ${config.name}`,
      ),
      category: "inference-endpoint",
      linkedTo: config.urn,
    };
  }
  const variants = [config.props.productionVariants, config.props.shadowProductionVariants].flatMap((list) =>
    Array.isArray(list) ? (list as Array<Record<string, unknown>>) : [],
  );
  const variant = variants.find((v) => v && v.variantName === target.variant);
  const instanceType = variant?.instanceType;
  const initial = variant?.initialInstanceCount;
  if (!variant || typeof initial !== "number") {
    return withStatus(
      { ...base, scaling },
      "unknown",
      `variant ${target.variant} of ${config.name} not found or has no initial count`,
      ["resourceId"],
    );
  }
  // The configuration prices its variant up to managedInstanceScaling.maxInstanceCount on its own.
  const managed = (variant.managedInstanceScaling as { maxInstanceCount?: unknown } | undefined)
    ?.maxInstanceCount;
  const pricedOnConfig = typeof managed === "number" ? Math.max(initial, managed) : initial;
  const extraBaseline = Math.max(scaling.desired - initial, 0);
  const extraWorst = Math.max(scaling.max - pricedOnConfig, extraBaseline);
  const extra = estimateCompute(
    input,
    base,
    {
      service: "sagemaker",
      category: "inference-endpoint",
      scaling,
      linkedTo: config.urn,
      assumptions: [
        `extra instances above what the configuration prices for variant ${target.variant} (initial ${initial}, up to ${pricedOnConfig}): baseline ${extraBaseline}, worst case ${extraWorst}`,
      ],
      pools: [
        {
          label: `scaling ${target.variant}`,
          instanceTypes: typeof instanceType === "string" && isKnown(instanceType) ? [instanceType] : [],
          typeField: `instanceType of variant ${target.variant}`,
          purchase: "on-demand",
          baselineCount: extraBaseline,
          worstCaseCount: extraWorst,
        },
      ],
    },
    ctx,
  );
  return { ...extra, capacityOf: config.urn };
}
