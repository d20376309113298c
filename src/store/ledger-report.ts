import { terminalText } from "../audit/format/terminal-text.js";
import { formatAmount, formatUsd, type Money, money } from "../money.js";
import { type BudgetLimits, spendTotals, totalOf } from "../policy/org-spend.js";
import type { LedgerEntry } from "./ledger-list.js";

/** One budget's use across the organisation's stacks, counted the way gpu-org-budget counts it. */
export interface BudgetUse {
  organization: string;
  /** null: spend carrying no team tag; "*": the whole organisation. */
  team: string | null;
  stacks: number;
  spend: Money;
  limit: Money | undefined;
}

export interface LedgerReport {
  basis: BudgetLimits["basis"];
  entries: LedgerEntry[];
  budgets: BudgetUse[];
}

const ALL_TEAMS = "*";

/** Per organisation: each team's total, then (unless the listing is one team's) the organisation's. */
export function ledgerReport(
  entries: LedgerEntry[],
  limits: BudgetLimits,
  options: { team?: string } = {},
): LedgerReport {
  const budgets: BudgetUse[] = [];
  const organizations = [...new Set(entries.map((e) => e.organization))].sort();
  for (const organization of organizations) {
    const totals = spendTotals(
      entries.filter((e) => e.organization === organization),
      limits.basis,
    );
    const teams = [...totals.teams.keys()].sort((a, b) => (a ?? "").localeCompare(b ?? ""));
    for (const team of teams) {
      const contributions = totals.teams.get(team)!;
      const limit = team === null ? undefined : limits.teamLimitsUsd[team];
      budgets.push({
        organization,
        team,
        stacks: contributions.length,
        spend: totalOf(contributions),
        limit: limit === undefined ? undefined : money(limit),
      });
    }
    if (options.team === undefined) {
      budgets.push({
        organization,
        team: ALL_TEAMS,
        stacks: totals.organization.length,
        spend: totalOf(totals.organization),
        limit: limits.orgLimitUsd === undefined ? undefined : money(limits.orgLimitUsd),
      });
    }
  }
  return { basis: limits.basis, entries, budgets };
}

function teamLabel(team: string | null): string {
  if (team === ALL_TEAMS) return "(all teams)";
  return team === null ? "(untagged)" : team;
}

function usedPercent(use: BudgetUse): string | null {
  if (!use.limit) return null;
  if (use.limit.isZero()) return use.spend.isZero() ? "0.0" : "over";
  return use.spend.times(100).dividedBy(use.limit).toFixed(1);
}

/** The `computeguard.ledger/v1` document: money as decimal strings. */
export function ledgerJson(report: LedgerReport): string {
  return `${JSON.stringify(
    {
      schema: "computeguard.ledger/v1",
      basis: report.basis,
      entries: report.entries.map((e) => ({
        organization: e.organization,
        stack: e.stack,
        team: e.team,
        state: e.state,
        monthlyBaseline: formatAmount(e.monthlyBaseline),
        monthlyWorstCase: formatAmount(e.monthlyWorstCase),
        packVersion: e.packVersion,
        updatedAt: e.updatedAt.toISOString(),
        expiresAt: e.expiresAt ? e.expiresAt.toISOString() : null,
      })),
      budgets: report.budgets.map((b) => ({
        organization: b.organization,
        scope: b.team === ALL_TEAMS ? "organization" : "team",
        team: b.team === ALL_TEAMS ? null : b.team,
        stacks: b.stacks,
        monthlySpend: formatAmount(b.spend),
        monthlyLimit: b.limit ? formatAmount(b.limit) : null,
        usedPercent: usedPercent(b),
      })),
    },
    null,
    2,
  )}\n`;
}

export function ledgerTable(report: LedgerReport): string {
  if (report.entries.length === 0) return "No spend recorded.\n";
  const entries = table(
    ["ORGANIZATION", "TEAM", "STACK", "STATE", "BASELINE/MO", "WORST CASE/MO", "UPDATED"],
    report.entries.map((e) => [
      e.organization,
      teamLabel(e.team),
      e.stack,
      e.state === "pending" ? "claimed" : "recorded",
      formatUsd(e.monthlyBaseline),
      formatUsd(e.monthlyWorstCase),
      e.updatedAt.toISOString().replace(/\.\d+Z$/, "Z"),
    ]),
  );
  const budgets = table(
    ["ORGANIZATION", "TEAM", "STACKS", "SPEND/MO", "LIMIT/MO", "USED"],
    report.budgets.map((b) => {
      const used = usedPercent(b);
      return [
        b.organization,
        teamLabel(b.team),
        String(b.stacks),
        formatUsd(b.spend),
        b.limit ? formatUsd(b.limit) : "-",
        used === null ? "-" : used === "over" ? "over" : `${used}%`,
      ];
    }),
  );
  const rows = report.entries.length;
  return (
    `${entries}${rows} row${rows === 1 ? "" : "s"}\n\n` +
    `Budgets (${report.basis}; a stack with an update in flight counts the larger of its claim and its recorded spend)\n` +
    budgets
  );
}

function table(header: string[], rows: string[][]): string {
  const all = [header, ...rows.map((r) => r.map((cell) => terminalText(cell)))];
  const widths = header.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  return `${all
    .map((r) =>
      r
        .map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!)))
        .join("  ")
        .trimEnd(),
    )
    .join("\n")}\n`;
}
