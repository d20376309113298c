import type { EnforcementLevel as Level } from "../src/policy/enforcement.js";
import { PROTO_ENFORCEMENT_LEVELS, wrapAnalyzerService } from "./policy-sdk.js";

/** Each policy's enforcement level as the engine configured it (the SDK keeps this to itself). */
export const configuredLevels = new Map<string, Level>();

interface ConfigureRequest {
  getPolicyconfigMap(): { entries(): Iterable<[string, { getEnforcementlevel(): number }]> };
}

/**
 * The audit trail must say whether a violation blocked or only warned, which depends on the level
 * the engine sent in Configure. @pulumi/policy does not expose it, so observe the Configure call
 * on its way in (the handler itself is untouched). Must run before `new PolicyPack`.
 */
export function observeConfiguredLevels(): void {
  wrapAnalyzerService((service, implementation) => {
    const configure = (implementation as Record<string, unknown>).configure as
      | ((call: { request: ConfigureRequest }, callback: unknown) => unknown)
      | undefined;
    if (configure) {
      implementation = {
        ...implementation,
        configure(call: { request: ConfigureRequest }, callback: unknown) {
          configuredLevels.clear();
          for (const [name, entry] of call.request.getPolicyconfigMap().entries()) {
            configuredLevels.set(name, PROTO_ENFORCEMENT_LEVELS[entry.getEnforcementlevel()] ?? "advisory");
          }
          return configure(call, callback);
        },
      };
    }
    return { service, implementation };
  });
}
