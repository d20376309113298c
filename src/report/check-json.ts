import { formatAmount, type Money } from "../money.js";
import { countOutcomes, enforce } from "../policy/enforcement.js";
import type { Finding } from "../policy/gate.js";
import { type CheckReport, exitCodeOf } from "./check-report.js";
import { resourceJson, totalsJson } from "./estimate-json.js";

/** Version tag of the JSON documents `computeguard check --format json` writes. */
export const CHECK_SCHEMA = "computeguard.check/v2";

function percent(value: Money | undefined): string | null {
  return value === undefined ? null : value.toFixed(2);
}

export function findingJson(f: Finding) {
  return {
    policy: f.policy,
    outcome: f.outcome,
    ruleDecision: f.decision,
    level: f.level,
    levelNote: enforce(f.policy, f.decision, f.level).note ?? null,
    phase: f.phase,
    urn: f.urn ?? null,
    resourceType: f.resourceType ?? null,
    message: f.message,
    projected: f.projected ? formatAmount(f.projected) : null,
    limit: f.limit ? formatAmount(f.limit) : null,
    budget: f.budget ?? null,
    marginPercent: percent(f.marginPercent),
    waiver: f.waiver
      ? {
          id: f.waiver.id,
          approvedBy: f.waiver.approvedBy,
          expires: f.waiver.expires,
          reason: f.waiver.reason,
        }
      : null,
  };
}

/** The machine form of a check: money and percentages as decimal strings, findings in evaluation order. */
export function checkJson(report: CheckReport) {
  const counts = countOutcomes(report.findings);
  const exitCode = exitCodeOf(report);
  return {
    schema: CHECK_SCHEMA,
    currency: "USD",
    project: report.project,
    stack: report.stack,
    program: report.program,
    catalogVersion: report.catalogVersion,
    hoursPerMonth: report.hoursPerMonth,
    priceSheet: report.priceSheet ?? null,
    outcome: exitCode === 0 ? "passed" : "blocked",
    exitCode,
    totals: totalsJson(report.totals),
    stackBudget: report.stackBudget
      ? {
          monthlyLimit: formatAmount(report.stackBudget.limit),
          basis: report.stackBudget.basis,
          warnAtPercent: report.stackBudget.warnAtPercent,
          usedPercent: percent(report.stackBudget.usedPercent),
        }
      : null,
    counts: { registered: report.registeredCount, judged: report.resources.length, findings: counts },
    resources: report.resources.map((r) => ({
      ...resourceJson(r.estimate),
      parent: r.registered?.parent ?? null,
      provider: r.registered?.provider ?? null,
      providerRegion: r.registered?.providerRegion ?? null,
      budgetSharePercent: percent(r.budgetSharePercent),
      marginPercent: percent(r.marginPercent),
      marginFloorPercent: percent(r.marginFloorPercent),
      outcome: r.outcome,
    })),
    findings: report.findings.map(findingJson),
    placeholderDataSources: report.placeholderDataSources,
    unexpandedComponents: report.unexpandedComponents.map((c) => ({
      urn: c.urn,
      type: c.type,
      name: c.name,
      computeFree: c.computeFree ?? null,
    })),
    summary: report.summary ?? null,
    audit: report.audit
      ? {
          log: report.audit.log,
          recorded: report.audit.recorded,
          head: report.audit.head ?? null,
          failures: report.audit.failures,
        }
      : null,
  };
}
