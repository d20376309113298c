import { z } from "zod";
import { blankEstimate, malformed } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { UNDECIDABLE } from "../../../unknown.js";
import { Count, isKnown, orUnknown, readProps, Text } from "../../props.js";
import {
  capacityUnit,
  type FleetCandidate,
  fleetPools,
  templateConfigCandidates,
  weightOf,
} from "./fleet-capacity.js";
import { LAUNCH_TEMPLATE, Override, TemplateRef } from "./launch-source.js";

export const TYPE = "aws:ec2/spotFleetRequest:SpotFleetRequest";
export const REFERENCES = { launchTemplateConfigs: [LAUNCH_TEMPLATE] };

const SpotFleetProps = z.object({
  targetCapacity: orUnknown(Count),
  onDemandTargetCapacity: orUnknown(Count).optional(),
  targetCapacityUnitType: z.unknown().optional(),
  launchSpecifications: orUnknown(
    z.array(
      z
        .object({ instanceType: orUnknown(Text).optional(), weightedCapacity: z.unknown().optional() })
        .passthrough(),
    ),
  ).optional(),
  launchTemplateConfigs: orUnknown(
    z.array(
      z
        .object({
          launchTemplateSpecification: orUnknown(TemplateRef),
          overrides: orUnknown(z.array(Override)).optional(),
        })
        .passthrough(),
    ),
  ).optional(),
});

/**
 * A Spot Fleet request: targetCapacity units (onDemandTargetCapacity of them on demand, the rest
 * spot), filled by its launch specifications' or launch template configs' instance types, each
 * instance counting for its weightedCapacity. The worst case fills the whole target with the
 * dearest type, on demand (spot can be reclaimed and re-bought at up to on-demand).
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(SpotFleetProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const props = read.value;
  const specs = isKnown(props.launchSpecifications) ? props.launchSpecifications : [];
  const fromSpecs: FleetCandidate[] = specs.map((s, i) => ({
    instanceType: isKnown(s.instanceType) ? s.instanceType : undefined,
    weight: weightOf(s.weightedCapacity),
    field: `launchSpecifications[${i}].instanceType`,
  }));
  const configs = isKnown(props.launchTemplateConfigs) ? props.launchTemplateConfigs : [];
  const fromTemplates = templateConfigCandidates(
    configs.map((c) => ({
      template: isKnown(c.launchTemplateSpecification) ? c.launchTemplateSpecification : {},
      overrides: c.overrides !== undefined && isKnown(c.overrides) ? c.overrides : [],
    })),
    (i) => `launchTemplateConfigs[${i}]`,
    input,
    ctx,
  );
  if (props.launchSpecifications === undefined && props.launchTemplateConfigs === undefined)
    return malformed(
      input,
      "gpu-compute",
      "launchSpecifications: a spot fleet needs launch specifications or launch template configs",
    );

  const unknownCountFields = [
    ...(isKnown(props.targetCapacity) ? [] : ["targetCapacity"]),
    ...(props.onDemandTargetCapacity === UNDECIDABLE ? ["onDemandTargetCapacity"] : []),
  ];
  const total = isKnown(props.targetCapacity) ? props.targetCapacity : 0;
  const onDemand = Math.min(isKnown(props.onDemandTargetCapacity) ? props.onDemandTargetCapacity : 0, total);
  const unit = capacityUnit(props.targetCapacityUnitType);
  return estimateCompute(
    input,
    blankEstimate(input, "gpu-compute"),
    {
      service: "ec2",
      category: "gpu-compute",
      pools: fleetPools(
        [...fromSpecs, ...fromTemplates.candidates],
        [
          { label: "on-demand", purchase: "on-demand", units: onDemand },
          { label: "spot", purchase: "spot", units: total - onDemand },
        ],
        unit,
        ctx,
      ),
      assumptions: [
        ...fromTemplates.assumptions,
        `target capacity ${total} ${unit} (${onDemand} on demand, ${total - onDemand} spot), each instance counting for its weightedCapacity`,
      ],
      unknownCountFields,
      ...(fromTemplates.linkedTo ? { linkedTo: fromTemplates.linkedTo } : {}),
    },
    ctx,
  );
}
