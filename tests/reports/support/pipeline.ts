import { readFileSync } from "node:fs";
import path from "node:path";
import type { EstimatorOptions } from "../../../src/estimate/estimator.js";
import { planFromPreview } from "../../../src/plan/preview.js";
import type { DeflationRates } from "../../../src/plan/projection.js";
import { planFromStackExports } from "../../../src/plan/stack-exports.js";
import type { FailOn } from "../../../src/policy/enforcement.js";
import { reconcilePolicyConfig } from "../../../src/policy/pack-config.js";
import type { DiffReport } from "../../../src/report/diff-model.js";
import { reportPlan } from "../../../src/report/diff-report.js";
import { ROOT } from "./cli.js";

export function readFixture(relative: string): unknown {
  return JSON.parse(readFileSync(path.join(ROOT, relative), "utf8"));
}

export interface ReportOptions {
  policyConfig?: unknown;
  failOn?: FailOn;
  estimator?: EstimatorOptions;
  deflation?: DeflationRates;
}

function gateOptions(options: ReportOptions) {
  return {
    ...(options.estimator ? { estimator: options.estimator } : {}),
    ...(options.policyConfig === undefined
      ? {}
      : { policies: reconcilePolicyConfig(options.policyConfig, "policy config") }),
    ...(options.failOn ? { failOn: options.failOn } : {}),
    ...(options.deflation ? { deflation: options.deflation } : {}),
  };
}

/** What `estimate --preview LABEL [--policy-config]` builds, in process. */
export function previewReport(doc: unknown, options: ReportOptions & { label?: string } = {}): DiffReport {
  const label = options.label ?? "plan.json";
  return reportPlan(planFromPreview(doc, `preview ${label}`), {
    source: { kind: "preview", preview: label },
    ...gateOptions(options),
  });
}

/** What `estimate --stack-export NEW --compare-to OLD` builds, in process. */
export function exportsReport(newer: string, older: string, options: ReportOptions = {}): DiffReport {
  const plan = planFromStackExports(readFixture(newer), readFixture(older), { newer, older });
  return reportPlan(plan, {
    source: { kind: "stack-exports", new: newer, old: older },
    ...gateOptions(options),
  });
}
