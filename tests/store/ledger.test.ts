import { performance } from "node:perf_hooks";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { money, ZERO } from "../../src/money.js";
import type { StackRef, TeamSpend } from "../../src/policy/org-spend.js";
import { gpuOrgBudget } from "../../src/policy/rules/gpu-org-budget.js";
import type { GateSession } from "../../src/policy/session.js";
import {
  claimStackSpend,
  readOtherStacksSpend,
  reclaimStackSpend,
  recordStackSpend,
} from "../../src/store/ledger.js";
import { instance, session } from "../policy/support.js";
import { skipReason, useDatabase } from "./support/database.js";

const db = useDatabase();

const P5_MONTH = money("40179.20");
const research = (usd = P5_MONTH): TeamSpend[] => [
  { team: "research", monthlyBaseline: usd, monthlyWorstCase: usd },
];
const ref = (stack: string, organization = "acme"): StackRef => ({ organization, project: "ml", stack });
const options = { packVersion: "0.1.0", ttlSeconds: 3600 };
const config = { teamLimitsUsd: { research: 60_000 } };

/** One runner's update: the pure rule judges a p5 against the ledger inside the claim transaction. */
function claimP5(conn: ReturnType<ReturnType<typeof db>["connect"]>, s: GateSession, stack: StackRef) {
  return claimStackSpend(conn, stack, research(), options, (spend) => {
    s.context.orgSpend = spend;
    const verdicts = s.resourceVerdicts(gpuOrgBudget, config, instance("trainer", "p5.48xlarge"));
    const blocked = verdicts.some((v) => v.decision === "blocked");
    return { result: !blocked, claim: !blocked };
  });
}

async function ledgerRows(): Promise<Array<{ stack: string; team: string; state: string; worst: string }>> {
  const { rows } = await db().admin.query(
    "SELECT stack, team, state, monthly_worst_case::text AS worst FROM computeguard.stack_spend ORDER BY stack, state, team",
  );
  return rows;
}

async function waitFor(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(skipReason)("spend ledger", () => {
  it("two updates that together exceed a team budget: exactly one passes, every time", async () => {
    const { admin, adminUrl } = db();
    const runners = [db().connect(), db().connect()];
    const sessions = [session({ stack: "a" }), session({ stack: "b" })];
    const holder = new pg.Client({ connectionString: adminUrl });
    await holder.connect();
    const winners: string[] = [];
    const durations: number[] = [];
    try {
      for (let trial = 0; trial < 20; trial++) {
        await admin.query("DELETE FROM computeguard.stack_spend");
        // Hold the organisation's lock until both claims are queued behind it: a true overlap.
        await holder.query("BEGIN");
        await holder.query("SELECT pg_advisory_xact_lock(hashtextextended('computeguard.ledger/acme', 0))");
        const started = performance.now();
        const claims = (["a", "b"] as const).map((stack, i) =>
          claimP5(runners[i]!, sessions[i]!, ref(stack)),
        );
        await waitFor(async () => {
          const { rows } = await admin.query(
            "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted",
          );
          return rows[0].n === 2;
        }, "both claims to wait on the organisation's lock");
        await holder.query("COMMIT");
        const passed = await Promise.all(claims);
        durations.push(performance.now() - started);
        expect(passed.filter(Boolean), `trial ${trial}`).toHaveLength(1);
        const rows = await ledgerRows();
        expect(rows, `trial ${trial}`).toEqual([
          { stack: passed[0] ? "a" : "b", team: "research", state: "pending", worst: "40179.20" },
        ]);
        winners.push(passed[0] ? "a" : "b");
      }
    } finally {
      await holder.end();
    }
    console.info(
      `ledger race (direct claims): 20 trials, 1 pass each; winners a=${winners.filter((w) => w === "a").length} b=${winners.filter((w) => w === "b").length}; ` +
        `median ${durations.sort((x, y) => x - y)[10]!.toFixed(0)} ms per trial`,
    );
  });

  it("a crashed update's claim stops counting once it lapses, and is cleared by the next claim", async () => {
    const { admin } = db();
    await admin.query("DELETE FROM computeguard.stack_spend");
    const conn = db().connect();
    expect(await claimP5(conn, session({ stack: "crashed" }), ref("crashed"))).toBe(true);
    expect(await claimP5(conn, session({ stack: "next" }), ref("next"))).toBe(false);
    await admin.query(
      "UPDATE computeguard.stack_spend SET expires_at = now() - interval '1 second' WHERE stack = 'crashed'",
    );
    const seen = await readOtherStacksSpend(conn, ref("next"));
    expect(seen.otherStacks).toEqual([]);
    expect(await claimP5(conn, session({ stack: "next" }), ref("next"))).toBe(true);
    expect((await ledgerRows()).map((r) => [r.stack, r.state])).toEqual([["next", "pending"]]);
  });

  it("settles an update: its claim becomes recorded spend; an emptied stack drops to zero", async () => {
    const { admin } = db();
    await admin.query("DELETE FROM computeguard.stack_spend");
    const conn = db().connect();
    const s = session({ stack: "prod" });
    expect(await claimP5(conn, s, ref("prod"))).toBe(true);
    const twoTeams: TeamSpend[] = [
      ...research(money("30000.10")),
      { team: null, monthlyBaseline: money("12.50"), monthlyWorstCase: money("99.99") },
      { team: "idle", monthlyBaseline: ZERO, monthlyWorstCase: ZERO },
    ];
    const seenBy = await recordStackSpend(
      conn,
      ref("prod"),
      twoTeams,
      options,
      (spend) => spend.otherStacks.length,
    );
    expect(seenBy).toBe(0);
    expect(await ledgerRows()).toEqual([
      { stack: "prod", team: "", state: "recorded", worst: "99.99" },
      { stack: "prod", team: "research", state: "recorded", worst: "30000.10" },
    ]);
    const elsewhere = await readOtherStacksSpend(conn, ref("other"));
    expect(
      elsewhere.otherStacks.map((r) => [r.stack, r.team, r.state, r.monthlyBaseline.toFixed(2)]),
    ).toEqual([
      ["ml/prod", null, "recorded", "12.50"],
      ["ml/prod", "research", "recorded", "30000.10"],
    ]);
    await recordStackSpend(conn, ref("prod"), [], options, () => undefined);
    expect(await ledgerRows()).toEqual([]);
  });

  it("a claim given back: a smaller projection replaces it, nothing left releases it, every change an event", async () => {
    const { admin } = db();
    await admin.query("DELETE FROM computeguard.stack_spend");
    const conn = db().connect();
    const two = research(money("80358.40"));
    const claimed = await claimStackSpend(conn, ref("giver"), two, options, () => ({
      result: true,
      claim: true,
    }));
    expect(claimed).toBe(true);
    expect(await ledgerRows()).toEqual([
      { stack: "giver", team: "research", state: "pending", worst: "80358.40" },
    ]);
    // One of the two resources was blocked by another policy: the claim shrinks to the other one at once.
    await reclaimStackSpend(conn, ref("giver"), research(), options);
    expect(await ledgerRows()).toEqual([
      { stack: "giver", team: "research", state: "pending", worst: "40179.20" },
    ]);
    expect(
      (await readOtherStacksSpend(conn, ref("taker"))).otherStacks.map((r) => r.monthlyWorstCase.toFixed(2)),
    ).toEqual(["40179.20"]);
    // Nothing left to claim: released, not held for the claim's two hours.
    await reclaimStackSpend(conn, ref("giver"), [], options);
    expect(await ledgerRows()).toEqual([]);
    expect((await readOtherStacksSpend(conn, ref("taker"))).otherStacks).toEqual([]);
    const { rows } = await admin.query(
      "SELECT event, teams FROM computeguard.spend_events WHERE stack = 'giver' ORDER BY id",
    );
    expect(rows).toEqual([
      {
        event: "claim",
        teams: [{ team: "research", monthlyBaseline: "80358.40", monthlyWorstCase: "80358.40" }],
      },
      {
        event: "claim",
        teams: [{ team: "research", monthlyBaseline: "40179.20", monthlyWorstCase: "40179.20" }],
      },
      { event: "release", teams: [] },
    ]);
  });

  it("keeps organisations apart", async () => {
    const { admin } = db();
    await admin.query("DELETE FROM computeguard.stack_spend");
    const conn = db().connect();
    await recordStackSpend(conn, ref("prod", "globex"), research(), options, () => undefined);
    expect((await readOtherStacksSpend(conn, ref("prod", "acme"))).otherStacks).toEqual([]);
    expect((await readOtherStacksSpend(conn, ref("dev", "globex"))).otherStacks).toHaveLength(1);
  });
});
