import { z } from "zod";
import type { ResourceInput } from "../estimate/types.js";
import { describeZodError } from "../validation.js";

/**
 * A resource state as Pulumi writes it (apitype ResourceV3; deployment versions 1-4 share the fields
 * read here). `null` is absence: older Pulumi writes `null` dependency lists, other tools `null` maps.
 */
const StateSchema = z
  .object({
    urn: z.string().min(1),
    type: z.string().min(1),
    id: z.string().nullish(),
    custom: z.boolean().nullish(),
    inputs: z.record(z.string(), z.unknown()).nullish(),
    outputs: z.record(z.string(), z.unknown()).nullish(),
    provider: z.string().nullish(),
    propertyDependencies: z.record(z.string(), z.array(z.string()).nullable()).nullish(),
    /** An old copy awaiting deletion after a create-before-delete replacement: still running. */
    delete: z.boolean().nullish(),
    /** Deleted already (delete-before-replace), its replacement not yet created: costs nothing. */
    pendingReplacement: z.boolean().nullish(),
    /** Read from the cloud (`get`, `read`), not managed by the stack: existing spend. */
    external: z.boolean().nullish(),
  })
  .passthrough();

/** Deployment versions Pulumi has written (v4 adds taint, hooks, views and `features`). */
const VERSIONS = [1, 2, 3, 4];

const StackExportSchema = z.object({
  version: z
    .number()
    .int()
    .refine((v) => VERSIONS.includes(v), { message: `expected a deployment version ${VERSIONS.join(", ")}` }),
  features: z.array(z.string()).nullish(),
  deployment: z.object({ resources: z.array(StateSchema).nullish() }).passthrough(),
});

export type ResourceState = z.infer<typeof StateSchema>;

/** `urn:pulumi:stack::project::type::name` -> name (the part after the last `::`). */
export function nameFromUrn(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i >= 0 ? urn.slice(i + 2) : urn;
}

/** Internal Pulumi resources (the stack, providers) carry no cost of their own. */
export function isPulumiInternal(type: string): boolean {
  return type.startsWith("pulumi:");
}

/** The region of each provider, by the `<urn>::<id>` reference resources use. */
export function providerRegions(states: readonly ResourceState[]): Map<string, string> {
  const regions = new Map<string, string>();
  for (const s of states) {
    if (!s.type.startsWith("pulumi:providers:aws")) continue;
    const region = s.inputs?.region ?? s.outputs?.region;
    if (typeof region === "string") {
      regions.set(`${s.urn}::${s.id ?? ""}`, region);
      regions.set(s.urn, region);
    }
  }
  return regions;
}

export function providerRegionOf(
  reference: string | null | undefined,
  regions: Map<string, string>,
): string | undefined {
  if (!reference) return undefined;
  return regions.get(reference) ?? regions.get(reference.split("::").slice(0, -1).join("::"));
}

/** Bookkeeping the engine and the bridged providers add to property maps; no resource property. */
const ENGINE_KEYS = new Set(["__defaults", "__meta"]);

/** Copy-on-write: objects without engine keys are shared, so a big plan is not deep-copied. */
function withoutEngineKeys(value: unknown): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const items = value.map(withoutEngineKeys);
    return items.some((w, i) => w !== value[i]) ? items : value;
  }
  const record = value as Record<string, unknown>;
  // A secret keeps its shape: the core reads it by its signature key.
  if ("4dabf18193072939515e22adb298388d" in record) return value;
  let changed = false;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(record)) {
    if (ENGINE_KEYS.has(key)) {
      changed = true;
      continue;
    }
    const w = withoutEngineKeys(v);
    if (w !== v) changed = true;
    out[key] = w;
  }
  return changed ? out : value;
}

/**
 * What the core reads of a state: outputs (what the provider reports), overlaid by the inputs the
 * program set. An input written as `null` is unset and does not hide the provider's output.
 */
export function stateProps(
  inputs: Record<string, unknown> | null | undefined,
  outputs: Record<string, unknown> | null | undefined,
): Record<string, unknown> {
  const props: Record<string, unknown> = { ...(outputs ?? {}) };
  for (const [key, value] of Object.entries(inputs ?? {})) {
    if (value !== null && value !== undefined) props[key] = value;
  }
  return withoutEngineKeys(props) as Record<string, unknown>;
}

/** `null` dependency lists (Pulumi before ~3.100) say nothing: dropped. */
function dependencies(
  deps: Record<string, string[] | null> | null | undefined,
): Record<string, string[]> | undefined {
  if (!deps) return undefined;
  const out: Record<string, string[]> = {};
  for (const [key, urns] of Object.entries(deps)) if (urns) out[key] = urns;
  return out;
}

export function toResourceInput(state: ResourceState, regions: Map<string, string>): ResourceInput {
  return {
    urn: state.urn,
    type: state.type,
    name: nameFromUrn(state.urn) + (state.delete ? " (pending deletion)" : ""),
    props: stateProps(state.inputs, state.outputs),
    id: state.id ?? undefined,
    providerRegion: providerRegionOf(state.provider, regions),
    propertyDependencies: dependencies(state.propertyDependencies),
  };
}

/** `{version, checkpoint}` is the backend's own file, not what `pulumi stack export` writes. */
function isRawCheckpoint(json: unknown): boolean {
  return (
    typeof json === "object" &&
    json !== null &&
    "checkpoint" in json &&
    !("deployment" in json) &&
    typeof (json as { checkpoint: unknown }).checkpoint === "object"
  );
}

function isPreview(json: unknown): boolean {
  return typeof json === "object" && json !== null && "steps" in json && !("deployment" in json);
}

/** The resource states of a stack export, checked; one line naming the file and field otherwise. */
export function stackExportStates(json: unknown, origin = "stack export"): ResourceState[] {
  if (isRawCheckpoint(json)) {
    throw new Error(
      `${origin}: this is a raw Pulumi state checkpoint (the backend's stack file), not a stack export: run \`pulumi stack export --file stack.json\` and pass that file`,
    );
  }
  if (isPreview(json)) {
    throw new Error(
      `${origin}: this is pulumi preview --json output, not a stack export: pass it with --preview`,
    );
  }
  const parsed = StackExportSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${origin}: not a pulumi stack export (${describeZodError(parsed.error)})`);
  }
  return parsed.data.deployment.resources ?? [];
}

/** Is this state a cloud resource running now? Components, the stack and providers cost nothing. */
export function isRunningCustomResource(s: ResourceState): boolean {
  return !isPulumiInternal(s.type) && s.custom !== false && s.pendingReplacement !== true;
}

/**
 * Reads `pulumi stack export` JSON into the core's resource inputs: running custom resources only.
 * A copy awaiting deletion (`delete: true`) still runs and is listed, named "(pending deletion)";
 * it comes first so that links by URN resolve to the live resource.
 */
export function parseStackExport(json: unknown, origin = "stack export"): ResourceInput[] {
  const states = stackExportStates(json, origin);
  const regions = providerRegions(states);
  const running = states.filter(isRunningCustomResource);
  return [...running.filter((s) => s.delete), ...running.filter((s) => !s.delete)].map((s) =>
    toResourceInput(s, regions),
  );
}
