/**
 * `computeguard check` with COMPUTEGUARD_STORE_URL: its decisions go to the trail `audit list`
 * reads (the store, not the local file), it prints the full chain head, and gpu-org-budget judges
 * against the ledger as a preview would (without a store, a configured limit is a finding).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { money } from "../../src/money.js";
import { recordStackSpend } from "../../src/store/ledger.js";
import { ensureBuilt, runCli } from "../support/cli.js";
import { skipReason, useDatabase } from "./support/database.js";

const db = useDatabase();
const scratch = mkdtempSync(path.join(tmpdir(), "computeguard-check-store-"));
const localLog = path.join(scratch, "must-stay-empty", "audit.jsonl");
const policyConfig = path.join(scratch, "budgets.json");
const FLAGS = ["--policy-config", policyConfig, "--price-sheet", "examples/price-sheet.json"];

beforeAll(() => {
  ensureBuilt();
  const budgets = JSON.parse(readFileSync("examples/budgets.json", "utf8")) as Record<string, unknown>;
  writeFileSync(policyConfig, JSON.stringify({ ...budgets, "gpu-org-budget": { orgLimitUsd: 100_000 } }));
}, 180_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe.skipIf(skipReason)("computeguard check with a store", () => {
  it("records in the store that audit list reads, prints the full head, and judges the org budget on the ledger", async () => {
    const env = {
      COMPUTEGUARD_STORE_URL: db().appUrl,
      COMPUTEGUARD_AUDIT_LOG: localLog,
      PULUMI_ORGANIZATION: "checkers",
    };
    const run = await runCli(["check", ...FLAGS], { env });
    expect(run.code, run.stderr).toBe(0);
    const listed = await runCli(["audit", "list", "--format", "json"], { env });
    const records = (
      JSON.parse(listed.stdout) as Array<{
        organization: string;
        operation: string;
        seq: number;
        hash: string;
      }>
    ).filter((r) => r.organization === "checkers");
    expect(records.map((r) => r.operation)).toEqual(["check"]);
    const head = `${records[0]!.seq}:${records[0]!.hash}`;
    expect(run.stdout).toContain(
      `audit: 1 decision recorded in the audit store at 127.0.0.1:${db().port}/${db().name}; chain head ${head}\n`,
    );
    expect(existsSync(path.dirname(localLog))).toBe(false);
    expect(
      await runCli(["audit", "verify", "--head", head, "--organization", "checkers"], { env }),
    ).toMatchObject({
      code: 0,
    });

    // Another stack's recorded spend now leaves no room under the organisation's limit.
    await recordStackSpend(
      db().connect(),
      { organization: "checkers", project: "ml", stack: "training" },
      [{ team: "research", monthlyBaseline: money(99_000), monthlyWorstCase: money(99_000) }],
      { packVersion: "0.1.0" },
      () => undefined,
    );
    const over = await runCli(["check", ...FLAGS], { env });
    expect(over.code).toBe(1);
    expect(over.stdout).toMatch(
      /stack +BLOCKED +gpu-org-budget \(mandatory\): .*ml\/training \$99,000\.00\/mo\), over its \$100,000\.00\/mo limit/,
    );
  }, 180_000);

  it("without a store, a configured org limit is a finding (exit 1), not a silent pass", async () => {
    const run = await runCli(["check", ...FLAGS], {
      env: { COMPUTEGUARD_AUDIT_LOG: path.join(scratch, "no-store", "audit.jsonl") },
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("no spend ledger is configured");
  }, 120_000);
});
