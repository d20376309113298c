import { formatAmount, money } from "../money.js";
import type { LedgerSpend, OrgSpend, StackRef, TeamSpend } from "../policy/org-spend.js";
import type { Sql, StoreConnection } from "./connection.js";

export interface ClaimOptions {
  packVersion: string;
  /** A claim no update settles (the runner crashed) stops counting after this long. */
  ttlSeconds: number;
}

/** What the gate decided inside the claim: its result, and whether the projection may be claimed. */
export interface ClaimDecision<T> {
  result: T;
  claim: boolean;
}

/** The ledger stores "no team" as '' so it can be part of the primary key. */
const NO_TEAM = "";

/**
 * The other stacks' spend as it stands (recorded spend and unexpired claims), read without a
 * lock: what a preview judges against. Never writes.
 */
export async function readOtherStacksSpend(conn: StoreConnection, ref: StackRef): Promise<OrgSpend> {
  return conn.transaction((sql) => otherStacksSpend(sql, ref));
}

/**
 * The per-resource step of an update. Under the organisation's lock (so two stacks' claims
 * are judged one after the other, never against the same picture): drop lapsed claims, read
 * the other stacks' spend, let the gate judge, and when it lets the resource through, replace
 * this stack's claim with its running projection. A later update sees the claim and counts it.
 */
export async function claimStackSpend<T>(
  conn: StoreConnection,
  ref: StackRef,
  projection: readonly TeamSpend[],
  options: ClaimOptions,
  judge: (spend: OrgSpend) => ClaimDecision<T>,
): Promise<T> {
  return conn.transaction(async (sql) => {
    await lockOrganization(sql, ref.organization);
    await sql.query(
      "DELETE FROM computeguard.stack_spend WHERE organization = $1 AND state = 'pending' AND expires_at <= now()",
      [ref.organization],
    );
    const decision = judge(await otherStacksSpend(sql, ref));
    if (decision.claim) {
      await deleteRows(sql, ref, "pending");
      await insertRows(sql, ref, "pending", projection, options.packVersion, options.ttlSeconds);
    }
    return decision.result;
  });
}

/**
 * The end of an update (AnalyzeStack): the stack's spend is now `projection`, recorded; its
 * claim is released. An empty projection (a destroyed or emptied stack) leaves no rows: zero.
 * Judged against the other stacks under the same lock, so the verdict matches what is recorded.
 */
export async function recordStackSpend<T>(
  conn: StoreConnection,
  ref: StackRef,
  projection: readonly TeamSpend[],
  options: Pick<ClaimOptions, "packVersion">,
  judge: (spend: OrgSpend) => T,
): Promise<T> {
  return conn.transaction(async (sql) => {
    await lockOrganization(sql, ref.organization);
    const result = judge(await otherStacksSpend(sql, ref));
    await deleteRows(sql, ref);
    await insertRows(sql, ref, "recorded", projection, options.packVersion);
    return result;
  });
}

/** Transaction-level advisory lock per organisation: released at commit or rollback, or when the session dies. */
async function lockOrganization(sql: Sql, organization: string): Promise<void> {
  await sql.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
    `computeguard.ledger/${organization}`,
  ]);
}

async function otherStacksSpend(sql: Sql, ref: StackRef): Promise<OrgSpend> {
  const rows = await sql.query<{
    project: string;
    stack: string;
    team: string;
    state: "recorded" | "pending";
    monthly_baseline: string;
    monthly_worst_case: string;
  }>(
    `SELECT project, stack, team, state, monthly_baseline, monthly_worst_case
     FROM computeguard.stack_spend
     WHERE organization = $1 AND NOT (project = $2 AND stack = $3)
       AND (state = 'recorded' OR expires_at > now())
     ORDER BY project, stack, team, state`,
    [ref.organization, ref.project, ref.stack],
  );
  const otherStacks: LedgerSpend[] = rows.map((r) => ({
    stack: `${r.project}/${r.stack}`,
    team: r.team === NO_TEAM ? null : r.team,
    state: r.state,
    monthlyBaseline: money(r.monthly_baseline),
    monthlyWorstCase: money(r.monthly_worst_case),
  }));
  return { organization: ref.organization, otherStacks };
}

async function deleteRows(sql: Sql, ref: StackRef, state?: "pending"): Promise<void> {
  await sql.query(
    `DELETE FROM computeguard.stack_spend WHERE organization = $1 AND project = $2 AND stack = $3
     ${state ? "AND state = $4" : ""}`,
    state ? [ref.organization, ref.project, ref.stack, state] : [ref.organization, ref.project, ref.stack],
  );
}

async function insertRows(
  sql: Sql,
  ref: StackRef,
  state: "recorded" | "pending",
  projection: readonly TeamSpend[],
  packVersion: string,
  ttlSeconds?: number,
): Promise<void> {
  const spending = projection.filter((t) => !t.monthlyBaseline.isZero() || !t.monthlyWorstCase.isZero());
  if (spending.length === 0) return;
  await sql.query(
    `INSERT INTO computeguard.stack_spend
       (organization, project, stack, team, state, monthly_baseline, monthly_worst_case, pack_version, updated_at, expires_at)
     SELECT $1, $2, $3, t.team, $4, t.baseline, t.worst_case, $5, now(),
            CASE WHEN $4 = 'pending' THEN now() + make_interval(secs => $6::double precision) END
     FROM unnest($7::text[], $8::numeric[], $9::numeric[]) AS t(team, baseline, worst_case)`,
    [
      ref.organization,
      ref.project,
      ref.stack,
      state,
      packVersion,
      ttlSeconds ?? 0,
      spending.map((t) => t.team ?? NO_TEAM),
      spending.map((t) => formatAmount(t.monthlyBaseline)),
      spending.map((t) => formatAmount(t.monthlyWorstCase)),
    ],
  );
}
