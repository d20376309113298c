import { describe, expect, it } from "vitest";
import {
  analyzeDiagnostics,
  assertVerifiedPolicySdk,
  installedPolicySdkVersion,
  VERIFIED_POLICY_SDK_VERSIONS,
} from "../../policypack/policy-sdk.js";

describe("the @pulumi/policy internals the pack relies on", () => {
  it("were verified against the installed SDK", () => {
    expect(VERIFIED_POLICY_SDK_VERSIONS).toContain(installedPolicySdkVersion());
    expect(() => assertVerifiedPolicySdk()).not.toThrow();
  });

  it("refuse to start on an SDK they were not verified on, naming both versions", () => {
    expect(() => assertVerifiedPolicySdk("1.22.0")).toThrow(
      /verified with @pulumi\/policy 1\.21\.0, but 1\.22\.0 is installed/,
    );
  });

  it("encode a diagnostic the pack adds to a response as the SDK's own builder does", () => {
    const [d] = analyzeDiagnostics([
      {
        policyName: "gpu-resource-budget",
        policyPackName: "computeguard",
        policyPackVersion: "0.1.0",
        description: "Per-resource budget",
        message: "the audit record of this decision could not be written: disk full",
        urn: "urn:pulumi:prod::ml::aws:ec2/instance:Instance::big",
        enforcementLevel: "mandatory",
        severity: "high",
      },
    ]) as Array<Record<string, () => unknown>>;
    expect(d!.getPolicyname!()).toBe("gpu-resource-budget");
    expect(d!.getPolicypackname!()).toBe("computeguard");
    expect(d!.getPolicypackversion!()).toBe("0.1.0");
    expect(d!.getUrn!()).toBe("urn:pulumi:prod::ml::aws:ec2/instance:Instance::big");
    expect(d!.getMessage!()).toContain("disk full");
    expect(d!.getEnforcementlevel!()).toBe(1); // MANDATORY in the analyzer proto
    expect(d!.getSeverity!()).toBe(3); // HIGH
  });
});
