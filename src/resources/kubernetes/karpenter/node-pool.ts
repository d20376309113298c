import type { CatalogEntry } from "../../../catalog/schema.js";
import { blankEstimate, notApplicable, unpricedAs, withStatus } from "../../../estimate/build.js";
import { estimateCompute } from "../../../estimate/compute.js";
import { fallbackRegion, resolveRegion } from "../../../estimate/region.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { acceleratorTypes } from "../../../pricing/accelerator-types.js";
import { isUndecidable } from "../../../unknown.js";

export const TYPE = ["kubernetes:karpenter.sh/v1:NodePool", "kubernetes:karpenter.sh/v1beta1:NodePool"];

interface Requirement {
  key?: unknown;
  operator?: unknown;
  values?: unknown;
}

const SUFFIX: Record<string, number> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A Kubernetes quantity ("1000", "500m", "64Gi", 8) in base units, or undefined when it is not one. */
export function quantity(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : undefined;
  if (typeof value !== "string") return undefined;
  const m = /^(\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)([a-zA-Z]*)$/.exec(value.trim());
  if (!m) return undefined;
  const scale = m[2] ? SUFFIX[m[2]] : 1;
  return scale === undefined ? undefined : Number(m[1]) * scale;
}

/** What one node of a type offers of a resource a NodePool limit names (0: the limit does not bound it). */
function resourceOf(entry: CatalogEntry, resource: string): number {
  const a = entry.accelerator;
  switch (resource) {
    case "cpu":
      return entry.vcpu;
    case "memory":
      return entry.memoryGiB * 2 ** 30;
    case "nvidia.com/gpu":
      return a.vendor === "nvidia" ? a.count : 0;
    case "amd.com/gpu":
      return a.vendor === "amd" ? a.count : 0;
    case "habana.ai/gaudi":
      return a.vendor === "habana" ? a.count : 0;
    // A device has one or more cores: counting one core per device can only overstate the nodes.
    case "aws.amazon.com/neuron":
    case "aws.amazon.com/neurondevice":
    case "aws.amazon.com/neuroncore":
      return a.vendor === "aws" ? a.count : 0;
    default:
      return 0;
  }
}

/** The well-known labels Karpenter gives a node of this type (the ones requirements select on). */
function labelsOf(entry: CatalogEntry): Record<string, string | number | undefined> {
  const [family = "", size = ""] = entry.instanceType.split(".");
  const category = /^[a-z]+/.exec(family)?.[0];
  const generation = /^[a-z]+(\d+)/.exec(family)?.[1];
  const a = entry.accelerator;
  const gpu = a.count > 0 && a.vendor !== "aws";
  const shortName = a.model
    .replace(/^(NVIDIA|AMD|AWS|Habana)\s+/i, "")
    .split(/\s+/)[0]
    ?.toLowerCase();
  return {
    "node.kubernetes.io/instance-type": entry.instanceType,
    "beta.kubernetes.io/instance-type": entry.instanceType,
    "karpenter.k8s.aws/instance-family": family,
    "karpenter.k8s.aws/instance-category": category,
    "karpenter.k8s.aws/instance-generation": generation === undefined ? undefined : Number(generation),
    "karpenter.k8s.aws/instance-size": size,
    "karpenter.k8s.aws/instance-cpu": entry.vcpu,
    "karpenter.k8s.aws/instance-memory": entry.memoryGiB * 1024,
    "karpenter.k8s.aws/instance-gpu-count": gpu ? a.count : undefined,
    "karpenter.k8s.aws/instance-gpu-name": gpu ? shortName : undefined,
    "karpenter.k8s.aws/instance-gpu-manufacturer": gpu ? a.vendor : undefined,
    "karpenter.k8s.aws/instance-gpu-memory": gpu ? a.memoryGiBEach * 1024 : undefined,
    "karpenter.k8s.aws/instance-accelerator-count": gpu ? undefined : a.count || undefined,
    "karpenter.k8s.aws/instance-accelerator-name": gpu || a.count === 0 ? undefined : shortName,
    "karpenter.k8s.aws/instance-accelerator-manufacturer": gpu || a.count === 0 ? undefined : a.vendor,
  };
}

/** Whether a node of this type satisfies one requirement; keys Karpenter's AWS labels do not cover allow every type. */
function satisfies(labels: Record<string, string | number | undefined>, r: Requirement): boolean {
  if (typeof r.key !== "string" || !(r.key in labels)) return true;
  const label = labels[r.key];
  const values = Array.isArray(r.values) ? r.values.map(String) : [];
  const n = Number(values[0]);
  switch (r.operator) {
    case "In":
      return label !== undefined && values.includes(String(label));
    case "NotIn":
      return label === undefined || !values.includes(String(label));
    case "Exists":
      return label !== undefined;
    case "DoesNotExist":
      return label === undefined;
    case "Gt":
      return typeof label === "number" && label > n;
    case "Lt":
      return typeof label === "number" && label < n;
    case "Gte":
      return typeof label === "number" && label >= n;
    case "Lte":
      return typeof label === "number" && label <= n;
    default:
      return true;
  }
}

const record = (v: unknown): Record<string, unknown> | undefined =>
  v && typeof v === "object" && !Array.isArray(v) && !isUndecidable(v)
    ? (v as Record<string, unknown>)
    : undefined;

/**
 * A Karpenter NodePool launches nodes of any instance type its requirements allow, until its
 * `spec.limits` (cpu, memory, nvidia.com/gpu, aws.amazon.com/neuron, ...) are reached. The worst
 * case is the dearest allowed accelerator type, at as many nodes as the tightest limit that bounds
 * it allows (Karpenter may overshoot a limit by one node); a NodePool it can scale without bound is
 * a finding. It runs no node until pods need one: baseline 0.
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const base = blankEstimate(input, "gpu-compute");
  const spec = record(input.props.spec);
  if (!spec) return withStatus(base, "unknown", "spec is unknown", ["spec"]);
  const template = record(record(spec.template)?.spec);
  const rawRequirements = template?.requirements;
  if (isUndecidable(rawRequirements))
    return withStatus(base, "unknown", "spec.template.spec.requirements is unknown", [
      "spec.template.spec.requirements",
    ]);
  const requirements = (Array.isArray(rawRequirements) ? rawRequirements : []) as Requirement[];
  const assumptions: string[] = [];
  const decidable = requirements.filter((r) => {
    const unknown =
      isUndecidable(r.key) ||
      isUndecidable(r.operator) ||
      (Array.isArray(r.values) && r.values.some(isUndecidable)) ||
      isUndecidable(r.values);
    if (unknown)
      assumptions.push(
        `requirement ${String(r.key)} is unknown during preview: it is taken to allow every type`,
      );
    return !unknown;
  });
  // A node pool's region is its cluster's: the stack's, when its Kubernetes provider does not say.
  const resolved = resolveRegion(input, ctx);
  const region = ("decided" in resolved ? resolved.decided : fallbackRegion(ctx)).region;
  const accelerators = acceleratorTypes(ctx.pricer.catalog);
  const catalog = ctx.pricer.catalog;
  const universe = [...new Set(catalog.entries.filter((e) => e.service === "ec2").map((e) => e.instanceType))]
    .map((t) => catalog.specs(t)!)
    .filter(
      (e) => accelerators.isAccelerator(e.instanceType) && decidable.every((r) => satisfies(labelsOf(e), r)),
    );
  if (universe.length === 0)
    return notApplicable(input, "its requirements allow no accelerator instance type");
  const sold = (type: string) =>
    ctx.pricer.hourly({
      instanceType: type,
      region,
      service: "ec2",
      purchase: "on-demand",
      applySavingsPlan: false,
    }).priced;
  const allowed = universe.filter((e) => sold(e.instanceType));
  if (allowed.length === 0) {
    if (catalog.entries.some((e) => e.region === region))
      return notApplicable(
        input,
        `none of the accelerator types its requirements allow is sold on demand in ${region}`,
      );
    return {
      ...unpricedAs(
        base,
        `the price catalog has no prices for ${region}: the accelerator types its requirements allow cannot be priced`,
        { kind: "instance-rate", instanceType: universe[0]!.instanceType },
      ),
      instanceTypes: universe.map((e) => e.instanceType),
      unpricedTypes: universe.map((e) => e.instanceType),
    };
  }
  const capacity = decidable.find((r) => r.key === "karpenter.sh/capacity-type" && r.operator === "In");
  const spotOnly =
    Array.isArray(capacity?.values) &&
    capacity.values.length > 0 &&
    capacity.values.every((v) => v === "spot");

  const limitsRaw = spec.limits;
  const types = allowed.map((e) => e.instanceType);
  if (limitsRaw === undefined) {
    return {
      ...withStatus(
        base,
        "unknown",
        `spec.limits is not set: the NodePool may launch any number of nodes of ${types.join(", ")}`,
        ["spec.limits"],
      ),
      instanceTypes: types,
    };
  }
  const limits = record(limitsRaw);
  if (!limits)
    return {
      ...withStatus(base, "unknown", "spec.limits is unknown", ["spec.limits"]),
      instanceTypes: types,
    };
  const bounds: Array<{ resource: string; amount: number }> = [];
  for (const [resource, value] of Object.entries(limits)) {
    if (isUndecidable(value))
      return {
        ...withStatus(base, "unknown", `spec.limits.${resource} is unknown`, [`spec.limits.${resource}`]),
        instanceTypes: types,
      };
    const amount = quantity(value);
    if (amount === undefined)
      return withStatus(
        base,
        "unknown",
        `malformed properties: spec.limits.${resource}: ${JSON.stringify(value)} is not a quantity`,
      );
    bounds.push({ resource, amount });
  }
  const nodes = new Map<string, number>();
  for (const e of allowed) {
    const counts = bounds
      .map((b) => ({ b, per: resourceOf(e, b.resource) }))
      .filter((x) => x.per > 0)
      .map((x) => Math.ceil(x.b.amount / x.per));
    if (counts.length === 0) {
      return {
        ...withStatus(
          base,
          "unknown",
          `no limit in spec.limits (${Object.keys(limits).join(", ") || "none"}) bounds ${e.instanceType}, which its requirements allow: the NodePool may launch any number of them`,
          ["spec.limits"],
        ),
        instanceTypes: types,
      };
    }
    nodes.set(e.instanceType, Math.min(...counts));
  }
  assumptions.push(
    `allowed accelerator types in ${region}: ${types.join(", ")}; nodes per type: the tightest of spec.limits (${bounds.map((b) => `${b.resource} ${limits[b.resource]}`).join(", ")}), rounded up`,
    "no node runs until pods need one: baseline 0",
  );
  return estimateCompute(
    input,
    base,
    {
      service: "ec2",
      category: "gpu-compute",
      pools: [
        {
          instanceTypes: types,
          typeField: "spec.template.spec.requirements",
          offeredOnly: true,
          purchase: spotOnly ? "spot" : "on-demand",
          baselineCount: 0,
          worstCaseCount: 0,
          countsFor: (type) => ({ baseline: 0, worstCase: nodes.get(type) ?? 0 }),
        },
      ],
      assumptions,
    },
    ctx,
  );
}
