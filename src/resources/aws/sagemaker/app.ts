import { z } from "zod";
import { blankEstimate, malformed, notApplicable, withStatus } from "../../../estimate/build.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { UNDECIDABLE } from "../../../unknown.js";
import { isKnown, orUnknown, readProps, shown, Text } from "../../props.js";
import { oneSageMakerInstance } from "./notebook-instance.js";
import { TYPE as SPACE, STUDIO_APP } from "./space.js";
import { defaultInstanceType } from "./studio-settings.js";

export const TYPE = STUDIO_APP;
export const REFERENCES = { spaceName: [SPACE] };

const AppProps = z.object({
  appType: orUnknown(Text),
  spaceName: orUnknown(Text).optional(),
  domainId: z.unknown().optional(),
  resourceSpec: orUnknown(z.object({ instanceType: orUnknown(Text).optional() }).passthrough()).optional(),
});

/** The space the app runs in: by name (and domain, when both are known), or through its dependencies. */
function spaceOf(input: ResourceInput, spaceName: unknown, domainId: unknown, ctx: EstimateContext) {
  const byName = ctx.links
    .ofType(SPACE)
    .find(
      (s) =>
        typeof spaceName === "string" &&
        s.props.spaceName === spaceName &&
        (typeof domainId !== "string" ||
          typeof s.props.domainId !== "string" ||
          s.props.domainId === domainId),
    );
  return byName ?? ctx.links.referenced(input, SPACE, {});
}

/**
 * A SageMaker Studio app: one ml.* instance of its resourceSpec's type, always on until deleted.
 * Without its own type it runs at its space's default, which the space prices; with neither,
 * Studio's own default (ml.t3.medium, or the free system instance) has no accelerator.
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(AppProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const props = read.value;
  const base = blankEstimate(input, "gpu-compute");
  const spec = isKnown(props.resourceSpec) ? props.resourceSpec : undefined;
  if (props.resourceSpec === UNDECIDABLE)
    return withStatus(base, "unknown", "resourceSpec is unknown", ["resourceSpec"]);
  const own = spec?.instanceType;
  if (own === undefined) {
    const space =
      props.spaceName !== undefined ? spaceOf(input, props.spaceName, props.domainId, ctx) : undefined;
    if (space && isKnown(props.appType)) {
      const fromSpace = defaultInstanceType(space.props.spaceSettings, props.appType);
      return {
        ...notApplicable(
          input,
          `runs at space ${space.name}'s default instance type (${shown(fromSpace ?? "Studio's default")}), priced on the space`,
        ),
        linkedTo: space.urn,
      };
    }
    if (props.spaceName === UNDECIDABLE && !space)
      return withStatus(
        base,
        "unknown",
        "spaceName is unknown: the space whose default instance type it runs at cannot be found",
        ["spaceName"],
      );
    return notApplicable(
      input,
      "no resourceSpec.instanceType: Studio starts it on its default (ml.t3.medium, or the free system instance)",
    );
  }
  return oneSageMakerInstance(
    input,
    isKnown(own) ? [own] : [],
    "resourceSpec.instanceType",
    "runs until the app is deleted: priced always on",
    ctx,
  );
}
