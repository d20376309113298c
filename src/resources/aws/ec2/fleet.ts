import { z } from "zod";
import { blankEstimate, malformed } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { UNDECIDABLE } from "../../../unknown.js";
import { Count, isKnown, orUnknown, readProps, Text } from "../../props.js";
import { capacityUnit, fleetPools, templateConfigCandidates } from "./fleet-capacity.js";
import { LAUNCH_TEMPLATE, Override, TemplateSpecification } from "./launch-source.js";

export const TYPE = "aws:ec2/fleet:Fleet";
export const REFERENCES = { launchTemplateConfigs: [LAUNCH_TEMPLATE] };

const FleetProps = z.object({
  targetCapacitySpecification: orUnknown(
    z
      .object({
        totalTargetCapacity: orUnknown(Count),
        onDemandTargetCapacity: orUnknown(Count).optional(),
        spotTargetCapacity: orUnknown(Count).optional(),
        defaultTargetCapacityType: orUnknown(Text),
        targetCapacityUnitType: z.unknown().optional(),
      })
      .passthrough(),
  ),
  launchTemplateConfigs: orUnknown(
    z
      .array(
        z
          .object({
            launchTemplateSpecification: orUnknown(TemplateSpecification),
            overrides: orUnknown(z.array(Override)).optional(),
          })
          .passthrough(),
      )
      .min(1, "needs at least one launch template config"),
  ),
});

type Target = "totalTargetCapacity" | "onDemandTargetCapacity" | "spotTargetCapacity";

/**
 * An EC2 Fleet (maintain, request or instant): totalTargetCapacity units, split into on-demand and
 * spot by its target capacity specification (the rest at its default type), filled by its launch
 * template configs' types (or their overrides'), each instance counting for its weightedCapacity.
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(FleetProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const props = read.value;
  const configs = isKnown(props.launchTemplateConfigs) ? props.launchTemplateConfigs : [];
  const fromTemplates = templateConfigCandidates(
    configs.map((c) => {
      const spec = isKnown(c.launchTemplateSpecification) ? c.launchTemplateSpecification : {};
      return {
        template: { id: spec.launchTemplateId, name: spec.launchTemplateName, version: spec.version },
        overrides: c.overrides !== undefined && isKnown(c.overrides) ? c.overrides : [],
      };
    }),
    (i) => `launchTemplateConfigs[${i}]`,
    input,
    ctx,
  );

  const spec = isKnown(props.targetCapacitySpecification) ? props.targetCapacitySpecification : undefined;
  const unknownCountFields = spec ? [] : ["targetCapacitySpecification"];
  const units = (field: Target) => {
    const v = spec?.[field];
    if (v === UNDECIDABLE) unknownCountFields.push(`targetCapacitySpecification.${field}`);
    return typeof v === "number" ? v : 0;
  };
  const total = units("totalTargetCapacity");
  let onDemand = Math.min(units("onDemandTargetCapacity"), total);
  let spot = Math.min(units("spotTargetCapacity"), total - onDemand);
  // What neither names is bought as the default capacity type.
  const rest = total - onDemand - spot;
  if (spec?.defaultTargetCapacityType === "spot") spot += rest;
  else onDemand += rest;
  const unit = capacityUnit(spec?.targetCapacityUnitType);
  return estimateCompute(
    input,
    blankEstimate(input, "gpu-compute"),
    {
      service: "ec2",
      category: "gpu-compute",
      pools: fleetPools(
        fromTemplates.candidates,
        [
          { label: "on-demand", purchase: "on-demand", units: onDemand },
          { label: "spot", purchase: "spot", units: spot },
        ],
        unit,
        ctx,
      ),
      assumptions: [
        ...fromTemplates.assumptions,
        `target capacity ${total} ${unit} (${onDemand} on demand, ${spot} spot), each instance counting for its weightedCapacity`,
      ],
      unknownCountFields,
      ...(fromTemplates.linkedTo ? { linkedTo: fromTemplates.linkedTo } : {}),
    },
    ctx,
  );
}
