import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuditRecord, appendAuditRecord } from "../../src/audit/index.js";
import { runCli } from "../support/cli.js";
import { parseCsv } from "./helpers/csv-parse.js";
import { sampleDraft } from "./helpers/draft.js";
import { tempDirs } from "./helpers/temp-dir.js";

const dirs = tempDirs("audit-cli");
let log: string;
const records: AuditRecord[] = [];
const TRICKY = 'waived: "trainer-2", approved by Bob, Ops\nsee ticket #42';

beforeAll(async () => {
  log = join(dirs.make(), "audit.jsonl");
  const day = 86_400_000;
  const drafts = [
    sampleDraft({ time: new Date(Date.now() - 30 * day).toISOString(), decision: "blocked", stack: "dev" }),
    sampleDraft({
      time: new Date(Date.now() - 2 * day).toISOString(),
      decision: "warned",
      policy: "bounded-autoscaling",
    }),
    sampleDraft({
      time: new Date(Date.now() - day).toISOString(),
      decision: "waived",
      message: TRICKY,
      waiver: { id: "W-7", approvedBy: "bob@acme.test", expires: "2099-01-31" },
    }),
    sampleDraft({
      time: new Date(Date.now() - 3_600_000).toISOString(),
      decision: "blocked",
      operation: "preview",
      resource: null,
      policy: "gpu-stack-budget",
      budget: "stack",
      message: "stack over budget \u001b[31mred\u001b[0m",
    }),
  ];
  for (const draft of drafts) {
    const result = await appendAuditRecord(draft, { path: log });
    if (!result.ok) throw new Error(result.reason);
    records.push(result.record);
  }
});
afterAll(() => dirs.removeAll());

function copyOfLog(): string {
  const path = join(dirs.make(), "audit.jsonl");
  copyFileSync(log, path);
  return path;
}

describe("computeguard audit list", () => {
  it("prints a table of every record", async () => {
    const run = await runCli(["audit", "list", "--log", log]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    const lines = run.stdout.trimEnd().split("\n");
    expect(lines[0]).toMatch(
      /^TIME\s+DECISION\s+STACK\s+POLICY\s+RESOURCE\s+WORST CASE\/MO\s+LIMIT\s+ACTOR\s+ID$/,
    );
    expect(lines).toHaveLength(6);
    expect(lines[1]).toContain("ml-platform/dev");
    expect(lines[1]).toContain("trainer-1");
    expect(lines[1]).toContain("$80,358.40");
    expect(lines[1]).toContain("$50,000.00 (team:ml)");
    expect(lines[4]).toContain("(stack)");
    expect(lines[5]).toBe("4 records");
  });

  it("filters by decision, stack, policy and since", async () => {
    const ids = async (...args: string[]) => {
      const run = await runCli(["audit", "list", "--log", log, "--format", "json", ...args]);
      expect(run.code).toBe(0);
      return (JSON.parse(run.stdout) as AuditRecord[]).map((r) => r.id);
    };
    expect(await ids("--decision", "blocked")).toEqual([records[0]!.id, records[3]!.id]);
    expect(await ids("--decision", "warned,waived")).toEqual([records[1]!.id, records[2]!.id]);
    expect(await ids("--stack", "dev")).toEqual([records[0]!.id]);
    expect(await ids("--stack", "acme/ml-platform/prod")).toEqual(records.slice(1).map((r) => r.id));
    expect(await ids("--policy", "gpu-stack-budget")).toEqual([records[3]!.id]);
    expect(await ids("--since", "7d")).toEqual(records.slice(1).map((r) => r.id));
    expect(await ids("--since", "12h", "--decision", "blocked")).toEqual([records[3]!.id]);
    expect(await ids("--since", records[2]!.time)).toEqual([records[2]!.id, records[3]!.id]);
  });

  it("writes CSV that survives commas, quotes and newlines", async () => {
    const run = await runCli(["audit", "list", "--log", log, "--format", "csv", "--decision", "waived"]);
    const [header, row, ...rest] = parseCsv(run.stdout);
    expect(rest).toEqual([]);
    const field = (name: string) => row![header!.indexOf(name)];
    expect(field("message")).toBe(TRICKY);
    expect(field("waiver.approvedBy")).toBe("bob@acme.test");
    expect(field("costs.monthlyWorstCase")).toBe("80358.40");
    expect(field("costs.oneTime")).toBe("");
    expect(field("hash")).toBe(records[2]!.hash);
  });

  it("rejects bad flags with a one-line error and exit 2", async () => {
    for (const args of [
      ["--decision", "denied"],
      ["--since", "last tuesday"],
      ["--format", "xml"],
    ]) {
      const run = await runCli(["audit", "list", "--log", log, ...args]);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^computeguard: --(decision|since|format) must be [^\n]*\n$/);
    }
  });

  it("warns about a torn last line and lists the complete records", async () => {
    const path = copyOfLog();
    writeFileSync(path, `${readFileSync(path, "utf8")}{"torn":`);
    const run = await runCli(["audit", "list", "--log", path, "--format", "json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveLength(4);
    expect(run.stderr).toBe(`computeguard: warning: ${path} line 5: incomplete last line (skipped)\n`);
  });
});

describe("computeguard audit show", () => {
  it("shows every field of one record, by id or unique prefix", async () => {
    const waived = records[2]!;
    const run = await runCli(["audit", "show", waived.id, "--log", log]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^id\s+\S+\n/);
    expect(run.stdout).toContain(`decision  waived (mandatory)`);
    expect(run.stdout).toContain("waiver    W-7, approved by bob@acme.test, expires 2099-01-31");
    expect(run.stdout).toContain("costs     baseline $23,941.68/mo, worst case $80,358.40/mo");
    expect(run.stdout).toContain(`hash      ${waived.hash}`);
    // Multi-line messages stay readable, indented under their label.
    expect(run.stdout).toContain(
      'message   waived: "trainer-2", approved by Bob, Ops\n          see ticket #42',
    );
    const byPrefix = await runCli(["audit", "show", waived.id.slice(0, 18).toLowerCase(), "--log", log]);
    expect(byPrefix).toMatchObject({ code: 0, stdout: run.stdout });
    // The first characters are the timestamp, shared by records written in the same moment.
    const ambiguous = await runCli(["audit", "show", waived.id.slice(0, 4), "--log", log]);
    expect(ambiguous).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/matches 4 records; give more of the id/),
    });
    const json = await runCli(["audit", "show", waived.id, "--log", log, "--format", "json"]);
    expect(JSON.parse(json.stdout)).toEqual(waived);
  });

  it("escapes terminal control characters from record text", async () => {
    const run = await runCli(["audit", "show", records[3]!.id, "--log", log]);
    expect(run.stdout).not.toContain("\u001b");
    expect(run.stdout).toContain("\\u001b[31mred");
  });

  it("exits 2 for an unknown id", async () => {
    const run = await runCli(["audit", "show", "01ZZZZZZZZZZZZZZZZZZZZZZZZ", "--log", log]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe(`computeguard: no audit record with id 01ZZZZZZZZZZZZZZZZZZZZZZZZ in ${log}\n`);
  });
});

describe("computeguard audit verify", () => {
  it("exits 0 with the record count and chain head when intact", async () => {
    const run = await runCli(["audit", "verify", "--log", log]);
    expect(run).toEqual({
      code: 0,
      stdout: `audit log intact: 4 records in 1 file, head 4:${records[3]!.hash}\n`,
      stderr: "",
    });
  });

  it("exits 1 naming the first bad record", async () => {
    const path = copyOfLog();
    writeFileSync(path, readFileSync(path, "utf8").replace('"decision":"warned"', '"decision":"passed"'));
    const run = await runCli(["audit", "verify", "--log", path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `audit log NOT intact: ${path} line 2 (record ${records[1]!.id}): content does not match its hash`,
    );
    expect(run.stdout).toContain(`1 records verified before it, last good head 1:${records[0]!.hash}`);
  });

  it("exits 1 on a torn tail and 0 after --repair", async () => {
    const path = copyOfLog();
    writeFileSync(path, `${readFileSync(path, "utf8")}{"actor":{"us`);
    const found = await runCli(["audit", "verify", "--log", path]);
    expect(found.code).toBe(1);
    expect(found.stdout).toContain("line 5: incomplete last line (13 bytes)");
    const repaired = await runCli(["audit", "verify", "--repair", "--log", path]);
    expect(repaired.code).toBe(0);
    expect(repaired.stdout).toBe(
      `repaired: removed an incomplete last line (13 bytes)\naudit log intact: 4 records in 1 file, head 4:${records[3]!.hash}\n`,
    );
    expect(readFileSync(path).equals(readFileSync(log))).toBe(true);
  });

  it("reads COMPUTEGUARD_AUDIT_LOG when --log is absent, and exits 2 when there is no log", async () => {
    expect((await runCli(["audit", "verify"], { env: { COMPUTEGUARD_AUDIT_LOG: log } })).code).toBe(0);
    const missing = join(dirs.make(), "nothing-here.jsonl");
    const run = await runCli(["audit", "verify", "--log", missing]);
    expect(run).toMatchObject({ code: 2, stderr: `computeguard: no audit log at ${missing}\n` });
  });
});

describe("computeguard audit export", () => {
  it("exports every record as JSON (default) or CSV", async () => {
    const json = await runCli(["audit", "export", "--log", log]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual(records);
    const csv = parseCsv((await runCli(["audit", "export", "--format", "csv", "--log", log])).stdout);
    expect(csv).toHaveLength(5);
    expect(csv.slice(1).map((row) => row[csv[0]!.indexOf("id")])).toEqual(records.map((r) => r.id));
    expect(csv[3]![csv[0]!.indexOf("message")]).toBe(TRICKY);
  });

  it("exports an empty array for an empty log", async () => {
    const empty = join(dirs.make(), "audit.jsonl");
    writeFileSync(empty, "");
    expect(await runCli(["audit", "export", "--log", empty])).toEqual({
      code: 0,
      stdout: "[]\n",
      stderr: "",
    });
  });
});
