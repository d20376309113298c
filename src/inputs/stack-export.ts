import { z } from "zod";
import type { ResourceInput } from "../estimate/types.js";
import { describeZodError } from "../validation.js";

const StateSchema = z
  .object({
    urn: z.string().min(1),
    type: z.string().min(1),
    id: z.string().optional(),
    custom: z.boolean().optional(),
    inputs: z.record(z.string(), z.unknown()).optional(),
    outputs: z.record(z.string(), z.unknown()).optional(),
    provider: z.string().optional(),
    propertyDependencies: z.record(z.string(), z.array(z.string())).optional(),
  })
  .passthrough();

const StackExportSchema = z.object({
  version: z.number().int().min(1).max(3),
  deployment: z.object({ resources: z.array(StateSchema).optional() }).passthrough(),
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
  reference: string | undefined,
  regions: Map<string, string>,
): string | undefined {
  if (!reference) return undefined;
  return regions.get(reference) ?? regions.get(reference.split("::").slice(0, -1).join("::"));
}

export function toResourceInput(state: ResourceState, regions: Map<string, string>): ResourceInput {
  return {
    urn: state.urn,
    type: state.type,
    name: nameFromUrn(state.urn),
    props: { ...(state.outputs ?? {}), ...(state.inputs ?? {}) },
    id: state.id,
    providerRegion: providerRegionOf(state.provider, regions),
    propertyDependencies: state.propertyDependencies,
  };
}

/** Reads `pulumi stack export` JSON into the core's resource inputs (custom resources only). */
export function parseStackExport(json: unknown, origin = "stack export"): ResourceInput[] {
  const parsed = StackExportSchema.safeParse(json);
  if (!parsed.success) {
    throw new Error(`${origin}: not a pulumi stack export (${describeZodError(parsed.error)})`);
  }
  const states = parsed.data.deployment.resources ?? [];
  const regions = providerRegions(states);
  return states
    .filter((s) => !isPulumiInternal(s.type) && s.custom !== false)
    .map((s) => toResourceInput(s, regions));
}
