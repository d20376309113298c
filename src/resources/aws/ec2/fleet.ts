import { z } from "zod";
import { blankEstimate, malformed } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { Count, isKnown, orUnknown, readProps, Text } from "../../props.js";
import { capacityUnit, type FleetCandidate, fleetPools, weightOf } from "./fleet-capacity.js";
import { fromLaunchTemplate, LAUNCH_TEMPLATE } from "./launch-source.js";

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
            launchTemplateSpecification: orUnknown(
              z
                .object({
                  launchTemplateId: z.unknown().optional(),
                  launchTemplateName: z.unknown().optional(),
                  version: z.unknown().optional(),
                })
                .passthrough(),
            ),
            overrides: orUnknown(
              z
                .array(
                  z
                    .object({
                      instanceType: orUnknown(Text).optional(),
                      weightedCapacity: z.unknown().optional(),
                    })
                    .passthrough(),
                )
                .optional(),
            ).optional(),
          })
          .passthrough(),
      )
      .min(1, "needs at least one launch template config"),
  ),
});

/**
 * An EC2 Fleet (maintain, request or instant): totalTargetCapacity units, split into on-demand and
 * spot by its target capacity specification, filled by its launch template configs' types (or their
 * overrides'), each instance counting for its weightedCapacity.
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(FleetProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const props = read.value;
  const assumptions: string[] = [];
  const candidates: FleetCandidate[] = [];
  let linkedTo: string | undefined;
  const configs = isKnown(props.launchTemplateConfigs) ? props.launchTemplateConfigs : [];
  configs.forEach((config, i) => {
    const at = `launchTemplateConfigs[${i}]`;
    const overrides = config.overrides !== undefined && isKnown(config.overrides) ? config.overrides : [];
    const spec = isKnown(config.launchTemplateSpecification) ? config.launchTemplateSpecification : {};
    const source =
      overrides.length === 0 || overrides.some((o) => o.instanceType === undefined)
        ? fromLaunchTemplate(
            { id: spec.launchTemplateId, name: spec.launchTemplateName, version: spec.version },
            input,
            ctx,
            `${at}.launchTemplateSpecification`,
          )
        : undefined;
    if (source) {
      assumptions.push(...source.assumptions);
      linkedTo ??= source.urn;
    }
    if (overrides.length === 0) {
      candidates.push({
        instanceType: source!.instanceType,
        weight: undefined,
        field: source!.field,
        source: source!,
      });
      return;
    }
    overrides.forEach((o, j) => {
      const own = o.instanceType;
      candidates.push({
        instanceType: own === undefined ? source?.instanceType : isKnown(own) ? own : undefined,
        weight: weightOf(o.weightedCapacity),
        field: `${at}.overrides[${j}].instanceType`,
        ...(own === undefined && source ? { source } : {}),
      });
    });
  });

  const spec = isKnown(props.targetCapacitySpecification) ? props.targetCapacitySpecification : undefined;
  const unknownCountFields: string[] = [];
  if (!spec) unknownCountFields.push("targetCapacitySpecification");
  const units = (field: "totalTargetCapacity" | "onDemandTargetCapacity" | "spotTargetCapacity") => {
    const v = spec?.[field];
    if (v === "undecidable") unknownCountFields.push(`targetCapacitySpecification.${field}`);
    return typeof v === "number" ? v : 0;
  };
  const total = units("totalTargetCapacity");
  let onDemand = Math.min(units("onDemandTargetCapacity"), total);
  let spot = Math.min(units("spotTargetCapacity"), total - onDemand);
  // What neither names is bought as the default capacity type.
  const rest = total - onDemand - spot;
  const defaultType =
    spec && isKnown(spec.defaultTargetCapacityType) ? spec.defaultTargetCapacityType : "on-demand";
  if (defaultType === "spot") spot += rest;
  else onDemand += rest;
  const unit = capacityUnit(spec?.targetCapacityUnitType);
  assumptions.push(
    `target capacity ${total} ${unit} (${onDemand} on demand, ${spot} spot), each instance counting for its weightedCapacity`,
  );
  return estimateCompute(
    input,
    blankEstimate(input, "gpu-compute"),
    {
      service: "ec2",
      category: "gpu-compute",
      pools: fleetPools(
        candidates,
        [
          { label: "on-demand", purchase: "on-demand", units: onDemand },
          { label: "spot", purchase: "spot", units: spot },
        ],
        unit,
        ctx,
      ),
      assumptions,
      unknownCountFields,
      ...(linkedTo ? { linkedTo } : {}),
    },
    ctx,
  );
}
