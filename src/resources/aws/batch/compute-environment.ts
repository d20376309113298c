import { z } from "zod";
import { blankEstimate, malformed, notApplicable, unpricedAs, withStatus } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { acceleratorTypes } from "../../../pricing/accelerator-types.js";
import { UNDECIDABLE } from "../../../unknown.js";
import { Count, isKnown, orUnknown, readProps, Text } from "../../props.js";

export const TYPE = "aws:batch/computeEnvironment:ComputeEnvironment";

const ComputeEnvironmentProps = z.object({
  type: orUnknown(Text).optional(),
  computeResources: orUnknown(
    z
      .object({
        type: orUnknown(Text),
        instanceTypes: orUnknown(z.array(orUnknown(Text))).optional(),
        maxVcpus: orUnknown(Count),
        minVcpus: orUnknown(Count).optional(),
        desiredVcpus: orUnknown(Count).optional(),
      })
      .passthrough(),
  ).optional(),
});

/** Batch's own selections: current C, M and R families, none with an accelerator. */
const BATCH_DEFAULTS = new Set(["optimal", "default_x86_64", "default_arm64"]);

/**
 * An AWS Batch managed compute environment on EC2 or Spot: it may grow to maxVcpus, so the worst
 * case is the most expensive allowed type (a type, or every type of a family) x ceil(maxVcpus /
 * its vCPUs) (Batch exceeds maxVcpus by at most one instance); the baseline runs desiredVcpus (or
 * minVcpus). Fargate has no GPUs; an unmanaged environment runs instances you launch yourself.
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(ComputeEnvironmentProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const props = read.value;
  if (props.type === "UNMANAGED")
    return notApplicable(
      input,
      "an unmanaged compute environment launches nothing: its instances are priced where you create them",
    );
  const resources = isKnown(props.computeResources) ? props.computeResources : undefined;
  const base = blankEstimate(input, "gpu-compute");
  if (!resources) {
    if (props.computeResources === undefined) return notApplicable(input, "no computeResources");
    return withStatus(base, "unknown", "computeResources is unknown", ["computeResources"]);
  }
  if (resources.type === "FARGATE" || resources.type === "FARGATE_SPOT")
    return notApplicable(input, `${resources.type} has no GPU or accelerator`);

  const accelerators = acceleratorTypes(ctx.pricer.catalog);
  const listed = isKnown(resources.instanceTypes) ? resources.instanceTypes : undefined;
  const types: string[] = [];
  const assumptions: string[] = [];
  let unknownType = !listed;
  for (const value of listed ?? []) {
    if (!isKnown(value)) {
      unknownType = true;
      continue;
    }
    if (BATCH_DEFAULTS.has(value)) continue;
    if (value.includes(".")) {
      types.push(value);
      continue;
    }
    // A family: every size of it may launch.
    const sizes = [
      ...new Set(
        ctx.pricer.catalog.entries
          .filter((e) => e.family === value && e.service === "ec2")
          .map((e) => e.instanceType),
      ),
    ];
    if (sizes.length > 0) {
      types.push(...sizes);
      assumptions.push(`family ${value}: any of ${sizes.join(", ")}`);
    } else if (accelerators.isAcceleratorFamily(value)) {
      return {
        ...unpricedAs(
          base,
          `instance family ${value} is not in the price catalog: its sizes cannot be priced`,
          {
            kind: "instance-rate",
            instanceType: value,
          },
        ),
        instanceTypes: [value],
        unpricedTypes: [value],
      };
    }
  }
  const vcpus = (field: "maxVcpus" | "minVcpus" | "desiredVcpus") => resources[field];
  const unknownCountFields = (["maxVcpus", "desiredVcpus", "minVcpus"] as const)
    .filter((f) => vcpus(f) === UNDECIDABLE && (f === "maxVcpus" || vcpus("desiredVcpus") === undefined))
    .map((f) => `computeResources.${f}`);
  const max = isKnown(resources.maxVcpus) ? resources.maxVcpus : 0;
  const desired = isKnown(resources.desiredVcpus)
    ? resources.desiredVcpus
    : isKnown(resources.minVcpus)
      ? resources.minVcpus
      : 0;
  const perInstance = (type: string) => ctx.pricer.catalog.specs(type)?.vcpu ?? 1;
  const spot = resources.type === "SPOT";
  assumptions.push(
    `baseline ${desired} vCPUs (${resources.desiredVcpus !== undefined ? "desiredVcpus" : "minVcpus"}), worst case maxVcpus ${max}: ceil(vCPUs / the type's vCPUs) instances`,
  );
  if (!listed || types.length === 0) {
    // Only Batch's default selections (or nothing known): no accelerator unless a type is unknown.
    if (!unknownType)
      return notApplicable(input, `no accelerator: ${(listed ?? []).join(", ") || "no instance types"}`);
  }
  return estimateCompute(
    input,
    base,
    {
      service: "ec2",
      category: "gpu-compute",
      pools: [
        {
          instanceTypes: unknownType ? [] : types,
          typeField: "computeResources.instanceTypes",
          purchase: spot ? "spot" : "on-demand",
          baselineCount: 0,
          worstCaseCount: 0,
          countsFor: (type) => ({
            baseline: Math.ceil(desired / perInstance(type)),
            worstCase: Math.ceil(max / perInstance(type)),
          }),
        },
      ],
      assumptions,
      unknownCountFields,
    },
    ctx,
  );
}
