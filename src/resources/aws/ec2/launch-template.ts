import { z } from "zod";
import { notApplicable } from "../../../estimate/build.js";
import type { PoolSpec } from "../../../estimate/compute.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { isKnown, orUnknown, readProps, Text } from "../../props.js";

export const TYPE = "aws:ec2/launchTemplate:LaunchTemplate";

const LaunchTemplateProps = z.object({ instanceType: orUnknown(Text).optional() }).passthrough();

/** A launch template runs nothing by itself; the group or instance that uses it is priced. */
export function estimate(input: ResourceInput, _ctx: EstimateContext): ResourceEstimate {
  return notApplicable(input, "a launch template costs nothing until a group or instance launches it");
}

export interface TemplateLookup {
  instanceType?: string;
  /** The reference is unknown (preview): the template is one of those analysed before it. */
  candidates?: string[];
  /** What to name when the type stays unknown. */
  field: string;
  /** Why the type is unknown, when it is: said in the estimate's reason. */
  why?: string;
  urn?: string;
}

/** The instance type a resource gets from the launch template it references. */
export function launchTemplateInstanceType(
  ref: unknown,
  from: ResourceInput,
  ctx: EstimateContext,
): TemplateLookup {
  const spec = (ref && typeof ref === "object" ? ref : {}) as { id?: unknown; name?: unknown };
  const template = ctx.links.launchTemplate(spec, from);
  if (!template && !ctx.links.complete) {
    // Created in this deployment, so analysed before the resource that references it.
    const candidates = ctx.links
      .launchTemplates()
      .map((t) => t.props.instanceType)
      .filter((t): t is string => typeof t === "string" && isKnown(t));
    if (candidates.length > 0) {
      return {
        candidates,
        field: "launchTemplate.id",
        why: "launchTemplate.id is unknown until the template exists",
      };
    }
  }
  if (!template) {
    return {
      field: "launchTemplate",
      why: ctx.links.complete
        ? "the referenced launch template is not in this stack, so its instance type is unknown"
        : "the referenced launch template is not known yet (it is resolved when the whole stack is analyzed)",
    };
  }
  const read = readProps(LaunchTemplateProps, template.props);
  if (read.ok && isKnown(read.value.instanceType)) {
    return { instanceType: read.value.instanceType, field: "launchTemplate.instanceType", urn: template.urn };
  }
  return {
    field: "launchTemplate.instanceType",
    why: `launch template ${template.name} has no known instanceType`,
    urn: template.urn,
  };
}

/** What a pool needs to say about a type it takes from a template it could not read. */
export function unknownTypeDetails(
  lookup: TemplateLookup,
): Pick<PoolSpec, "boundingTypes" | "unknownReason"> {
  return {
    ...(lookup.candidates ? { boundingTypes: lookup.candidates } : {}),
    ...(lookup.why ? { unknownReason: lookup.why } : {}),
  };
}
