/**
 * Driven as the engine drives the pack (harness/engine.ts): the summary ends with the audit
 * chain's full head, which `computeguard audit verify --head` then checks; and an org budget
 * configured without a store is a finding at the policy's level, never a silent pass.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type Diagnostic,
  type EngineClient,
  type LaunchOptions,
  launchPolicyPack,
  type ProviderInput,
} from "../../harness/engine.js";
import { readAuditRecords } from "../../src/audit/index.js";
import { tempDirs } from "../audit/helpers/temp-dir.js";
import { ensureBuilt, ROOT } from "../support/built.js";
import { runCli } from "../support/cli.js";

const PACK = path.join(ROOT, "policypack");
const dirs = tempDirs("pack-audit-head");
const provider: ProviderInput = {
  type: "pulumi:providers:aws",
  name: "default_7_48_0",
  properties: { region: "us-east-1" },
};
const p5 = (name: string) => ({
  type: "aws:ec2/instance:Instance",
  name,
  provider,
  properties: {
    instanceType: "p5.48xlarge",
    ami: "ami-123",
    tags: { team: "research", "cost-center": "cc-42" },
  },
});

let client: EngineClient | undefined;
beforeAll(() => ensureBuilt(), 180_000);
afterEach(async () => {
  await client?.close();
  client = undefined;
});
afterAll(() => dirs.removeAll());

/** A pack with its own audit log and no store, whatever this machine's environment says. */
async function launch(opts: LaunchOptions = {}) {
  const log = path.join(dirs.make(), "audit.jsonl");
  const env = { COMPUTEGUARD_AUDIT_LOG: log, COMPUTEGUARD_STORE_URL: "", ...opts.env };
  const launched = await launchPolicyPack(PACK, { stack: "prod", project: "ml", ...opts, env });
  client = launched.client;
  return { client: launched.client, log };
}

const by = (ds: Diagnostic[], policy: string) => ds.filter((d) => d.policyName === policy);
/** A p5 passes the per-resource budget here: only the policy under test speaks. */
const RESOURCE_OK = { "gpu-resource-budget": { monthlyLimitUsd: 100_000 } };

describe("the pack's summary", () => {
  it("ends with the audit chain's full head, which verify --head then holds the log to", async () => {
    const { client: c, log } = await launch({
      config: { ...RESOURCE_OK, "gpu-stack-budget": { monthlyLimitUsd: 50_000 } },
    });
    await c.analyze(p5("trainer-0"));
    await c.analyze(p5("trainer-1"));
    await c.analyzeStack([p5("trainer-0"), p5("trainer-1")]);
    const records = [...readAuditRecords(log)];
    // trainer-0 warned, trainer-1 blocked (the stack phase does not block the same overrun again):
    // every one recorded before the summary.
    expect(records.map((r) => [r.policy, r.decision])).toEqual([
      ["gpu-stack-budget", "warned"],
      ["gpu-stack-budget", "blocked"],
    ]);
    const last = records.at(-1)!;
    const head = `${last.seq}:${last.hash}`;
    const out = c.stdoutAfterPort();
    expect(out).toContain("computeguard: projected GPU/inference spend");
    expect(out).toContain(`computeguard: audit: 2 decisions recorded in ${log}; chain head ${head}\n`);

    expect(await runCli(["audit", "verify", "--log", log, "--head", head])).toMatchObject({
      code: 0,
    });
    // The head printed at the end of the run catches what the chain alone cannot: a cut tail.
    const lines = readFileSync(log, "utf8").split("\n");
    writeFileSync(log, `${lines.slice(0, 1).join("\n")}\n`);
    expect((await runCli(["audit", "verify", "--log", log])).code).toBe(0);
    const cut = await runCli(["audit", "verify", "--log", log, "--head", head]);
    expect(cut.code).toBe(1);
    expect(cut.stdout).toContain(`the chain ends at seq 1, before the anchored head ${head}`);
  });

  it("says so when nothing has been recorded yet", async () => {
    const { client: c, log } = await launch();
    await c.analyzeStack([]);
    expect(c.stdoutAfterPort()).toContain(
      `computeguard: audit: 0 decisions recorded in ${log}; chain head none (no record yet)\n`,
    );
  });
});

describe("gpu-org-budget without a store", () => {
  const why = "no spend ledger is configured (set COMPUTEGUARD_STORE_URL";

  it("is a violation at the policy's level for every resource and the stack it cannot judge", async () => {
    const { client: c, log } = await launch({
      config: { ...RESOURCE_OK, "gpu-org-budget": { teamLimitsUsd: { research: 100_000 } } },
    });
    const resource = by((await c.analyze(p5("trainer"))).diagnostics, "gpu-org-budget");
    expect(resource.map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
    expect(resource[0]!.message).toContain(
      "trainer (+$40,179.20/mo) cannot be judged against team research's $100,000.00/mo limit across the organization",
    );
    expect(resource[0]!.message).toContain(why);
    const stack = by((await c.analyzeStack([p5("trainer")])).diagnostics, "gpu-org-budget");
    expect(stack.map((d) => d.enforcementLevel)).toEqual(["mandatory"]);
    expect(stack[0]!.message).toContain("this stack ($40,179.20/mo) cannot be judged");
    // Recorded like any other block.
    expect([...readAuditRecords(log)].map((r) => [r.policy, r.decision])).toEqual([
      ["gpu-org-budget", "blocked"],
      ["gpu-org-budget", "blocked"],
    ]);
  });

  it("blocks spend tagged with a team outside teamLimitsUsd, as gpu-stack-budget does", async () => {
    const { client: c } = await launch({
      config: { ...RESOURCE_OK, "gpu-org-budget": { teamLimitsUsd: { research: 100_000 } } },
    });
    const renamed = {
      ...p5("trainer"),
      properties: { ...p5("trainer").properties, tags: { team: "research-x" } },
    };
    const found = by((await c.analyze(renamed)).diagnostics, "gpu-org-budget");
    expect(found.map((d) => [d.enforcementLevel, d.message])).toEqual([
      [
        "mandatory",
        'trainer (+$40,179.20/mo) is charged to team "research-x" (tag team), which has no limit: team limits are set for research; tag it with one of them, or add the team to teamLimitsUsd',
      ],
    ]);
  });

  it("follows the policy's configured level, and says nothing when no limit is configured", async () => {
    const advisory = await launch({
      config: { "gpu-org-budget": { enforcementLevel: "advisory", orgLimitUsd: 1_000_000 } },
    });
    const warned = by((await advisory.client.analyze(p5("trainer"))).diagnostics, "gpu-org-budget");
    expect(warned.map((d) => d.enforcementLevel)).toEqual(["advisory"]);
    expect(warned[0]!.message).toContain("against the organization's $1,000,000.00/mo limit");
    await advisory.client.close();

    const unconfigured = await launch();
    const nothing = by((await unconfigured.client.analyze(p5("trainer"))).diagnostics, "gpu-org-budget");
    expect(nothing).toEqual([]);
  });
});
