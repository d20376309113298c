import type { GateOptions, GateSession } from "../src/policy/session.js";
import {
  estimatorSettings,
  resolveSettings,
  SETTINGS_POLICY,
  type Settings,
} from "../src/settings/resolve.js";
import { wrapAnalyzerService } from "./policy-sdk.js";

interface Struct {
  toJavaScript(): unknown;
}
interface ConfigureRequest {
  getPolicyconfigMap(): { entries(): Iterable<[string, { getProperties(): Struct | undefined }]> };
}
type Callback = (error: unknown, response?: unknown) => void;

/** gRPC's INVALID_ARGUMENT: the engine stops with the message. */
const INVALID_ARGUMENT = 3;

/**
 * The pack's settings (src/settings/resolve.ts): from the environment alone while the module loads
 * (only where it makes the gate stricter), then from computeguard-settings in the policy config
 * when the engine's Configure hands it over, before any resource is analysed.
 */
let current: Settings | undefined;

export function packSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  // Gated from the start: `{}` is computeguard-settings at its defaults until Configure says more.
  current ??= resolveSettings({ policy: {}, env });
  return current;
}

/** The session's options: the pricing settings, and the stack identity the engine hands the pack. */
export function gateOptions(settings: Settings, env: NodeJS.ProcessEnv = process.env): GateOptions {
  return {
    ...estimatorSettings(settings),
    stack: env.PULUMI_NODEJS_STACK ?? env.PULUMI_STACK ?? "unknown-stack",
    // Set by the engine from the authenticated backend: waivers scoped to an organization rely on it.
    organization: env.PULUMI_NODEJS_ORGANIZATION ?? env.PULUMI_ORGANIZATION,
  };
}

/**
 * Resolves the settings again from each Configure's computeguard-settings and hands them to the
 * session. Settings that cannot be used (a price sheet that does not parse, a catalog that cannot
 * be read) fail Configure with the reason: the engine then stops, rather than pricing without
 * what the platform team configured. Relative paths are read from the pack's directory (its cwd).
 * Must run before `new PolicyPack`.
 */
export function observeSettings(session: GateSession, onChange: (settings: Settings) => void): void {
  wrapAnalyzerService((service, implementation) => {
    const configure = (implementation as Record<string, unknown>).configure as
      | ((call: { request: ConfigureRequest }, callback: unknown) => unknown)
      | undefined;
    if (!configure) return { service, implementation };
    return {
      service,
      implementation: {
        ...implementation,
        configure(call: { request: ConfigureRequest }, callback: unknown) {
          let policy: unknown = {};
          for (const [name, entry] of call.request.getPolicyconfigMap().entries()) {
            if (name === SETTINGS_POLICY) policy = entry.getProperties()?.toJavaScript() ?? {};
          }
          try {
            current = resolveSettings({ policy, policyDir: process.cwd() });
          } catch (error) {
            (callback as Callback)(
              Object.assign(new Error((error as Error).message), { code: INVALID_ARGUMENT }),
            );
            return;
          }
          session.reconfigure(estimatorSettings(current));
          onChange(current);
          return configure(call, callback);
        },
      },
    };
  });
}
