import type { ResourceInput } from "../estimate/types.js";
import { parseStackExport } from "../inputs/stack-export.js";
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

/**
 * Two `pulumi stack export` files as a plan: resources matched by URN, NEW's order first, then what
 * only OLD has (deleted). Both exports hold the whole stack.
 */
export function planFromStackExports(
  newer: unknown,
  older: unknown,
  origins: { newer: string; older: string },
): ResourcePlan {
  const after = parseStackExport(newer, origins.newer);
  const before = parseStackExport(older, origins.older);
  const beforeByUrn = new Map(before.map((r) => [r.urn, r]));
  const afterUrns = new Set(after.map((r) => r.urn));

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
  for (const a of after) {
    const b = beforeByUrn.get(a.urn);
    add(a.urn, a.type, a.name, b ? changeBetween(b, a) : "create", b, a);
  }
  for (const b of before) {
    if (!afterUrns.has(b.urn)) add(b.urn, b.type, b.name, "delete", b, undefined);
  }
  const first = after[0]?.urn ?? before[0]?.urn;
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
