import { isUndecidable, UNDECIDABLE, type Undecidable } from "../../../unknown.js";

/** The settings block of each Studio app type, where its default instance type lives. */
const SETTINGS_OF: Record<string, string> = {
  JupyterServer: "jupyterServerAppSettings",
  KernelGateway: "kernelGatewayAppSettings",
  JupyterLab: "jupyterLabAppSettings",
  CodeEditor: "codeEditorAppSettings",
  RStudioServerPro: "rStudioServerProAppSettings",
};

export const APP_TYPES = Object.keys(SETTINGS_OF);

/**
 * The default instance type a Studio settings block (a space's spaceSettings) gives apps of this
 * type: `<app>AppSettings.defaultResourceSpec.instanceType`. UNDECIDABLE when it is unknown.
 */
export function defaultInstanceType(settings: unknown, appType: string): string | Undecidable | undefined {
  const block = SETTINGS_OF[appType];
  if (!block || !settings || typeof settings !== "object") return undefined;
  const spec = (settings as Record<string, { defaultResourceSpec?: { instanceType?: unknown } } | undefined>)[
    block
  ]?.defaultResourceSpec;
  const type = spec?.instanceType;
  if (type === undefined) return undefined;
  return typeof type === "string" && !isUndecidable(type) ? type : UNDECIDABLE;
}
