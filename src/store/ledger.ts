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
 * are judged one after the other, never against the same picture): read the other stacks' spend
 * (lapsed claims do not count), let the gate judge, and when it lets the resource through, claim
 * the stack's running projection. A later update sees the claim and counts it.
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
    const decision = judge(await otherStacksSpend(sql, ref));
    if (decision.claim) await insertEvent(sql, ref, "claim", projection, options);
    return decision.result;
  });
}

/**
 * Replaces the stack's claim with `projection`, unjudged: what an update still claims once a
 * resource it counted was blocked (and so is never created). Nothing left to claim releases it.
 */
export async function reclaimStackSpend(
  conn: StoreConnection,
  ref: StackRef,
  projection: readonly TeamSpend[],
  options: ClaimOptions,
): Promise<void> {
  await conn.transaction(async (sql) => {
    await lockOrganization(sql, ref.organization);
    const event = spending(projection).length > 0 ? "claim" : "release";
    await insertEvent(sql, ref, event, projection, options);
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
    await insertEvent(sql, ref, "record", projection, options);
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

function spending(projection: readonly TeamSpend[]): TeamSpend[] {
  return projection.filter((t) => !t.monthlyBaseline.isZero() || !t.monthlyWorstCase.isZero());
}

/**
 * The app role can only insert: each change is an event the database applies to stack_spend
 * (see migration 003): a claim replaces the stack's claim, a record replaces everything the stack
 * had, a release drops its claim.
 */
async function insertEvent(
  sql: Sql,
  ref: StackRef,
  event: "claim" | "record" | "release",
  projection: readonly TeamSpend[],
  options: { packVersion: string; ttlSeconds?: number },
): Promise<void> {
  const teams = event === "release" ? [] : spending(projection);
  await sql.query(
    `INSERT INTO computeguard.spend_events
       (organization, project, stack, event, teams, claim_ttl_seconds, pack_version)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6, $7)`,
    [
      ref.organization,
      ref.project,
      ref.stack,
      event,
      JSON.stringify(
        teams.map((t) => ({
          team: t.team,
          monthlyBaseline: formatAmount(t.monthlyBaseline),
          monthlyWorstCase: formatAmount(t.monthlyWorstCase),
        })),
      ),
      event === "claim" ? (options.ttlSeconds ?? 0) : null,
      options.packVersion,
    ],
  );
}
