import { z } from "zod";
import type { PoolSpec } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceInput } from "../../../estimate/types.js";
import { isUndecidable } from "../../../unknown.js";

export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
export const LAUNCH_CONFIGURATION = "aws:ec2/launchConfiguration:LaunchConfiguration";

/** What a group, instance or stack learned about the instance type a launch template/configuration gives it. */
export interface LaunchSource {
  instanceType?: string;
  /** A launch configuration with a spotPrice launches spot instances. */
  spot?: boolean;
  /**
   * The reference cannot be resolved, but the source is one of these types (the launch templates or
   * configurations of this deployment analysed so far, all with a known instance type).
   */
  candidates?: string[];
  /** The property path to name when the type stays unknown. */
  field: string;
  /** Why the type is unknown, when it is. */
  why?: string;
  urn?: string;
  /** Said in the estimate, e.g. that a version is taken to be the one analysed. */
  assumptions: string[];
}

/** A launch template reference as most types write it: `{id, name, version}`. */
export const TemplateRef = z
  .object({ id: z.unknown().optional(), name: z.unknown().optional(), version: z.unknown().optional() })
  .passthrough();

/** The same reference as EC2 Fleet, mixed instances policies and Batch write it. */
export const TemplateSpecification = z
  .object({
    launchTemplateId: z.unknown().optional(),
    launchTemplateName: z.unknown().optional(),
    version: z.unknown().optional(),
  })
  .passthrough();

/** An override of a fleet's template: a type (or attributes) and a weight. */
export const Override = z
  .object({
    instanceType: z.unknown().optional(),
    instanceRequirements: z.unknown().optional(),
    weightedCapacity: z.unknown().optional(),
  })
  .passthrough();

const known = (v: unknown): v is string => typeof v === "string" && !isUndecidable(v);

/**
 * The instance types these launch templates/configurations give, or undefined when one of them
 * cannot be read: an unknown type, or attribute-based selection (instanceRequirements, any type).
 * A template with neither supplies no type (the resource that uses it must).
 */
export function sourceTypes(sources: readonly ResourceInput[]): string[] | undefined {
  const found: string[] = [];
  for (const source of sources) {
    const instanceType = source.props.instanceType;
    if (instanceType === undefined) {
      if (source.props.instanceRequirements !== undefined) return undefined;
      continue;
    }
    if (!known(instanceType)) return undefined;
    found.push(instanceType);
  }
  return found;
}

/** Instance types of every source of these types seen so far, or undefined if one cannot be read. */
export function deploymentCandidates(ctx: EstimateContext, types: readonly string[]): string[] | undefined {
  return sourceTypes(types.flatMap((type) => ctx.links.ofType(type)));
}

function unresolved(
  field: string,
  idField: string,
  label: string,
  ctx: EstimateContext,
  types: readonly string[],
): LaunchSource {
  if (!ctx.links.complete) {
    // Created in this deployment, so analysed before the resource that references it.
    const candidates = deploymentCandidates(ctx, types);
    if (candidates && candidates.length > 0) {
      return {
        candidates: [...new Set(candidates)],
        field: idField,
        why: `${idField} is unknown until the ${label} exists`,
        assumptions: [
          `${idField} names no ${label} analysed so far: it is one of this deployment's (${[...new Set(candidates)].join(", ")})`,
        ],
      };
    }
  }
  return {
    field,
    why: ctx.links.complete
      ? `the referenced ${label} is not in this stack, so its instance type is unknown`
      : `the referenced ${label} is not known yet (it is resolved when the whole stack is analyzed)`,
    assumptions: [],
  };
}

/**
 * Whether the template version a reference runs is the version whose properties the gate sees (the
 * latest one this deployment leaves). A pinned older version may run another instance type.
 */
function versionSeen(
  version: unknown,
  template: ResourceInput,
  complete: boolean,
): { ok: true; assumption?: string } | { ok: false; why: string } {
  const latest = template.props.latestVersion;
  const deflt = template.props.defaultVersion;
  const latestKnown = typeof latest === "number";
  const changing = isUndecidable(latest); // a new version is created in this deployment
  const assumed = {
    ok: true as const,
    assumption: `launch template ${template.name}: the version launched is taken to be the one analysed${complete ? "" : " (checked when the whole stack is analyzed)"}`,
  };
  if (version === "$Latest") return { ok: true };
  if (isUndecidable(version)) {
    return {
      ok: true,
      assumption: `launch template ${template.name}: the version is unknown until the template exists; taken to be its latest`,
    };
  }
  if (version === undefined || version === "$Default") {
    if (template.props.updateDefaultVersion === true) return { ok: true };
    if (latestKnown && typeof deflt === "number") {
      return deflt === latest
        ? { ok: true }
        : {
            ok: false,
            why: `the group runs launch template ${template.name}'s default version ${deflt}, but the gate sees version ${latest}`,
          };
    }
    if (complete && changing && !isUndecidable(deflt))
      return {
        ok: false,
        why: `launch template ${template.name} gets a new version in this deployment, but its default version (which the group runs) does not follow it (updateDefaultVersion is not set)`,
      };
    return assumed;
  }
  const pinned = typeof version === "number" ? version : Number(version);
  if (!Number.isInteger(pinned))
    return { ok: false, why: `launchTemplate.version ${JSON.stringify(version)} is not a version` };
  if (latestKnown) {
    return pinned === latest
      ? { ok: true }
      : {
          ok: false,
          why: `the group is pinned to version ${pinned} of launch template ${template.name}, but the gate sees version ${latest}`,
        };
  }
  if (complete && changing)
    return {
      ok: false,
      why: `the group is pinned to version ${pinned} of launch template ${template.name}, which gets a new version in this deployment: the pinned version is not the one the gate sees`,
    };
  return assumed;
}

/** The instance type a resource gets from the launch template it references (`{id, name, version}`). */
export function fromLaunchTemplate(
  ref: { id?: unknown; name?: unknown; version?: unknown },
  from: ResourceInput,
  ctx: EstimateContext,
  field = "launchTemplate",
): LaunchSource {
  const template = ctx.links.referenced(from, LAUNCH_TEMPLATE, ref);
  if (!template) return unresolved(field, `${field}.id`, "launch template", ctx, [LAUNCH_TEMPLATE]);
  const seen = versionSeen(ref.version, template, ctx.links.complete);
  if (!seen.ok) return { field: `${field}.version`, why: seen.why, urn: template.urn, assumptions: [] };
  const assumptions = seen.assumption ? [seen.assumption] : [];
  const instanceType = template.props.instanceType;
  if (known(instanceType)) {
    return { instanceType, field: `${field}.instanceType`, urn: template.urn, assumptions };
  }
  return {
    field: `${field}.instanceType`,
    why: `launch template ${template.name} has no known instanceType`,
    urn: template.urn,
    assumptions,
  };
}

/** The instance type (and spot price) of the launch configuration a group or stack names. */
export function fromLaunchConfiguration(
  name: unknown,
  from: ResourceInput,
  ctx: EstimateContext,
  field = "launchConfiguration",
): LaunchSource {
  const config = ctx.links.referenced(from, LAUNCH_CONFIGURATION, { id: name, name });
  if (!config) return unresolved(field, field, "launch configuration", ctx, [LAUNCH_CONFIGURATION]);
  const instanceType = config.props.instanceType;
  const spotPrice = config.props.spotPrice;
  const spot = spotPrice !== undefined && spotPrice !== "";
  if (known(instanceType)) {
    return {
      instanceType,
      ...(spot ? { spot } : {}),
      field: `${field}.instanceType`,
      urn: config.urn,
      assumptions: spot ? [`launch configuration ${config.name} sets a spotPrice: spot instances`] : [],
    };
  }
  return {
    field: `${field}.instanceType`,
    why: `launch configuration ${config.name} has no known instanceType`,
    urn: config.urn,
    assumptions: [],
  };
}

/** What a pool needs to say about a type it takes from a source it could not read. */
export function unknownTypeDetails(source: LaunchSource): Pick<PoolSpec, "boundingTypes" | "unknownReason"> {
  return {
    ...(source.candidates ? { boundingTypes: source.candidates } : {}),
    ...(source.why ? { unknownReason: source.why } : {}),
  };
}
