import { describe, expect, it } from "vitest";
import { costAllocationTags } from "../../src/policy/rules/cost-allocation-tags.js";
import { check, findings, instance, resource } from "./support.js";

describe("cost-allocation-tags", () => {
  it("is advisory and names the missing tags", () => {
    expect(costAllocationTags.enforcementLevel).toBe("advisory");
    expect(
      findings(check(costAllocationTags, {}, [instance("a", "g5.xlarge", { tags: { team: "ml" } })])),
    ).toEqual(["blocked: a is missing tag(s): cost-center"]);
  });

  it("reads autoscaling-group tag lists and honours the configured tags", () => {
    const asg = resource("aws:autoscaling/group:Group", "g", {
      minSize: 0,
      maxSize: 1,
      mixedInstancesPolicy: { launchTemplate: { overrides: [{ instanceType: "g5.xlarge" }] } },
      tags: [{ key: "owner", value: "x", propagateAtLaunch: true }],
    });
    expect(findings(check(costAllocationTags, { requiredTags: ["owner"] }, [asg]))).toEqual([]);
  });

  it("ignores resources that are not GPU or inference", () => {
    expect(check(costAllocationTags, {}, [instance("web", "m7i.large", { tags: {} })])).toEqual([]);
  });
});
