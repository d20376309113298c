import { z } from "zod";
import { blankEstimate, malformed } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { Count, isKnown, orUnknown, readProps, Text } from "../../props.js";
import { capacityUnit, type FleetCandidate, fleetPools, weightOf } from "./fleet-capacity.js";
import { fromLaunchTemplate, LAUNCH_TEMPLATE } from "./launch-source.js";

export const TYPE = "aws:ec2/spotFleetRequest:SpotFleetRequest";
export const REFERENCES = { launchTemplateConfigs: [LAUNCH_TEMPLATE] };

const Spec = z
  .object({ instanceType: orUnknown(Text).optional(), weightedCapacity: z.unknown().optional() })
  .passthrough();

const SpotFleetProps = z.object({
  targetCapacity: orUnknown(Count),
  onDemandTargetCapacity: orUnknown(Count).optional(),
  targetCapacityUnitType: z.unknown().optional(),
  launchSpecifications: orUnknown(z.array(Spec)).optional(),
  launchTemplateConfigs: orUnknown(
    z.array(
      z
        .object({
          launchTemplateSpecification: orUnknown(
            z
              .object({
                id: z.unknown().optional(),
                name: z.unknown().optional(),
                version: z.unknown().optional(),
              })
              .passthrough(),
          ),
          overrides: orUnknown(z.array(Spec)).optional(),
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
  const candidates: FleetCandidate[] = [];
  const assumptions: string[] = [];
  let linkedTo: string | undefined;
  const specs = isKnown(props.launchSpecifications) ? props.launchSpecifications : [];
  specs.forEach((s, i) => {
    const field = `launchSpecifications[${i}].instanceType`;
    candidates.push({
      instanceType: isKnown(s.instanceType) ? s.instanceType : undefined,
      weight: weightOf(s.weightedCapacity),
      field,
    });
  });
  const configs = isKnown(props.launchTemplateConfigs) ? props.launchTemplateConfigs : [];
  configs.forEach((config, i) => {
    const overrides = isKnown(config.overrides) ? config.overrides : [];
    const at = `launchTemplateConfigs[${i}]`;
    // Overrides without a type (attribute-based selection) take it from the template.
    const source =
      overrides.length === 0 || overrides.some((o) => o.instanceType === undefined)
        ? fromLaunchTemplate(
            isKnown(config.launchTemplateSpecification) ? config.launchTemplateSpecification : {},
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
        instanceType: source?.instanceType,
        weight: undefined,
        field: source!.field,
        ...(source ? { source } : {}),
      });
      return;
    }
    overrides.forEach((o, j) => {
      const field = `${at}.overrides[${j}].instanceType`;
      const type =
        o.instanceType === undefined
          ? source?.instanceType
          : isKnown(o.instanceType)
            ? o.instanceType
            : undefined;
      candidates.push({
        instanceType: type,
        weight: weightOf(o.weightedCapacity),
        field,
        ...(source && o.instanceType === undefined ? { source } : {}),
      });
    });
  });
  if (
    candidates.length === 0 &&
    props.launchSpecifications === undefined &&
    props.launchTemplateConfigs === undefined
  )
    return malformed(
      input,
      "gpu-compute",
      "launchSpecifications: a spot fleet needs launch specifications or launch template configs",
    );

  const unknownCountFields = [
    ...(isKnown(props.targetCapacity) ? [] : ["targetCapacity"]),
    ...(props.onDemandTargetCapacity === "undecidable" ? ["onDemandTargetCapacity"] : []),
  ];
  const total = isKnown(props.targetCapacity) ? props.targetCapacity : 0;
  const onDemand = Math.min(isKnown(props.onDemandTargetCapacity) ? props.onDemandTargetCapacity : 0, total);
  const unit = capacityUnit(props.targetCapacityUnitType);
  assumptions.push(
    `target capacity ${total} ${unit === "units" ? "units" : unit} (${onDemand} on demand, ${total - onDemand} spot), each instance counting for its weightedCapacity`,
  );
  const pools = fleetPools(
    candidates,
    [
      { label: "on-demand", purchase: "on-demand", units: onDemand },
      { label: "spot", purchase: "spot", units: total - onDemand },
    ],
    unit,
    ctx,
  );
  return estimateCompute(
    input,
    blankEstimate(input, "gpu-compute"),
    {
      service: "ec2",
      category: "gpu-compute",
      pools,
      assumptions,
      unknownCountFields,
      ...(linkedTo ? { linkedTo } : {}),
    },
    ctx,
  );
}
