/**
 * The pack's store front door (policypack/store.ts) in-process: every failure kind (down, a
 * socket that never answers, a held lock, a slow statement) in preview and update, with the
 * levels COMPUTEGUARD_STORE_ON_FAILURE and the policy's own level give, each within its timeout.
 */
import { createServer, type Server, type Socket } from "node:net";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PackLedger } from "../../policypack/store.js";
import { embeddedCatalog } from "../../src/catalog/catalog.js";
import type { AuditContext } from "../../src/policy/audit-draft.js";
import { gpuOrgBudget } from "../../src/policy/rules/gpu-org-budget.js";
import { pricingFacts } from "../../src/settings/digest.js";
import { StoreConnection, StoreFailure } from "../../src/store/connection.js";
import { storeSettings } from "../../src/store/settings.js";
import { instance, session } from "../policy/support.js";
import { skipReason, useDatabase } from "./support/database.js";
import { freePort } from "./support/postgres.js";

const db = useDatabase();
const config = { teamLimitsUsd: { research: 60_000 } };
const FAST = { COMPUTEGUARD_STORE_CONNECT_TIMEOUT_MS: "500", COMPUTEGUARD_STORE_STATEMENT_TIMEOUT_MS: "500" };

let silent: Server;
const sockets: Socket[] = [];
let urls: { down: string; hung: string };

beforeAll(async () => {
  silent = createServer((socket) => sockets.push(socket)); // accepts, never answers
  await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
  urls = {
    down: `postgres://runner@127.0.0.1:${await freePort()}/computeguard`,
    hung: `postgres://runner@127.0.0.1:${(silent.address() as { port: number }).port}/computeguard`,
  };
});
afterAll(() => {
  for (const s of sockets) s.destroy();
  silent?.close();
});

interface Case {
  url: () => string;
  operation: "preview" | "update";
  env?: Record<string, string>;
  policyLevel?: "advisory" | "mandatory";
  level: "advisory" | "mandatory";
  says: RegExp;
  /** The claim lifetime the pack's settings resolved (policypack/pack.ts hands it in). */
  claimTtlSeconds?: () => number;
}

/** One resource through gpu-org-budget's hook, as policy-from-rule calls it, timed. */
async function judgeOnce(
  c: Case,
  organization = "acme",
  afterResources: () => Promise<void> = async () => undefined,
) {
  const env = { ...FAST, COMPUTEGUARD_STORE_URL: c.url(), ...c.env };
  // Built on first use, as the pack does: a bad setting surfaces inside the hook.
  let conn: StoreConnection | undefined;
  const store = () => (conn ??= new StoreConnection(storeSettings(env)));
  const s = session({ stack: "prod" });
  const ctx: AuditContext = {
    organization,
    project: "ml",
    stack: "prod",
    operation: c.operation,
    catalogVersion: "2026-07-20",
    pricing: pricingFacts(embeddedCatalog(), undefined, 730),
    pack: { name: "computeguard", version: "0.1.0" },
  };
  const hooks = new PackLedger(s, () => ctx, store, env, undefined, c.claimTtlSeconds).hooks();
  const judge = async (name: string) => {
    const input = instance(name, "p5.48xlarge");
    const t0 = performance.now();
    const judged = await hooks.judgeResource!(c.policyLevel ?? "mandatory", input, config, () =>
      s.resourceVerdicts(gpuOrgBudget, config, input),
    );
    return { ...judged, ms: performance.now() - t0 };
  };
  try {
    const first = await judge("a");
    const second = await judge("b");
    await afterResources();
    return {
      first,
      second,
      stack: await hooks.judgeStack!(c.policyLevel ?? "mandatory", [], config, () => []),
    };
  } finally {
    await conn?.close();
  }
}

describe.skipIf(skipReason)("the pack's store front door when the store fails", () => {
  const cases: Record<string, Case> = {
    "down, preview": {
      url: () => urls.down,
      operation: "preview",
      level: "advisory",
      says: /connection refused/,
    },
    "down, update": {
      url: () => urls.down,
      operation: "update",
      level: "mandatory",
      says: /connection refused/,
    },
    "down, update, COMPUTEGUARD_STORE_ON_FAILURE=warn": {
      url: () => urls.down,
      operation: "update",
      env: { COMPUTEGUARD_STORE_ON_FAILURE: "warn" },
      level: "advisory",
      says: /connection refused/,
    },
    "down, update, a typo in COMPUTEGUARD_STORE_ON_FAILURE fails closed": {
      url: () => urls.down,
      operation: "update",
      env: { COMPUTEGUARD_STORE_ON_FAILURE: "wran" },
      level: "mandatory",
      says: /connection refused/,
    },
    "down, update, gpu-org-budget configured advisory": {
      url: () => urls.down,
      operation: "update",
      policyLevel: "advisory",
      level: "advisory",
      says: /connection refused/,
    },
    "silent socket, preview": {
      url: () => urls.hung,
      operation: "preview",
      level: "advisory",
      says: /did not accept a connection within 500 ms/,
    },
    "silent socket, update": {
      url: () => urls.hung,
      operation: "update",
      level: "mandatory",
      says: /did not accept a connection within 500 ms/,
    },
  };

  for (const [name, c] of Object.entries(cases)) {
    it(name, async () => {
      const { first, second, stack } = await judgeOnce(c);
      expect(first.verdicts).toEqual([]);
      expect(first.findings).toHaveLength(1);
      expect(first.findings[0]).toMatchObject({
        enforcementLevel: c.level,
        urn: expect.stringContaining("::a"),
      });
      expect(first.findings[0]!.message).toMatch(c.says);
      expect(second.findings[0]!.message).toContain("not retried for 30 s after a failure");
      expect(stack.findings[0]).toMatchObject({ enforcementLevel: c.level });
      expect(stack.findings[0]!.message).toContain("so this stack is not budgeted across stacks");
      console.info(
        `front door "${name}": first resource ${first.ms.toFixed(0)} ms, second ${second.ms.toFixed(0)} ms`,
      );
    });
  }

  it("a held organisation lock in an update is bounded by the statement timeout, and mandatory", async () => {
    const holder = new pg.Client({ connectionString: db().adminUrl });
    await holder.connect();
    await holder.query("BEGIN");
    await holder.query("SELECT pg_advisory_xact_lock(hashtextextended('computeguard.ledger/locked', 0))");
    try {
      const { first, second } = await judgeOnce(
        {
          url: () => db().appUrl,
          operation: "update",
          level: "mandatory",
          says: /did not (grant a lock|finish a statement) within 500 ms/,
        },
        "locked",
      );
      expect(first.findings.map((f) => f.enforcementLevel)).toEqual(["mandatory"]);
      expect(first.findings[0]!.message).toMatch(/did not (grant a lock|finish a statement) within 500 ms/);
      expect(second.findings[0]!.message).toContain("not retried");
      console.info(
        `front door "lock held, update": first resource ${first.ms.toFixed(0)} ms, second ${second.ms.toFixed(0)} ms`,
      );
    } finally {
      await holder.query("COMMIT");
      await holder.end();
    }
  });

  it("a slow statement is cut off by statement_timeout (pg_sleep)", async () => {
    const conn = new StoreConnection(storeSettings({ ...FAST, COMPUTEGUARD_STORE_URL: db().appUrl }));
    try {
      const t0 = performance.now();
      const failure = await conn.query("SELECT pg_sleep(30)").catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(StoreFailure);
      expect((failure as Error).message).toMatch(
        /did not finish a statement within 500 ms \(COMPUTEGUARD_STORE_STATEMENT_TIMEOUT_MS\)$/,
      );
      console.info(
        `pg_sleep(30) under a 500 ms statement timeout: gave up after ${(performance.now() - t0).toFixed(0)} ms`,
      );
    } finally {
      await conn.close();
    }
  });

  it("a misconfigured store is a finding naming the variable, not a crash", async () => {
    const { first } = await judgeOnce({
      url: () => db().appUrl,
      operation: "update",
      env: { COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS: "soon" },
      level: "mandatory",
      says: /x/,
    });
    expect(first.findings).toEqual([
      {
        message:
          'the organization\'s spend ledger could not be updated, so this resource is not budgeted across stacks: COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS must be a positive whole number, got "soon"',
        urn: expect.stringContaining("::a"),
        enforcementLevel: "mandatory",
      },
    ]);
  });

  it("a healthy store claims in an update and leaves the ledger alone in a preview", async () => {
    const preview = await judgeOnce(
      { url: () => db().appUrl, operation: "preview", level: "advisory", says: /x/ },
      "healthy",
    );
    expect(preview.first.findings).toEqual([]);
    const none = await db().admin.query(
      "SELECT count(*)::int AS n FROM computeguard.stack_spend WHERE organization = 'healthy'",
    );
    expect(none.rows[0].n).toBe(0);
    const claims = async () =>
      (
        await db().admin.query(
          "SELECT stack, state, monthly_worst_case::text AS worst FROM computeguard.stack_spend WHERE organization = 'healthy'",
        )
      ).rows;
    let claimed: unknown;
    const update = await judgeOnce(
      { url: () => db().appUrl, operation: "update", level: "mandatory", says: /x/ },
      "healthy",
      async () => {
        claimed = await claims();
      },
    );
    // a fits; a + b ($80,358.40) is over research's $60,000: b is blocked and not claimed.
    expect(update.first.verdicts.map((v) => v.decision)).toEqual(["passed"]);
    expect(update.second.verdicts.map((v) => v.decision)).toEqual(["blocked"]);
    expect(claimed).toEqual([{ stack: "prod", state: "pending", worst: "40179.20" }]);
    // AnalyzeStack of an update with no priced resources left: the stack drops to zero.
    expect(await claims()).toEqual([]);
  });

  it("a claim lasts as long as the settings resolve, not as COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS says", async () => {
    // The environment asks for a one-second claim; the settings refused it (tests/core/settings.test.ts).
    let lifetime: unknown;
    await judgeOnce(
      {
        url: () => db().appUrl,
        operation: "update",
        level: "mandatory",
        says: /x/,
        env: { COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS: "1" },
        claimTtlSeconds: () => 7200,
      },
      "lifetime",
      async () => {
        lifetime = (
          await db().admin.query(
            "SELECT round(extract(epoch FROM expires_at - now()))::int AS seconds FROM computeguard.stack_spend WHERE organization = 'lifetime'",
          )
        ).rows[0]?.seconds;
      },
    );
    expect(lifetime).toBeGreaterThan(7100);
    expect(lifetime).toBeLessThanOrEqual(7200);
  });
});
