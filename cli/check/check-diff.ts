import type { EstimatorOptions } from "../../src/estimate/estimator.js";
import type { ResourceInput } from "../../src/estimate/types.js";
import { diffCosts } from "../../src/plan/cost-diff.js";
import type { GateResult } from "../../src/plan/gate.js";
import { DEFAULT_DEFLATION, projectSpend } from "../../src/plan/projection.js";
import { isCostCandidate, type ResourcePlan } from "../../src/plan/resource-plan.js";
import type { ActiveLevel, FailOn, Outcome } from "../../src/policy/enforcement.js";
import type { EffectivePolicy, Finding } from "../../src/policy/gate.js";
import { buildDiffReport, type DiffReport } from "../../src/report/diff-model.js";

/**
 * A check as the diff reports (markdown, html) read it: `check` sees no deployed state, so, like a
 * preview of a new stack, every resource the program registers is created. The verdicts are the
 * check's own (the same findings its table and JSON show), not judged a second time.
 */
export function checkAsDiff(args: {
  inputs: readonly ResourceInput[];
  stack: string;
  program: string;
  findings: readonly Finding[];
  counts: Record<Outcome, number>;
  policies: readonly EffectivePolicy[];
  failOn: FailOn;
  failed: boolean;
  estimator: EstimatorOptions & { priceSheetName?: string };
}): DiffReport {
  const priced = args.inputs.filter((i) => isCostCandidate(i.type, [{ custom: i.custom, inputs: i.props }]));
  const plan: ResourcePlan = {
    source: "preview",
    stack: args.stack,
    resources: priced.map((i) => ({ urn: i.urn, type: i.type, name: i.name, change: "create", after: i })),
    changes: { create: args.inputs.length },
    otherChanges: args.inputs.length - priced.length,
    coverage: "whole-stack",
    notes: [],
  };
  const diff = diffCosts(plan, args.estimator);
  const gate: GateResult = {
    policies: args.policies
      .filter((p): p is EffectivePolicy & { level: ActiveLevel } => p.level !== "disabled")
      .map((p) => ({ name: p.rule.name, level: p.level })),
    verdicts: [...args.findings],
    counts: args.counts,
    failOn: args.failOn,
    failed: args.failed,
  };
  return buildDiffReport({
    diff,
    gate,
    projection: projectSpend(diff.pastEstimates, diff.newEstimates, DEFAULT_DEFLATION),
    source: { kind: "program", program: args.program },
    priceSheet: args.estimator.priceSheetName,
  });
}
