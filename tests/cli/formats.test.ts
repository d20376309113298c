/** One money format and one --format vocabulary across commands; progress only on a terminal. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditRecord, appendAuditRecord } from "../../src/audit/index.js";
import { sampleDraft } from "../audit/helpers/draft.js";
import { ensureBuilt, ROOT, runCli } from "../support/cli.js";

const scratch = mkdtempSync(path.join(tmpdir(), "computeguard-formats-"));
const log = path.join(scratch, "audit.jsonl");
let record: AuditRecord;

beforeAll(async () => {
  ensureBuilt();
  const appended = await appendAuditRecord(sampleDraft({ decision: "blocked" }), { path: log });
  if (!appended.ok) throw new Error(appended.reason);
  record = appended.record;
}, 120_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("money", () => {
  it("prices prints rates and monthly figures as estimate does ($40,179.20), JSON keeps decimal strings", async () => {
    const table = await runCli(["prices", "--type", "p5", "--region", "us-east-1"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^p5\.48xlarge\s+us-east-1\s+\$55\.04\/h\s+\$40,179\.20\s/m);
    expect(table.stdout).not.toMatch(/\s40179\.20\s/);
    const estimate = await runCli(["estimate", "--stack-export", "examples/two-p5-stack-export.json"]);
    expect(estimate.stdout).toContain("$55.04/h x 730 h x 1 = $40,179.20");
    const json = JSON.parse(
      (await runCli(["prices", "--type", "p5", "--region", "us-east-1", "--format", "json"])).stdout,
    );
    const p5 = json.entries.find((e: { instanceType: string }) => e.instanceType === "p5.48xlarge");
    expect(p5).toMatchObject({ usdPerHour: "55.04", monthlyUsd730h: "40179.20" });
  });
});

describe("--format vocabulary", () => {
  it("audit show takes table|json like every other command; text still works, with a deprecation note", async () => {
    const table = await runCli(["audit", "show", record.id, "--log", log, "--format", "table"]);
    const byDefault = await runCli(["audit", "show", record.id, "--log", log]);
    const text = await runCli(["audit", "show", record.id, "--log", log, "--format", "text"]);
    expect(table).toMatchObject({ code: 0, stderr: "" });
    expect(table.stdout).toContain(record.id);
    expect(byDefault.stdout).toBe(table.stdout);
    expect(text).toEqual({
      code: 0,
      stdout: table.stdout,
      stderr: "computeguard: warning: --format text is deprecated, use --format table\n",
    });
    const bad = await runCli(["audit", "show", record.id, "--log", log, "--format", "csv"]);
    expect(bad).toMatchObject({
      code: 2,
      stderr: 'computeguard: --format must be table or json, got "csv"\n',
    });
  });
});

describe("prices import progress", () => {
  const offer = path.join(ROOT, "tests/fixtures/prices/ec2-us-east-1.offer.json");
  const specs = path.join(ROOT, "tests/fixtures/prices/specs-catalog.json");
  const args = (out: string) => [
    "prices",
    "import",
    "--offer-file",
    offer,
    "--specs-catalog",
    specs,
    "--out",
    out,
  ];

  it("draws a progress line on a terminal's stderr, and nothing of it elsewhere", async () => {
    const tty = await runCli(args(path.join(scratch, "tty.json")), { tty: true });
    const pipe = await runCli(args(path.join(scratch, "pipe.json")));
    expect(tty.code, tty.stderr).toBe(0);
    expect(pipe.code, pipe.stderr).toBe(0);
    expect(tty.stderr).toMatch(/^\rreading .*ec2-us-east-1\.offer\.json: \d+\.\d MB of \d+\.\d MB \(\d+ %\)/);
    expect(tty.stderr).toMatch(/\ncomputeguard: wrote 11 entries/);
    expect(pipe.stderr).not.toContain("\r");
    expect(pipe.stderr).toMatch(/^computeguard: wrote 11 entries/);
  });
});
