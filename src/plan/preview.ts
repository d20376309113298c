import type { ResourceInput } from "../estimate/types.js";
import { nameFromUrn, type ResourceState, toResourceInput } from "../inputs/stack-export.js";
import { isUndecidable } from "../unknown.js";
import {
  type ChangeKind,
  carriesNewState,
  foldChange,
  hasRunningOldState,
  isAlreadyRunning,
  isPreviewOperation,
  isUnchanging,
  keepsRunning,
  leavesNewState,
  PREVIEW_OPERATIONS,
} from "./operations.js";
import {
  countChange,
  isCostCandidate,
  type PlannedResource,
  type ResourcePlan,
  stackOfUrn,
  typeOfUrn,
} from "./resource-plan.js";

type JsonObject = Record<string, unknown>;

/** The steps of one priced resource's URN (a replacement has up to three). */
interface StepGroup {
  urn: string;
  type: string;
  change: ChangeKind;
  oldState?: JsonObject;
  newState?: JsonObject;
  stepProvider?: string;
  /** Read or imported: running before the deployment, whatever the state says. */
  alreadyRunning?: boolean;
}

const PROVIDER_PREFIX = "pulumi:providers:";
const AWS_PROVIDER = "pulumi:providers:aws";

class PreviewShapeError extends Error {
  override name = "PreviewShapeError";
}

function fail(origin: string, problem: string): never {
  throw new PreviewShapeError(`${origin}: ${problem}`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string")
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return typeof value === "object" ? "an object" : `${typeof value} ${String(value)}`;
}

/** A resource state as the preview writes it; only the fields pricing reads are checked. */
function stateAt(value: unknown, at: string, origin: string): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) fail(origin, `${at}: expected a resource state object, got ${describe(value)}`);
  if (typeof value.type !== "string" || value.type === "")
    fail(origin, `${at}.type: expected a resource type string, got ${describe(value.type)}`);
  for (const field of ["inputs", "outputs", "propertyDependencies"]) {
    const v = value[field];
    if (v !== undefined && v !== null && !isObject(v))
      fail(origin, `${at}.${field}: expected an object, got ${describe(v)}`);
  }
  for (const field of ["provider", "id"]) {
    const v = value[field];
    if (v !== undefined && v !== null && typeof v !== "string")
      fail(origin, `${at}.${field}: expected a string, got ${describe(v)}`);
  }
  return value;
}

function dependenciesAt(state: JsonObject, at: string, origin: string): void {
  const deps = state.propertyDependencies;
  if (!isObject(deps)) return;
  for (const [key, urns] of Object.entries(deps)) {
    // Pulumi before ~3.100 writes `null` for a property with no dependencies.
    if (urns === null) continue;
    if (!Array.isArray(urns) || urns.some((u) => typeof u !== "string"))
      fail(origin, `${at}.propertyDependencies.${key}: expected an array of URN strings`);
  }
}

/** A provider's region, when it is known (not computed, not secret). */
function regionOf(state: JsonObject | undefined): string | undefined {
  if (!state) return undefined;
  const region =
    (state.inputs as JsonObject | undefined)?.region ?? (state.outputs as JsonObject | undefined)?.region;
  return typeof region === "string" && !isUndecidable(region) ? region : undefined;
}

function providerUrnOf(reference: string): string {
  return reference.split("::").slice(0, -1).join("::");
}

/**
 * A preview without --show-sames omits unchanged providers. The default AWS provider then takes
 * its region from the stack's `aws:region` config, which the preview does carry.
 */
function isDefaultAwsProvider(providerUrn: string): boolean {
  return typeOfUrn(providerUrn) === AWS_PROVIDER && nameFromUrn(providerUrn).startsWith("default");
}

class ProviderRegions {
  readonly regions = new Map<string, string>();
  private readonly inPlan = new Set<string>();

  constructor(private readonly configRegion: string | undefined) {}

  record(urn: string, state: JsonObject | undefined): void {
    if (!state) return;
    this.inPlan.add(urn);
    const region = regionOf(state);
    if (region) this.regions.set(urn, region);
  }

  /** The input for a resource state, its provider's region resolved (by URN: a new provider's id is unknown). */
  input(state: JsonObject, stepProvider: string | undefined): ResourceInput {
    const provider = typeof state.provider === "string" ? state.provider : stepProvider;
    if (provider && this.configRegion) {
      const urn = providerUrnOf(provider);
      if (!this.inPlan.has(urn) && isDefaultAwsProvider(urn)) this.regions.set(urn, this.configRegion);
    }
    const withProvider = provider === state.provider ? state : { ...state, provider };
    return toResourceInput(withProvider as ResourceState, this.regions);
  }
}

function configRegionOf(config: unknown): string | undefined {
  if (!isObject(config)) return undefined;
  const region = config["aws:region"];
  return typeof region === "string" && !isUndecidable(region) ? region : undefined;
}

function errorDiagnostics(diagnostics: unknown): number {
  if (!Array.isArray(diagnostics)) return 0;
  return diagnostics.filter((d) => isObject(d) && d.severity === "error").length;
}

function inOperationOrder(counts: Partial<Record<ChangeKind, number>>): Partial<Record<ChangeKind, number>> {
  const ordered: Partial<Record<ChangeKind, number>> = {};
  for (const op of PREVIEW_OPERATIONS) {
    const n = counts[op as ChangeKind];
    if (n !== undefined) ordered[op as ChangeKind] = n;
  }
  return ordered;
}

/**
 * Reads `pulumi preview --json` output. One pass over the steps; resource inputs are built only for
 * types a cost adapter prices (and providers, for regions), so a plan of 100,000 steps costs little
 * more than its JSON.parse.
 */
export function planFromPreview(doc: unknown, origin: string): ResourcePlan {
  if (!isObject(doc)) fail(origin, `expected pulumi preview --json output (an object), got ${describe(doc)}`);
  if ("deployment" in doc && !("steps" in doc))
    fail(
      origin,
      "this is a pulumi stack export, not pulumi preview --json output: pass it with --stack-export",
    );
  if (doc.steps === undefined && doc.changeSummary === undefined)
    fail(origin, "not pulumi preview --json output: it has neither steps nor changeSummary");
  const steps = doc.steps ?? [];
  if (!Array.isArray(steps)) fail(origin, `steps: expected an array, got ${describe(steps)}`);

  const groups = new Map<string, StepGroup>();
  const others = new Map<string, ChangeKind>();
  let stack: string | undefined;
  const configRegion = configRegionOf(doc.config);
  const oldProviders = new ProviderRegions(configRegion);
  const newProviders = new ProviderRegions(configRegion);
  let sameSteps = 0;
  let unchangedResourcesListed = false;

  for (let i = 0; i < steps.length; i++) {
    const step: unknown = steps[i];
    const at = `steps[${i}]`;
    if (!isObject(step)) fail(origin, `${at}: expected a step object, got ${describe(step)}`);
    const op = step.op;
    if (!isPreviewOperation(op)) {
      fail(
        origin,
        `${at}.op: ${typeof op === "string" ? `unknown operation "${op}"` : `expected an operation string, got ${describe(op)}`} (known: ${PREVIEW_OPERATIONS.join(", ")})`,
      );
    }
    const urn = step.urn;
    if (typeof urn !== "string" || urn === "")
      fail(origin, `${at}.urn: expected a URN string, got ${describe(urn)}`);
    const oldState = stateAt(step.oldState, `${at}.oldState`, origin);
    const newState = stateAt(step.newState, `${at}.newState`, origin);
    if (!newState && carriesNewState(op))
      fail(origin, `${at}.newState: missing on the ${op} step of ${urn}: nothing to price it by`);
    const type =
      (newState?.type as string | undefined) ?? (oldState?.type as string | undefined) ?? typeOfUrn(urn);
    if (!type) fail(origin, `${at}: no resource type in its states or its URN ${JSON.stringify(urn)}`);
    if (step.provider !== undefined && step.provider !== null && typeof step.provider !== "string")
      fail(origin, `${at}.provider: expected a string, got ${describe(step.provider)}`);

    if (op === "same") {
      sameSteps++;
      if (!type.startsWith("pulumi:")) unchangedResourcesListed = true;
    }
    if (type.startsWith(PROVIDER_PREFIX)) {
      if (hasRunningOldState(op)) oldProviders.record(urn, oldState);
      if (leavesNewState(op)) newProviders.record(urn, newState);
    }

    stack ??= stackOfUrn(urn);
    if (type.startsWith("pulumi:")) continue;
    if (!isCostCandidate(type, [newState, oldState])) {
      // Most of a big plan: only what its steps amount to is kept, for the counts.
      others.set(urn, foldChange(others.get(urn), op));
      continue;
    }
    let group = groups.get(urn);
    if (!group) {
      group = { urn, type, change: foldChange(undefined, op) };
      groups.set(urn, group);
    } else {
      group.change = foldChange(group.change, op);
    }
    for (const [state, where] of [
      [oldState, `${at}.oldState`],
      [newState, `${at}.newState`],
    ] as const) {
      if (state) dependenciesAt(state, where, origin);
    }
    if (oldState && hasRunningOldState(op)) group.oldState ??= oldState;
    if (newState && leavesNewState(op)) group.newState ??= newState;
    if (oldState && keepsRunning(op)) group.newState ??= oldState;
    if (isAlreadyRunning(op)) group.alreadyRunning = true;
    if (typeof step.provider === "string") group.stepProvider ??= step.provider;
  }

  const tally: Partial<Record<ChangeKind, number>> = {};
  let otherChanges = 0;
  for (const change of others.values()) {
    countChange(tally, change);
    if (!isUnchanging(change)) otherChanges++;
  }
  const resources: PlannedResource[] = [];
  for (const group of groups.values()) {
    countChange(tally, group.change);
    // A first read or an import has no old state, yet the resource ran before: existing spend.
    if (group.alreadyRunning && !group.oldState) group.oldState = group.newState;
    resources.push({
      urn: group.urn,
      type: group.type,
      name: nameFromUrn(group.urn),
      change: group.change,
      ...(group.oldState ? { before: oldProviders.input(group.oldState, group.stepProvider) } : {}),
      ...(group.newState ? { after: newProviders.input(group.newState, group.stepProvider) } : {}),
    });
  }

  const summary = isObject(doc.changeSummary) ? doc.changeSummary : undefined;
  // The summary omits an op with no resources: no "same" entry means nothing was left unchanged.
  const unchanged = summary ? (typeof summary.same === "number" ? summary.same : 0) : undefined;
  const wholeStack = unchanged !== undefined ? sameSteps >= unchanged : unchangedResourcesListed;
  const notes: string[] = [];
  if (!wholeStack) {
    notes.push(
      `the preview lists changed resources only${unchanged !== undefined ? ` (${unchanged - sameSteps} unchanged not shown)` : ""}: past and new totals and stack budgets cover what it lists; run \`pulumi preview --json --show-sames\` for whole-stack figures`,
    );
  }
  const errors = errorDiagnostics(doc.diagnostics);
  const incomplete =
    errors > 0
      ? `the preview failed with ${errors} error diagnostic(s): its plan is incomplete, so are these figures`
      : undefined;
  return {
    source: "preview",
    stack: stack ?? "",
    resources,
    changes: inOperationOrder(tally),
    otherChanges,
    coverage: wholeStack ? "whole-stack" : "changed-only",
    notes,
    ...(incomplete ? { incomplete } : {}),
    ...(configRegion ? { stackRegion: configRegion } : {}),
  };
}
