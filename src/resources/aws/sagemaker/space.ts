import { blankEstimate, notApplicable, withStatus } from "../../../estimate/build.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { isUndecidable, UNDECIDABLE } from "../../../unknown.js";
import { isKnown } from "../../props.js";
import { oneSageMakerInstance } from "./notebook-instance.js";
import { APP_TYPES, defaultInstanceType } from "./studio-settings.js";

export const TYPE = "aws:sagemaker/space:Space";
export const STUDIO_APP = "aws:sagemaker/app:App";

/** The app of a space that sets its own instance type: it is priced itself, and the space defers to it. */
function ownTypedApps(space: ResourceInput, ctx: EstimateContext): ResourceInput[] {
  const name = space.props.spaceName;
  return ctx.links.ofType(STUDIO_APP).filter((app) => {
    const spec = app.props.resourceSpec as { instanceType?: unknown } | undefined;
    return app.props.spaceName === name && typeof name === "string" && spec?.instanceType !== undefined;
  });
}

/**
 * A SageMaker Studio space: the JupyterLab or Code Editor app its owner starts from Studio runs at
 * the space's default instance type, outside this program. It is priced as that one app, always
 * on, unless an app of this stack that runs in the space sets its own type (then that app is).
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const settings = input.props.spaceSettings;
  const base = blankEstimate(input, "gpu-compute");
  if (isUndecidable(settings))
    return withStatus(base, "unknown", "spaceSettings is unknown", ["spaceSettings"]);
  const appType = (settings as { appType?: unknown } | undefined)?.appType;
  const types = (typeof appType === "string" && !isUndecidable(appType) ? [appType] : APP_TYPES).map(
    (t) => ({ app: t, type: defaultInstanceType(settings, t) }) as const,
  );
  const unknown = types.find((t) => t.type === UNDECIDABLE);
  if (unknown) {
    const field = `spaceSettings.${unknown.app.charAt(0).toLowerCase()}${unknown.app.slice(1)}AppSettings.defaultResourceSpec.instanceType`;
    return withStatus(base, "unknown", `${field} is unknown until the space is created`, [field]);
  }
  const named = [...new Set(types.flatMap((t) => (isKnown(t.type) ? [t.type] : [])))];
  if (named.length === 0)
    return notApplicable(input, "no default instance type: Studio starts its apps on ml.t3.medium");
  if (ctx.links.complete) {
    const apps = ownTypedApps(input, ctx);
    if (apps.length > 0) {
      return {
        ...notApplicable(
          input,
          `its app ${apps.map((a) => a.name).join(", ")} sets its own instance type and is priced itself`,
        ),
        linkedTo: apps[0]!.urn,
      };
    }
  }
  return oneSageMakerInstance(
    input,
    named,
    "spaceSettings.defaultResourceSpec.instanceType",
    "its owner's app (started from Studio) runs at the space's default instance type, priced always on",
    ctx,
  );
}
