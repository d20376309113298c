import { money } from "../money.js";
import type { LedgerSpend } from "../policy/org-spend.js";
import type { StoreConnection } from "./connection.js";

/** One row of the spend ledger as `computeguard ledger list` shows it. */
export interface LedgerEntry extends LedgerSpend {
  organization: string;
  packVersion: string;
  updatedAt: Date;
  /** When a pending claim stops counting; null for recorded spend. */
  expiresAt: Date | null;
}

/** Every counting row (recorded spend, unexpired claims), by organisation, team, stack. */
export async function readLedger(
  conn: StoreConnection,
  filter: { organization?: string; team?: string } = {},
): Promise<LedgerEntry[]> {
  const rows = await conn.query<{
    organization: string;
    project: string;
    stack: string;
    team: string;
    state: "recorded" | "pending";
    monthly_baseline: string;
    monthly_worst_case: string;
    pack_version: string;
    updated_at: Date;
    expires_at: Date | null;
  }>(
    `SELECT organization, project, stack, team, state, monthly_baseline, monthly_worst_case,
            pack_version, updated_at, expires_at
     FROM computeguard.stack_spend
     WHERE (state = 'recorded' OR expires_at > now())
       AND ($1::text IS NULL OR organization = $1) AND ($2::text IS NULL OR team = $2)
     ORDER BY organization, team, project, stack, state DESC`,
    [filter.organization ?? null, filter.team ?? null],
  );
  return rows.map((r) => ({
    organization: r.organization,
    stack: `${r.project}/${r.stack}`,
    team: r.team === "" ? null : r.team,
    state: r.state,
    monthlyBaseline: money(r.monthly_baseline),
    monthlyWorstCase: money(r.monthly_worst_case),
    packVersion: r.pack_version,
    updatedAt: r.updated_at,
    expiresAt: r.expires_at,
  }));
}
