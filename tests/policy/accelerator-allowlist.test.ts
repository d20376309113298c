import { describe, expect, it } from "vitest";
import { acceleratorAllowlist } from "../../src/policy/rules/accelerator-allowlist.js";
import { check, findings, instance, nodeGroup } from "./support.js";

describe("accelerator-allowlist", () => {
  it("allows anything by default but caps accelerators per resource", () => {
    expect(findings(check(acceleratorAllowlist, {}, [instance("a", "p5.48xlarge")]))).toEqual([]);
    // 10 x p5.48xlarge at max = 80 H100s > 64.
    const big = nodeGroup("big", ["p5.48xlarge"], { minSize: 0, desiredSize: 1, maxSize: 10 });
    expect(findings(check(acceleratorAllowlist, {}, [big]))).toEqual([
      "blocked: big: 80 accelerators at its maximum (8 per instance) exceed 64 per resource",
    ]);
  });

  it("blocks families and accelerator models outside the allowlist", () => {
    const cfg = {
      allowedInstanceFamilies: ["g6", "g6e"],
      allowedAcceleratorModels: ["NVIDIA L4 24GB", "NVIDIA L40S 48GB"],
    };
    expect(
      findings(
        check(acceleratorAllowlist, cfg, [instance("ok", "g6.xlarge"), instance("ok2", "g6e.xlarge")]),
      ),
    ).toEqual([]);
    expect(findings(check(acceleratorAllowlist, cfg, [instance("h100", "p5.48xlarge")]))).toEqual([
      "blocked: h100: instance type p5.48xlarge is not in an allowed family (g6, g6e); accelerator NVIDIA H100 80GB (SXM) is not allowed (NVIDIA L4 24GB, NVIDIA L40S 48GB)",
    ]);
  });
});
