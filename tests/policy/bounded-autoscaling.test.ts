import { describe, expect, it } from "vitest";
import { boundedAutoscaling } from "../../src/policy/rules/bounded-autoscaling.js";
import { UNKNOWN } from "../../src/unknown.js";
import { check, findings, nodeGroup, resource } from "./support.js";

describe("bounded-autoscaling", () => {
  it("passes a maximum within the limit and blocks one above it", () => {
    expect(
      findings(
        check(boundedAutoscaling, {}, [
          nodeGroup("ok", ["g6.xlarge"], { minSize: 0, desiredSize: 1, maxSize: 16 }),
        ]),
      ),
    ).toEqual([]);
    expect(
      findings(
        check(boundedAutoscaling, { maxInstances: 4 }, [
          nodeGroup("wide", ["g6.xlarge"], { minSize: 0, desiredSize: 1, maxSize: 5 }),
        ]),
      ),
    ).toEqual(["blocked: wide may scale to 5 instances, over the 4 allowed"]);
  });

  it("blocks a maximum that is unknown at deploy time", () => {
    const v = check(boundedAutoscaling, {}, [
      nodeGroup("later", ["g6.xlarge"], { minSize: 0, desiredSize: 1, maxSize: UNKNOWN }),
    ]);
    expect(findings(v)).toEqual([
      "blocked: later: scalingConfig.maxSize is unknown, so the scaler's maximum cannot be checked before deploy",
    ]);
  });

  it("judges SageMaker scaling targets and ignores other namespaces", () => {
    const target = (max: number, dimension = "sagemaker:variant:DesiredInstanceCount") =>
      resource("aws:appautoscaling/target:Target", "t", {
        resourceId: "endpoint/e/variant/v",
        scalableDimension: dimension,
        minCapacity: 1,
        maxCapacity: max,
      });
    expect(findings(check(boundedAutoscaling, {}, [target(40)]))).toEqual([
      "blocked: t may scale to 40 instances, over the 16 allowed",
    ]);
    expect(check(boundedAutoscaling, {}, [target(500, "ecs:service:DesiredCount")])).toEqual([]);
  });
});
