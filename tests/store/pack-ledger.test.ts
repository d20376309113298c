/**
 * The pack with COMPUTEGUARD_STORE_URL, driven the way the engine drives it (harness/engine.ts):
 * previews read the spend ledger and never write it, updates claim and settle, two updates racing
 * for one team budget let exactly one through, and an unreachable or slow store is a finding at
 * the right level within bounded time.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { promisify } from "node:util";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AnalyzeResult,
  type Diagnostic,
  type EngineClient,
  type LaunchOptions,
  launchPolicyPack,
  type ProviderInput,
} from "../../harness/engine.js";
import { money } from "../../src/money.js";
import { recordStackSpend } from "../../src/store/ledger.js";
import { ensurePackBuilt, ROOT } from "./support/built.js";
import { skipReason, useDatabase } from "./support/database.js";
import { freePort } from "./support/postgres.js";

const PACK = path.join(ROOT, "policypack");
const db = useDatabase();
const provider: ProviderInput = {
  type: "pulumi:providers:aws",
  name: "default",
  properties: { region: "us-east-1" },
};
const p5 = (name: string) => ({
  type: "aws:ec2/instance:Instance",
  name,
  provider,
  properties: {
    instanceType: "p5.48xlarge",
    ami: "ami-1",
    tags: { team: "research", "cost-center": "cc-1" },
  },
});
/** Only the org budget can block a p5 ($40,179.20/mo) here; research may spend $60,000/mo across stacks. */
const CONFIG = {
  "gpu-resource-budget": { monthlyLimitUsd: 100_000 },
  "gpu-stack-budget": { monthlyLimitUsd: 1_000_000 },
  "gpu-org-budget": { teamLimitsUsd: { research: 60_000 } },
};

const clients: EngineClient[] = [];
const tempDirs: string[] = [];

async function launch(
  organization: string,
  stack: string,
  dryRun: boolean,
  env: Record<string, string> = {},
  config: LaunchOptions["config"] = CONFIG,
) {
  const opts: LaunchOptions = {
    organization,
    project: "ml",
    stack,
    dryRun,
    config,
    // Generous: pack start-up on a loaded 2-core machine; a hang would still show as a deadline error.
    timeoutMs: 120_000,
    rpcTimeoutMs: 60_000,
    env: {
      COMPUTEGUARD_STORE_URL: db().appUrl,
      COMPUTEGUARD_AUDIT_LOG: path.join(tempDir(), "audit.jsonl"),
      ...env,
    },
  };
  const { client } = await launchPolicyPack(PACK, opts);
  clients.push(client);
  return client;
}

function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "cg-store-audit-"));
  tempDirs.push(dir);
  return dir;
}

const orgBudget = (r: AnalyzeResult) => r.diagnostics.filter((d) => d.policyName === "gpu-org-budget");
const levels = (ds: Diagnostic[]) => ds.map((d) => d.enforcementLevel);

async function ledger(organization: string) {
  const { rows } = await db().admin.query(
    `SELECT stack, team, state, monthly_worst_case::text AS worst FROM computeguard.stack_spend
     WHERE organization = $1 ORDER BY stack, state`,
    [organization],
  );
  return rows;
}

async function advisoryWaiters(): Promise<number> {
  const { rows } = await db().admin.query(
    `SELECT count(*)::int AS n FROM pg_locks
     WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
  );
  return rows[0].n;
}

async function holdOrgLock(organization: string): Promise<{ release: () => Promise<void> }> {
  const holder = new pg.Client({ connectionString: db().adminUrl });
  await holder.connect();
  await holder.query("BEGIN");
  await holder.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [
    `computeguard.ledger/${organization}`,
  ]);
  return {
    release: async () => {
      await holder.query("COMMIT");
      await holder.end();
    },
  };
}

beforeAll(() => ensurePackBuilt(), 180_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe("the pack without a store", () => {
  it("starts without loading pg, with or without COMPUTEGUARD_STORE_URL (pg loads on first use)", async () => {
    const probe = `
      import { createRequire } from "node:module";
      await import(${JSON.stringify(path.join(ROOT, "dist/policypack/pack.js"))});
      const loaded = Object.keys(createRequire(import.meta.url).cache).filter((k) => /[\\/]node_modules[\\/]pg(-pool)?[\\/]/.test(k));
      process.stderr.write(String(loaded.length));
      process.exit(0);`;
    const run = (url: string) =>
      promisify(execFile)(process.execPath, ["--input-type=module", "-e", probe], {
        cwd: PACK,
        env: { ...process.env, COMPUTEGUARD_STORE_URL: url },
      });
    const [without, withUrl] = await Promise.all([
      run(""),
      run("postgres://runner@127.0.0.1:1/computeguard"),
    ]);
    expect(without.stderr).toBe("0");
    expect(withUrl.stderr).toBe("0");
  }, 60_000);
});

describe.skipIf(skipReason)("the pack with a store", () => {
  it("a preview judges against the other stacks' recorded spend, audits to the store, and never writes the ledger", async () => {
    const setup = db().connect();
    const research30k = [
      { team: "research", monthlyBaseline: money(30_000), monthlyWorstCase: money(30_000) },
    ];
    await recordStackSpend(
      setup,
      { organization: "acme", project: "ml", stack: "staging" },
      research30k,
      { packVersion: "0.1.0" },
      () => undefined,
    );
    const c = await launch("acme", "prod", true);
    const resource = await c.analyze(p5("trainer"));
    const found = orgBudget(resource);
    expect(levels(found)).toEqual(["mandatory"]);
    expect(found[0]!.message).toContain(
      "takes team research's spend across organization acme to $70,179.20/mo (this stack $40,179.20/mo; other stacks $30,000.00/mo: ml/staging $30,000.00/mo), over its $60,000.00/mo limit",
    );
    expect(
      resource.diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policyName),
    ).toEqual(["gpu-org-budget"]);
    const stack = await c.analyzeStack([p5("trainer")]);
    expect(levels(orgBudget(stack))).toEqual(["mandatory"]);
    expect(await ledger("acme")).toEqual([
      { stack: "staging", team: "research", state: "recorded", worst: "30000.00" },
    ]);
    const { rows } = await db().admin.query(
      "SELECT stack, policy, decision FROM computeguard.audit_records WHERE organization = 'acme' ORDER BY seq",
    );
    expect(rows).toEqual([
      { stack: "prod", policy: "gpu-org-budget", decision: "blocked" },
      { stack: "prod", policy: "gpu-org-budget", decision: "blocked" },
    ]);
  }, 120_000);

  it("two updates racing for one team budget: exactly one passes (20 trials), and the winner's update settles", async () => {
    const [east, west] = await Promise.all([launch("race", "east", false), launch("race", "west", false)]);
    const tally = { east: 0, west: 0 };
    const durations: number[] = [];
    for (let trial = 0; trial < 20; trial++) {
      await db().admin.query("DELETE FROM computeguard.stack_spend WHERE organization = 'race'");
      const lock = await holdOrgLock("race");
      const started = performance.now();
      const results = Promise.all([east!.analyze(p5("trainer")), west!.analyze(p5("trainer"))]);
      for (let i = 0; (await advisoryWaiters()) < 2; i++) {
        if (i > 2000) throw new Error("the two updates never queued on the organisation's lock");
        await new Promise((r) => setTimeout(r, 10));
      }
      await lock.release();
      const [e, w] = await results;
      durations.push(performance.now() - started);
      const blocked = [e!, w!].map((r) => levels(orgBudget(r)).includes("mandatory"));
      expect(blocked.filter(Boolean), `trial ${trial}`).toHaveLength(1);
      const winner = blocked[0] ? "west" : "east";
      tally[winner]++;
      expect(await ledger("race"), `trial ${trial}`).toEqual([
        { stack: winner, team: "research", state: "pending", worst: "40179.20" },
      ]);
    }
    console.info(
      `ledger race (two pack processes, update): 20 trials, exactly 1 pass each; east won ${tally.east}, west ${tally.west}; ` +
        `median ${durations.sort((a, b) => a - b)[10]!.toFixed(0)} ms per trial (lock release to both verdicts)`,
    );
    // The last winner's update completes: AnalyzeStack records its spend and releases the claim.
    const winner = (await ledger("race"))[0].stack === "east" ? east! : west!;
    const stack = await winner.analyzeStack([p5("trainer")]);
    expect(levels(orgBudget(stack))).toEqual([]);
    expect((await ledger("race")).map((r: { state: string }) => r.state)).toEqual(["recorded"]);
  }, 120_000);

  it("a resource another policy blocks in an update holds no claim; the update's end records the rest", async () => {
    // cost-allocation-tags runs after gpu-org-budget, gpu-resource-budget before it.
    const config = {
      "gpu-resource-budget": { monthlyLimitUsd: 35_000 },
      "gpu-stack-budget": { monthlyLimitUsd: 1_000_000 },
      "gpu-org-budget": { teamLimitsUsd: { research: 500_000 } },
      "cost-allocation-tags": {
        enforcementLevel: "mandatory",
        requiredTags: ["team", "cost-center", "owner"],
      },
    };
    const tagged = { team: "research", "cost-center": "cc-1", owner: "ana" };
    const p4d = (name: string, tags: Record<string, string>) => ({
      ...p5(name),
      properties: { instanceType: "p4d.24xlarge", ami: "ami-1", tags },
    });
    const c = await launch("release", "prod", false, {}, config);
    const blockers = (r: AnalyzeResult) =>
      r.diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policyName);

    expect(blockers(await c.analyze(p4d("ok", tagged)))).toEqual([]);
    const [claimed] = await ledger("release");
    expect(claimed).toMatchObject({ stack: "prod", state: "pending" });

    // Passes the org budget (claimed with it), then a later policy blocks it: the claim gives it back.
    expect(blockers(await c.analyze(p4d("untagged", { team: "research", "cost-center": "cc-1" })))).toEqual([
      "cost-allocation-tags",
    ]);
    expect(await ledger("release")).toEqual([claimed]);

    // Blocked before the org budget judges it: never claimed.
    expect(
      blockers(
        await c.analyze({ ...p5("too-big"), properties: { ...p5("too-big").properties, tags: tagged } }),
      ),
    ).toEqual(["gpu-resource-budget"]);
    expect(await ledger("release")).toEqual([claimed]);
    const { rows } = await db().admin.query(
      "SELECT event, jsonb_array_length(teams) AS teams FROM computeguard.spend_events WHERE organization = 'release' ORDER BY id",
    );
    expect(rows).toEqual([
      { event: "claim", teams: 1 }, // ok
      { event: "claim", teams: 1 }, // ok + untagged, as the org budget judged it
      { event: "claim", teams: 1 }, // ok again, once untagged was blocked
    ]);

    // The update ends with what was created: recorded, the claim settled.
    await c.analyzeStack([p4d("ok", tagged)]);
    expect(await ledger("release")).toEqual([{ ...claimed, state: "recorded" }]);
  }, 120_000);

  it("an unreachable or slow store is a finding at the right level, never a crash or a hang", async () => {
    // Every failure kind and level is covered in-process (pack-store.test.ts); here the engine path.
    const down = `postgres://runner@127.0.0.1:${await freePort()}/computeguard`; // nothing listens there
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket)); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const hung = `postgres://runner@127.0.0.1:${(silent.address() as { port: number }).port}/computeguard`;
    const fast = {
      COMPUTEGUARD_STORE_CONNECT_TIMEOUT_MS: "1000",
      COMPUTEGUARD_STORE_STATEMENT_TIMEOUT_MS: "1000",
    };
    // The stack budget warns on a p5 here, so a decision must be audited — to the same dead store.
    const warnOnP5 = { ...CONFIG, "gpu-stack-budget": { monthlyLimitUsd: 45_000 } };
    try {
      const [update, preview] = await Promise.all([
        launch("down", "prod", false, { ...fast, COMPUTEGUARD_STORE_URL: down }, warnOnP5),
        launch("hung", "prod", true, { ...fast, COMPUTEGUARD_STORE_URL: hung }),
      ]);
      const timed = async (c: EngineClient, name: string) => {
        const t0 = performance.now();
        const result = await c.analyze(p5(name));
        return { result, ms: performance.now() - t0 };
      };
      const [u1, p1] = await Promise.all([timed(update!, "trainer-0"), timed(preview!, "trainer-0")]);
      const [u2, p2] = await Promise.all([timed(update!, "trainer-1"), timed(preview!, "trainer-1")]);

      const ledgerDown = orgBudget(u1.result);
      expect(levels(ledgerDown)).toEqual(["mandatory"]);
      expect(ledgerDown[0]!.message).toMatch(
        /spend ledger could not be updated, so this resource is not budgeted across stacks: cannot connect to the store at 127\.0\.0\.1:\d+\/computeguard: connection refused/,
      );
      const audit = u1.result.diagnostics.filter((d) => d.message.includes("audit record"));
      expect(audit.map((d) => [d.policyName, d.enforcementLevel])).toEqual([
        ["gpu-stack-budget", "mandatory"],
      ]);
      expect(audit[0]!.message).toContain("could not be written: audit store: cannot connect to the store");

      const ledgerHung = orgBudget(p1.result);
      expect(levels(ledgerHung)).toEqual(["advisory"]);
      expect(ledgerHung[0]!.message).toContain(
        "did not accept a connection within 1000 ms (COMPUTEGUARD_STORE_CONNECT_TIMEOUT_MS)",
      );
      expect(p1.result.diagnostics.filter((d) => d.enforcementLevel === "mandatory")).toEqual([]);

      // The next resource does not wait out another timeout: the store is not retried for a while.
      expect(orgBudget(u2.result)[0]!.message).toContain("not retried for 30 s after a failure");
      expect(orgBudget(p2.result)[0]!.message).toContain("not retried for 30 s after a failure");
      console.info(
        `store down, update: Analyze ${u1.ms.toFixed(0)} ms then ${u2.ms.toFixed(0)} ms; ` +
          `silent socket (1000 ms connect timeout), preview: ${p1.ms.toFixed(0)} ms then ${p2.ms.toFixed(0)} ms`,
      );
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
    }
  }, 240_000);
});
