import { embeddedCatalog } from "../catalog/catalog.js";
import type { ResourceInput } from "../estimate/types.js";
import { acceleratorTypes } from "../pricing/accelerator-types.js";
import { isPricedType } from "../resources/registry.js";
import { acceleratorMentions, describesOthers } from "../resources/tripwire.js";
import type { ChangeKind } from "./operations.js";

/** One resource the plan touches (or keeps), with its state before and after as the core reads it. */
export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  change: ChangeKind;
  /** The running resource before the deployment; absent for a create. */
  before?: ResourceInput;
  /** The resource after the deployment; absent for a delete. */
  after?: ResourceInput;
}

/**
 * "whole-stack": every resource of the stack is in the plan (a stack export, a preview run with
 * --show-sames). "changed-only": unchanged resources are missing, so totals cover the changes only.
 */
export type PlanCoverage = "whole-stack" | "changed-only";

/** What a deployment changes, from a preview or from two stack exports. */
export interface ResourcePlan {
  source: "preview" | "stack-exports";
  /** The stack named in the URNs ("" when the plan is empty). */
  stack: string;
  /** Resources whose type has a cost adapter, in plan order. Only these are ever priced. */
  resources: PlannedResource[];
  /** How many resources of every type change, by change kind (priced or not). */
  changes: Partial<Record<ChangeKind, number>>;
  /** Changed resources no adapter prices (buckets, roles, ...). */
  otherChanges: number;
  coverage: PlanCoverage;
  /** What the reader should know about the plan itself (missing sames). */
  notes: string[];
  /** Why the plan is incomplete (a preview that failed): the gate fails unless allowed. */
  incomplete?: string;
  /** The stack's `aws:region` config, when the plan carries it: where its default provider deploys. */
  stackRegion?: string;
}

/**
 * Only resources the core prices become resource inputs: types with an adapter, and resources the
 * tripwire catches (properties naming an accelerator type no adapter prices). Most of a big plan is
 * neither and is only counted.
 */
export function isCostCandidate(
  type: string,
  states: ReadonlyArray<{ custom?: unknown; inputs?: unknown; outputs?: unknown } | undefined>,
): boolean {
  if (isPricedType(type)) return true;
  const accelerators = acceleratorTypes(embeddedCatalog());
  return states.some(
    (s) =>
      s !== undefined &&
      !describesOthers({ type, custom: s.custom === false ? false : undefined }) &&
      (acceleratorMentions(s.inputs, accelerators).length > 0 ||
        acceleratorMentions(s.outputs, accelerators).length > 0),
  );
}

/** `urn:pulumi:<stack>::<project>::<type>::<name>` -> the stack. */
export function stackOfUrn(urn: string): string | undefined {
  return /^urn:pulumi:(.*?)::/.exec(urn)?.[1];
}

/** The type in a URN (the last `$`-separated segment of the parent-qualified type). */
export function typeOfUrn(urn: string): string | undefined {
  const parts = urn.split("::");
  if (parts.length < 4) return undefined;
  return parts[2]!.split("$").pop();
}

export function countChange(counts: Partial<Record<ChangeKind, number>>, change: ChangeKind): void {
  counts[change] = (counts[change] ?? 0) + 1;
}
