import { z } from "zod";
import { blankEstimate, malformed } from "../../../estimate/build.js";
import { estimateCompute, type PoolSpec } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { Count, isKnown, orUnknown, readProps, Text } from "../../props.js";
import { readScaling } from "../../scaling.js";
import { launchTemplateInstanceType, unknownTypeDetails } from "../ec2/launch-template.js";

export const TYPE = "aws:autoscaling/group:Group";

const TemplateRef = z.object({ id: z.unknown().optional(), name: z.unknown().optional() }).passthrough();

const GroupProps = z.object({
  minSize: orUnknown(Count),
  maxSize: orUnknown(Count),
  desiredCapacity: orUnknown(Count).optional(),
  availabilityZones: orUnknown(z.array(z.unknown())).optional(),
  launchTemplate: orUnknown(TemplateRef).optional(),
  mixedInstancesPolicy: orUnknown(
    z
      .object({
        launchTemplate: z
          .object({
            launchTemplateSpecification: orUnknown(
              z
                .object({
                  launchTemplateId: z.unknown().optional(),
                  launchTemplateName: z.unknown().optional(),
                })
                .passthrough(),
            ).optional(),
            overrides: orUnknown(
              z.array(z.object({ instanceType: orUnknown(Text).optional() }).passthrough()),
            ).optional(),
          })
          .passthrough(),
        instancesDistribution: orUnknown(
          z
            .object({
              onDemandBaseCapacity: orUnknown(Count).optional(),
              onDemandPercentageAboveBaseCapacity: orUnknown(Count.max(100)).optional(),
            })
            .passthrough(),
        ).optional(),
      })
      .passthrough(),
  ).optional(),
});

/** On-demand instances out of `n`, the way EC2 Auto Scaling splits a mixed group. */
export function onDemandShare(n: number, base: number, percentAbove: number): number {
  const fixed = Math.min(n, base);
  return fixed + Math.ceil(((n - fixed) * percentAbove) / 100);
}

/** An EC2 Auto Scaling group: min/desired/max of its launch template's or overrides' instance types. */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(GroupProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const props = read.value;
  const base = blankEstimate(input, "gpu-compute");
  const scaling = readScaling(
    { min: "minSize", desired: "desiredCapacity", max: "maxSize" },
    props.minSize,
    props.desiredCapacity,
    props.maxSize,
  );
  if (scaling.problems.length > 0) return malformed(input, "gpu-compute", scaling.problems.join("; "));

  const mixed = isKnown(props.mixedInstancesPolicy) ? props.mixedInstancesPolicy : undefined;
  let types: string[] = [];
  let typeField = "launchTemplate";
  let linkedTo: string | undefined;
  let templateDetails: ReturnType<typeof unknownTypeDetails> = {};
  const overrides = mixed && isKnown(mixed.launchTemplate.overrides) ? mixed.launchTemplate.overrides : [];
  if (overrides.length > 0 && overrides.every((o) => isKnown(o.instanceType))) {
    types = overrides.map((o) => o.instanceType as string);
  } else {
    const spec = mixed?.launchTemplate.launchTemplateSpecification;
    const ref = isKnown(spec)
      ? { id: spec.launchTemplateId, name: spec.launchTemplateName }
      : isKnown(props.launchTemplate)
        ? props.launchTemplate
        : undefined;
    if (overrides.length > 0) typeField = "mixedInstancesPolicy.launchTemplate.overrides[].instanceType";
    else if (ref) {
      const found = launchTemplateInstanceType(ref, input, ctx);
      typeField = found.field;
      linkedTo = found.urn;
      templateDetails = unknownTypeDetails(found);
      if (found.instanceType) types = [found.instanceType];
    } else if (props.mixedInstancesPolicy === undefined && props.launchTemplate === undefined) {
      return malformed(
        input,
        "gpu-compute",
        "launchTemplate: a group needs a launch template or mixed instances policy",
      );
    }
  }

  const bounds = scaling.bounds;
  const pools: PoolSpec[] = [];
  const assumptions = [...scaling.assumptions];
  if (bounds) {
    const worst = bounds.max ?? bounds.desired;
    const dist = mixed && isKnown(mixed.instancesDistribution) ? mixed.instancesDistribution : undefined;
    const odBase = dist && isKnown(dist.onDemandBaseCapacity) ? dist.onDemandBaseCapacity : 0;
    const odPct =
      dist && isKnown(dist.onDemandPercentageAboveBaseCapacity)
        ? dist.onDemandPercentageAboveBaseCapacity
        : 100;
    const odBaseline = onDemandShare(bounds.desired, odBase, odPct);
    const odWorst = onDemandShare(worst, odBase, odPct);
    if (odPct < 100 || odBase > 0) {
      assumptions.push(`on-demand base ${odBase} + ${odPct}% above base; the rest spot`);
    }
    pools.push({
      label: "on-demand",
      instanceTypes: types,
      ...templateDetails,
      typeField,
      purchase: "on-demand",
      baselineCount: odBaseline,
      worstCaseCount: odWorst,
    });
    if (odWorst < worst) {
      pools.push({
        label: "spot",
        instanceTypes: types,
        ...templateDetails,
        typeField,
        purchase: "spot",
        baselineCount: bounds.desired - odBaseline,
        worstCaseCount: worst - odWorst,
      });
    }
    if (pools.length === 1) delete pools[0]!.label;
  }
  return estimateCompute(
    input,
    base,
    {
      service: "ec2",
      category: "gpu-compute",
      pools,
      ...(bounds ? { scaling: bounds } : {}),
      assumptions,
      unknownCountFields: scaling.unknownFields,
      ...(linkedTo ? { linkedTo } : {}),
    },
    ctx,
  );
}
