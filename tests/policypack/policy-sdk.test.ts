import { describe, expect, it } from "vitest";
import {
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
});
