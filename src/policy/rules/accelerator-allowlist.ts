import { z } from "zod";
import { familyOf } from "../../pricing/pricer.js";
import { defineRule } from "../rule.js";
import type { Verdict } from "../verdict.js";
import { passed } from "./common.js";

const Config = z.strictObject({
  allowedInstanceFamilies: z
    .array(z.string().min(1))
    .default([])
    .describe("Instance families allowed (e.g. g6, p5); empty = any"),
  allowedAcceleratorModels: z
    .array(z.string().min(1))
    .default([])
    .describe("Accelerator models allowed (e.g. NVIDIA L4 24GB); empty = any"),
  maxAcceleratorsPerResource: z
    .number()
    .int()
    .min(0)
    .default(64)
    .describe("Most accelerators one resource may run at its maximum"),
});

export const acceleratorAllowlist = defineRule({
  name: "accelerator-allowlist",
  description:
    "Only approved instance families and accelerator models are used, and no resource runs more accelerators than allowed.",
  remediationSteps:
    "Pick an instance type from `allowedInstanceFamilies`/`allowedAcceleratorModels`, lower the count or scaling maximum, or ask the platform team to extend the allowlist.",
  severity: "medium",
  enforcementLevel: "mandatory",
  config: Config,
  // An unknown instance type costs at most the dearest type the allowlist lets through.
  boundingFamilies: (config) => config.allowedInstanceFamilies,
  checkResource(e, config) {
    if (e.status === "not-applicable") return [];
    const problems: string[] = [];
    const compute = e.instanceTypes.filter((t) => !t.startsWith("bedrock:"));
    if (config.allowedInstanceFamilies.length > 0) {
      const off = compute.filter((t) => !config.allowedInstanceFamilies.includes(familyOf(t)));
      if (off.length > 0)
        problems.push(
          `instance type ${off.join(", ")} is not in an allowed family (${config.allowedInstanceFamilies.join(", ")})`,
        );
    }
    if (
      config.allowedAcceleratorModels.length > 0 &&
      e.accelerators &&
      !config.allowedAcceleratorModels.includes(e.accelerators.model)
    ) {
      problems.push(
        `accelerator ${e.accelerators.model} is not allowed (${config.allowedAcceleratorModels.join(", ")})`,
      );
    }
    if (e.accelerators && e.accelerators.total > config.maxAcceleratorsPerResource) {
      problems.push(
        `${e.accelerators.total} accelerators at its maximum (${e.accelerators.perInstance} per instance) exceed ${config.maxAcceleratorsPerResource} per resource`,
      );
    }
    if (problems.length === 0)
      return compute.length > 0 ? [passed(this.name, e, `allowed: ${compute.join(", ")}`)] : [];
    const verdict: Verdict = {
      policy: this.name,
      decision: "blocked",
      urn: e.urn,
      resourceType: e.type,
      message: `${e.name}: ${problems.join("; ")}`,
    };
    return [verdict];
  },
});
