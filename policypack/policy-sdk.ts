import { createRequire } from "node:module";
import type * as Grpc from "@grpc/grpc-js";
import type { EnforcementLevel } from "../src/policy/enforcement.js";

/**
 * Every @pulumi/policy internal the pack relies on, in one place. The SDK exposes neither the
 * levels the engine configured, nor raw property values behind its unknown-throwing proxy, nor a
 * way to skip resources no policy prices; these reach past its public API. Each was verified
 * against the versions below, and the pack refuses to start on any other (a gate whose internals
 * silently stopped working would fail open).
 */
export const VERIFIED_POLICY_SDK_VERSIONS: readonly string[] = ["1.21.0"];

/**
 * Requires a module the way @pulumi/policy itself resolves it. The pack patches the gRPC server
 * and the SDK's deserializer, so it must reach the very instances the SDK uses, wherever the
 * pack's installer put them (an installed or published pack does not declare @grpc/grpc-js).
 */
const sdkEntry = createRequire(import.meta.url).resolve("@pulumi/policy");
export const requireAsPolicySdk = createRequire(sdkEntry);

/** Throws, naming both versions, when the installed @pulumi/policy is not one the internals were verified on. */
export function assertVerifiedPolicySdk(installed = installedPolicySdkVersion()): void {
  if (VERIFIED_POLICY_SDK_VERSIONS.includes(installed)) return;
  throw new Error(
    `computeguard's policy pack was verified with @pulumi/policy ${VERIFIED_POLICY_SDK_VERSIONS.join(", ")}, ` +
      `but ${installed} is installed: install a verified version (the pack's package.json pins it) so the gate cannot fail open`,
  );
}

export function installedPolicySdkVersion(): string {
  const manifest = requireAsPolicySdk("./package.json") as { version?: string };
  return String(manifest.version ?? "unknown").replace(/^v/, "");
}

/** The SDK's property proxy throws on unknowns (and then downgrades the policy); this key reads the raw values. */
export const PROXY_TARGET = "__getSpecialProxyTarget";

/** The analyzer proto's EnforcementLevel enum order (ADVISORY 0, MANDATORY 1, DISABLED 2, REMEDIATE 3). */
export const PROTO_ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = [
  "advisory",
  "mandatory",
  "disabled",
  "remediate",
];

type ServiceWrapper = (
  service: Grpc.ServiceDefinition,
  implementation: Grpc.UntypedServiceImplementation,
) => { service: Grpc.ServiceDefinition; implementation: Grpc.UntypedServiceImplementation };

/**
 * Wraps the Analyzer service the SDK registers with its gRPC server: the SDK builds the server
 * itself, so the handlers are reached through Server.prototype.addService. A wrapper added earlier
 * runs outside the ones added after it (it wraps the handlers they built): pack.ts adds the fast
 * path, which answers most requests unread, before the audit batch. Must run before `new PolicyPack`.
 */
export function wrapAnalyzerService(wrap: ServiceWrapper): void {
  const { Server } = requireAsPolicySdk("@grpc/grpc-js") as typeof Grpc;
  const addService = Server.prototype.addService;
  Server.prototype.addService = function (service, implementation) {
    const wrapped = wrap(service, implementation);
    return addService.call(this, wrapped.service, wrapped.implementation);
  };
}

type Deserialize = (struct: object | undefined, proxySecrets: boolean) => unknown;

/** The SDK's property deserializer as the SDK calls it now (after replaceDeserializeProperties). */
export function deserializeProperties(struct: object | undefined): Record<string, unknown> {
  const sdk = requireAsPolicySdk("./deserialize.js") as { deserializeProperties: Deserialize };
  return sdk.deserializeProperties(struct, false) as Record<string, unknown>;
}

/**
 * Replaces the SDK's property deserializer. The SDK calls it through its module's exports
 * (`@pulumi/policy/deserialize.js`), so replacing the export is enough.
 */
export function replaceDeserializeProperties(make: (original: Deserialize) => Deserialize): void {
  const sdk = requireAsPolicySdk("./deserialize.js") as { deserializeProperties: Deserialize };
  sdk.deserializeProperties = make(sdk.deserializeProperties);
}

/** A diagnostic as the SDK's reportViolation records it before encoding. */
export interface PolicyDiagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  message: string;
  urn?: string;
  enforcementLevel: "advisory" | "mandatory";
  severity?: string;
}

/**
 * Diagnostics encoded by the SDK's own response builder (`@pulumi/policy/protoutil.js`), for the
 * pack to add to a response the SDK built: the same message classes, levels and severities.
 */
export function analyzeDiagnostics(ds: readonly PolicyDiagnostic[]): unknown[] {
  const { makeAnalyzeResponse } = requireAsPolicySdk("./protoutil.js") as {
    makeAnalyzeResponse(
      ds: readonly PolicyDiagnostic[],
      notApplicable: undefined,
    ): {
      getDiagnosticsList(): unknown[];
    };
  };
  return makeAnalyzeResponse(ds, undefined).getDiagnosticsList();
}
