import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { money } from "../../src/money.js";
import type { TeamSpend } from "../../src/policy/org-spend.js";
import { claimStackSpend, recordStackSpend } from "../../src/store/ledger.js";
import { runCli } from "../support/cli.js";
import { skipReason, useDatabase } from "./support/database.js";

const db = useDatabase();
const team = (name: string | null, baseline: string, worstCase: string): TeamSpend => ({
  team: name,
  monthlyBaseline: money(baseline),
  monthlyWorstCase: money(worstCase),
});
let policyConfig: string;
let env: Record<string, string>;

beforeAll(async () => {
  if (skipReason) return;
  env = { COMPUTEGUARD_STORE_URL: db().appUrl };
  policyConfig = path.join(mkdtempSync(path.join(tmpdir(), "cg-ledger-")), "budgets.json");
  writeFileSync(
    policyConfig,
    JSON.stringify({
      "gpu-org-budget": { teamLimitsUsd: { research: 100_000, vision: 20_000 }, orgLimitUsd: 150_000 },
    }),
  );
  const conn = db().connect();
  const v = { packVersion: "0.1.0" };
  const acme = (project: string, stack: string) => ({ organization: "acme", project, stack });
  // Three stacks: two p5s for research in prod, one in staging plus a g5 for vision, an untagged g6e in dev.
  await recordStackSpend(
    conn,
    acme("ml", "prod"),
    [team("research", "80358.40", "80358.40")],
    v,
    () => undefined,
  );
  await recordStackSpend(
    conn,
    acme("ml", "staging"),
    [team("research", "40179.20", "40179.20"), team("vision", "884.76", "3539.04")],
    v,
    () => undefined,
  );
  await recordStackSpend(conn, acme("web", "dev"), [team(null, "1367.29", "1367.29")], v, () => undefined);
  // staging's next update is in flight and has claimed more for vision than it recorded.
  await claimStackSpend(
    conn,
    acme("ml", "staging"),
    [team("research", "40179.20", "40179.20"), team("vision", "884.76", "17696.00")],
    { ...v, ttlSeconds: 3600 },
    () => ({ result: undefined, claim: true }),
  );
  await recordStackSpend(
    conn,
    { organization: "globex", project: "x", stack: "y" },
    [team("research", "1", "1")],
    v,
    () => undefined,
  );
});

afterAll(() => {
  if (policyConfig) rmSync(path.dirname(policyConfig), { recursive: true, force: true });
});

describe.skipIf(skipReason)("computeguard ledger list", () => {
  it("shows each stack's spend per team and each budget's use across three stacks", async () => {
    const run = await runCli(["ledger", "list", "--organization", "acme", "--policy-config", policyConfig], {
      env,
    });
    expect(run).toMatchObject({ code: 0, stderr: "" });
    console.info(`ledger list across three stacks:\n${run.stdout}`);
    const lines = run.stdout.split("\n");
    expect(lines.slice(0, 7).map((l) => l.replace(/\d{4}-\d\d-\d\dT[\d:]+Z/, "<time>"))).toEqual([
      "ORGANIZATION  TEAM        STACK       STATE     BASELINE/MO  WORST CASE/MO  UPDATED",
      "acme          (untagged)  web/dev     recorded  $1,367.29    $1,367.29      <time>",
      "acme          research    ml/prod     recorded  $80,358.40   $80,358.40     <time>",
      "acme          research    ml/staging  recorded  $40,179.20   $40,179.20     <time>",
      "acme          research    ml/staging  claimed   $40,179.20   $40,179.20     <time>",
      "acme          vision      ml/staging  recorded  $884.76      $3,539.04      <time>",
      "acme          vision      ml/staging  claimed   $884.76      $17,696.00     <time>",
    ]);
    expect(lines.slice(7)).toEqual([
      "6 rows",
      "",
      "Budgets (worst-case; a stack with an update in flight counts the larger of its claim and its recorded spend)",
      "ORGANIZATION  TEAM         STACKS  SPEND/MO     LIMIT/MO     USED",
      "acme          (untagged)   1       $1,367.29    -            -",
      "acme          research     2       $120,537.60  $100,000.00  120.5%",
      "acme          vision       1       $17,696.00   $20,000.00   88.5%",
      "acme          (all teams)  3       $139,600.89  $150,000.00  93.1%",
      "",
    ]);
  });

  it("filters by team and writes the computeguard.ledger/v1 document", async () => {
    const run = await runCli(["ledger", "list", "--team", "research", "--format", "json"], { env });
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout);
    expect(doc.schema).toBe("computeguard.ledger/v1");
    expect(
      doc.entries.map(
        (e: { organization: string; stack: string; state: string }) =>
          `${e.organization} ${e.stack} ${e.state}`,
      ),
    ).toEqual([
      "acme ml/prod recorded",
      "acme ml/staging recorded",
      "acme ml/staging pending",
      "globex x/y recorded",
    ]);
    expect(doc.entries[2]).toMatchObject({
      team: "research",
      monthlyWorstCase: "40179.20",
      expiresAt: expect.any(String),
    });
    expect(doc.budgets).toEqual([
      {
        organization: "acme",
        scope: "team",
        team: "research",
        stacks: 2,
        monthlySpend: "120537.60",
        monthlyLimit: null,
        usedPercent: null,
      },
      {
        organization: "globex",
        scope: "team",
        team: "research",
        stacks: 1,
        monthlySpend: "1.00",
        monthlyLimit: null,
        usedPercent: null,
      },
    ]);
  });

  it("says what is wrong in one line", async () => {
    expect(await runCli(["ledger", "list"], { env: { COMPUTEGUARD_STORE_URL: "" } })).toMatchObject({
      code: 2,
      stderr: "computeguard: COMPUTEGUARD_STORE_URL is not set\n",
    });
    const badConfig = path.join(path.dirname(policyConfig), "bad.json");
    writeFileSync(badConfig, JSON.stringify({ "gpu-org-budget": { teamLimitsUsd: { research: "lots" } } }));
    const bad = await runCli(["ledger", "list", "--policy-config", badConfig], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /^computeguard: policy config .*bad\.json: .*gpu-org-budget: invalid config: teamLimitsUsd\.research: /,
    );
    expect(bad.stderr.split("\n")).toHaveLength(2);
    const format = await runCli(["ledger", "list", "--format", "yaml"], { env });
    expect(format).toMatchObject({
      code: 2,
      stderr: 'computeguard: --format must be table or json, got "yaml"\n',
    });
  });
});
