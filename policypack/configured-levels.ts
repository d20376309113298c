import type * as Grpc from "@grpc/grpc-js";
import type { EnforcementLevel as Level } from "../src/policy/enforcement.js";
import { requireAsPolicySdk } from "./policy-sdk.js";

/** The proto's enum order (ADVISORY 0, MANDATORY 1, DISABLED 2, REMEDIATE 3). */
const LEVELS: Level[] = ["advisory", "mandatory", "disabled", "remediate"];

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
  const { Server } = requireAsPolicySdk("@grpc/grpc-js") as typeof Grpc;
  const addService = Server.prototype.addService;
  Server.prototype.addService = function (service, implementation) {
    const configure = (implementation as Record<string, unknown>).configure as
      | ((call: { request: ConfigureRequest }, callback: unknown) => unknown)
      | undefined;
    if (configure) {
      implementation = {
        ...implementation,
        configure(call: { request: ConfigureRequest }, callback: unknown) {
          configuredLevels.clear();
          for (const [name, entry] of call.request.getPolicyconfigMap().entries()) {
            configuredLevels.set(name, LEVELS[entry.getEnforcementlevel()] ?? "advisory");
          }
          return configure(call, callback);
        },
      };
    }
    return addService.call(this, service, implementation);
  };
}
