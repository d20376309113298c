import { sum } from "../money.js";
import { withStatus } from "./build.js";
import type { AcceleratorSummary, CostBreakdown, ResourceEstimate } from "./types.js";

/** One part of a resource that runs several (a CloudFormation stack's groups), estimated on its own. */
export interface EstimatePart {
  /** Said before its line items, assumptions and reasons, e.g. "NodeGroup". */
  label: string;
  /** Property path of the part, prefixed to its unknown fields, e.g. "templateBody.Resources.NodeGroup". */
  field: string;
  estimate: ResourceEstimate;
}

function labelled(label: string, b: CostBreakdown): CostBreakdown {
  return { ...b, lineItems: b.lineItems.map((l) => ({ ...l, description: `${label}: ${l.description}` })) };
}

function joined(parts: readonly EstimatePart[], pick: (e: ResourceEstimate) => CostBreakdown | undefined) {
  const items = parts.map((p) => {
    const b = pick(p.estimate);
    return b && labelled(p.label, b);
  });
  if (items.some((b) => b === undefined)) return undefined;
  const all = items as CostBreakdown[];
  return { total: sum(all.map((b) => b.total)), lineItems: all.flatMap((b) => b.lineItems) };
}

/**
 * The estimate of a resource made of parts: their line items side by side (labelled), their
 * findings together. A run-rate is given only when every costed part has one: a part that cannot
 * be bounded leaves the whole unbounded, never a partial total.
 */
export function combineEstimates(base: ResourceEstimate, parts: readonly EstimatePart[]): ResourceEstimate {
  const costed = parts.filter((p) => p.estimate.status !== "not-applicable");
  if (costed.length === 0) {
    const why = parts.map((p) => `${p.label}: ${p.estimate.reason ?? "not applicable"}`).join("; ");
    return withStatus({ ...base, category: "none" }, "not-applicable", why || "nothing that runs instances");
  }
  const first = costed[0]!.estimate;
  const status = costed.some((p) => p.estimate.status === "unpriced")
    ? "unpriced"
    : costed.some((p) => p.estimate.status === "unknown")
      ? "unknown"
      : "priced";
  const reasons = costed
    .filter((p) => p.estimate.status === status && p.estimate.reason)
    .map((p) => `${p.label}: ${p.estimate.reason}`);
  const onlyCosted = costed.length === 1 ? first : undefined;
  const monthly =
    costed.some((p) => p.estimate.monthly) && costed.every((p) => p.estimate.monthly || p.estimate.oneTime)
      ? {
          baseline: joined(
            costed.filter((p) => p.estimate.monthly),
            (e) => e.monthly?.baseline,
          )!,
          worstCase: joined(
            costed.filter((p) => p.estimate.monthly),
            (e) => e.monthly?.worstCase,
          )!,
        }
      : undefined;
  const oneTime =
    costed.some((p) => p.estimate.oneTime) && costed.every((p) => p.estimate.monthly || p.estimate.oneTime)
      ? joined(
          costed.filter((p) => p.estimate.oneTime),
          (e) => e.oneTime,
        )
      : undefined;
  const tripwire = costed.flatMap((p) => p.estimate.tripwire ?? []);
  const unpricedTypes = [...new Set(costed.flatMap((p) => p.estimate.unpricedTypes ?? []))];
  const accelerators = sumAccelerators(costed.map((p) => p.estimate.accelerators));
  // The first unpriced part says how to price the whole, as its reason comes first.
  const unpriced = costed.find((p) => p.estimate.status === "unpriced" && p.estimate.unpriced)?.estimate
    .unpriced;
  const prefixed = (fields: readonly string[] | undefined, field: string) =>
    (fields ?? []).map((f) => `${field}.${f}`);
  const unknownMaxima = costed.flatMap((p) => prefixed(p.estimate.unknownMaxima, p.field));
  return {
    ...base,
    status,
    ...(status === "priced" ? {} : { reason: reasons.join("; ") }),
    category: first.category,
    ...(first.region ? { region: first.region } : {}),
    ...(monthly ? { monthly } : {}),
    ...(oneTime ? { oneTime } : {}),
    instanceTypes: [...new Set(costed.flatMap((p) => p.estimate.instanceTypes))],
    ...(accelerators ? { accelerators } : {}),
    ...(onlyCosted?.scaling ? { scaling: onlyCosted.scaling } : {}),
    ...(onlyCosted?.linkedTo ? { linkedTo: onlyCosted.linkedTo } : {}),
    unknownFields: costed.flatMap((p) => prefixed(p.estimate.unknownFields, p.field)),
    ...(unknownMaxima.length ? { unknownMaxima } : {}),
    ...(status === "unpriced" && unpriced ? { unpriced } : {}),
    assumptions: [
      ...base.assumptions,
      ...costed.flatMap((p) => p.estimate.assumptions.map((a) => `${p.label}: ${a}`)),
    ],
    ...(tripwire.length ? { tripwire } : {}),
    ...(unpricedTypes.length ? { unpricedTypes } : {}),
  };
}

function sumAccelerators(
  list: ReadonlyArray<AcceleratorSummary | undefined>,
): AcceleratorSummary | undefined {
  const present = list.filter((a): a is AcceleratorSummary => a !== undefined);
  if (present.length === 0) return undefined;
  const top = present.reduce((a, b) => (b.perInstance > a.perInstance ? b : a));
  return { ...top, total: present.reduce((n, a) => n + a.total, 0) };
}
