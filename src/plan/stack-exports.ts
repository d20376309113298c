import type { ResourceInput } from "../estimate/types.js";
import {
  isRunningCustomResource,
  providerRegions,
  stackExportStates,
  toResourceInput,
} from "../inputs/stack-export.js";
import type { ChangeKind } from "./operations.js";
import {
  countChange,
  isCostCandidate,
  type PlannedResource,
  type ResourcePlan,
  stackOfUrn,
} from "./resource-plan.js";

/** What happened to a resource between two exports: a new id at the same URN is a replacement. */
function changeBetween(before: ResourceInput, after: ResourceInput): ChangeKind {
  if (before.id && after.id && before.id !== after.id) return "replace";
  const same =
    before.providerRegion === after.providerRegion &&
    JSON.stringify(before.props) === JSON.stringify(after.props);
  return same ? "same" : "update";
}

interface ExportedResource {
  /** The URN, and for a copy awaiting deletion a mark: it is another resource at the same URN. */
  key: string;
  input: ResourceInput;
  /** Read from the cloud, not created by the stack. */
  external: boolean;
}

function exportedResources(json: unknown, origin: string): ExportedResource[] {
  const states = stackExportStates(json, origin);
  const regions = providerRegions(states);
  return states.filter(isRunningCustomResource).map((s) => ({
    key: s.delete ? `${s.urn}\u0000pending-deletion` : s.urn,
    input: toResourceInput(s, regions),
    external: s.external === true,
  }));
}

/**
 * Two `pulumi stack export` files as a plan: resources matched by URN, NEW's order first, then what
 * only OLD has (deleted). Both exports hold the whole stack.
 */
export function planFromStackExports(
  newer: unknown,
  older: unknown,
  origins: { newer: string; older: string },
): ResourcePlan {
  const after = exportedResources(newer, origins.newer);
  const before = exportedResources(older, origins.older);
  const beforeByKey = new Map(before.map((r) => [r.key, r.input]));
  const afterKeys = new Set(after.map((r) => r.key));

  const resources: PlannedResource[] = [];
  const changes: Partial<Record<ChangeKind, number>> = {};
  let otherChanges = 0;
  const add = (
    urn: string,
    type: string,
    name: string,
    change: ChangeKind,
    b?: ResourceInput,
    a?: ResourceInput,
  ) => {
    countChange(changes, change);
    if (
      !isCostCandidate(
        type,
        [b, a].map((r) => r && { inputs: r.props }),
      )
    ) {
      if (change !== "same") otherChanges++;
      return;
    }
    resources.push({ urn, type, name, change, ...(b ? { before: b } : {}), ...(a ? { after: a } : {}) });
  };
  for (const { key, input: a, external } of after) {
    const b = beforeByKey.get(key);
    if (b) add(a.urn, a.type, a.name, changeBetween(b, a), b, a);
    // A resource the stack newly reads was already running: existing spend on both sides.
    else if (external) add(a.urn, a.type, a.name, "read", a, a);
    else add(a.urn, a.type, a.name, "create", undefined, a);
  }
  for (const { key, input: b, external } of before) {
    if (afterKeys.has(key)) continue;
    // No longer read by the stack, yet still running: Pulumi discards it from the state only.
    if (external) add(b.urn, b.type, b.name, "discard", b, b);
    else add(b.urn, b.type, b.name, "delete", b, undefined);
  }
  const first = after[0]?.input.urn ?? before[0]?.input.urn;
  return {
    source: "stack-exports",
    stack: (first && stackOfUrn(first)) ?? "",
    resources,
    changes,
    otherChanges,
    coverage: "whole-stack",
    notes: [],
  };
}
