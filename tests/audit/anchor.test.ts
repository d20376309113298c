/**
 * Anchoring: a hash chain alone cannot show that its end was cut off, or that someone rewrote the
 * tail and recomputed every hash. A head printed earlier (`SEQ:SHA256`, as `check`, the pack and
 * `audit verify` print it) can: `computeguard audit verify --head` fails when the log lost it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuditRecord,
  appendAuditRecord,
  canonicalJson,
  chainAfter,
  formatHead,
  GENESIS_HEAD,
  parseHead,
} from "../../src/audit/index.js";
import { runCli } from "../support/cli.js";
import { sampleDraft } from "./helpers/draft.js";
import { tempDirs } from "./helpers/temp-dir.js";

const dirs = tempDirs("audit-anchor");
let log: string;
const records: AuditRecord[] = [];

beforeAll(async () => {
  log = join(dirs.make(), "audit.jsonl");
  for (let i = 1; i <= 6; i++) {
    const result = await appendAuditRecord(sampleDraft({ message: `decision ${i}` }), { path: log });
    if (!result.ok) throw new Error(result.reason);
    records.push(result.record);
  }
});
afterAll(() => dirs.removeAll());

const lines = () => readFileSync(log, "utf8").trimEnd().split("\n");
const anchorOf = (r: AuditRecord) => formatHead({ seq: r.seq, hash: r.hash });

/** A copy of the log with its lines replaced. */
function tampered(newLines: string[]): string {
  const path = join(dirs.make(), "audit.jsonl");
  writeFileSync(path, `${newLines.join("\n")}\n`);
  return path;
}

/** What someone who controls the file can do: re-chain records from `from` on with fresh hashes. */
function rechained(kept: AuditRecord[], rewritten: AuditRecord[]): string[] {
  let head = kept.length > 0 ? { seq: kept.at(-1)!.seq, hash: kept.at(-1)!.hash } : GENESIS_HEAD;
  const out = kept.map((r) => canonicalJson(r));
  for (const r of rewritten) {
    const { seq: _s, prevHash: _p, hash: _h, ...content } = r;
    const next = chainAfter(head, content);
    out.push(canonicalJson(next));
    head = { seq: next.seq, hash: next.hash };
  }
  return out;
}

describe("computeguard audit verify --head SEQ:SHA256", () => {
  it("passes while the log still holds the anchored head, however much it has grown since", async () => {
    for (const r of [records[2]!, records[5]!]) {
      const run = await runCli(["audit", "verify", "--log", log, "--head", anchorOf(r)]);
      expect(run).toEqual({
        code: 0,
        stdout: `audit log intact: 6 records in 1 file, head ${anchorOf(records[5]!)}\n`,
        stderr: "",
      });
    }
    // The form it prints is the form it reads, upper-case hex too.
    expect(parseHead(anchorOf(records[5]!).toUpperCase())).toEqual({ seq: 6, hash: records[5]!.hash });
  });

  it("catches a tail cut off the end, which verifies as intact without the anchor", async () => {
    const cut = tampered(lines().slice(0, 4));
    expect((await runCli(["audit", "verify", "--log", cut])).code).toBe(0);
    const run = await runCli(["audit", "verify", "--log", cut, "--head", anchorOf(records[5]!)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      `audit log NOT intact: ${cut} line 5: the chain ends at seq 4, before the anchored head ${anchorOf(records[5]!)}: 2 records cut from the end (or the log replaced)\n` +
        `4 records verified before it, last good head ${anchorOf(records[3]!)}\n`,
    );
  });

  it("catches a tail rewritten with recomputed hashes, which verifies as intact without the anchor", async () => {
    const edited = records.slice(2).map((r, i) => (i === 0 ? { ...r, decision: "passed" as const } : r));
    const rewritten = tampered(rechained(records.slice(0, 2), edited));
    expect((await runCli(["audit", "verify", "--log", rewritten])).code).toBe(0);
    const run = await runCli(["audit", "verify", "--log", rewritten, "--head", anchorOf(records[5]!)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(
      `audit log NOT intact: ${rewritten} line 6 (record ${records[5]!.id}): not the anchored record ${anchorOf(records[5]!)}: the chain was rewritten at or before seq 6 (hashes recomputed)\n`,
    );
    // An anchor before the rewrite still holds: the damage is after it.
    expect(
      (await runCli(["audit", "verify", "--log", rewritten, "--head", anchorOf(records[1]!)])).code,
    ).toBe(0);
  });

  it("catches a tail cut and replaced by as many forged records or more", async () => {
    const forged = [records[4]!, records[5]!, records[5]!].map((r, i) => ({ ...r, message: `forged ${i}` }));
    const replaced = tampered(rechained(records.slice(0, 4), forged));
    expect((await runCli(["audit", "verify", "--log", replaced])).code).toBe(0);
    const run = await runCli(["audit", "verify", "--log", replaced, "--head", anchorOf(records[4]!)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("line 5 (record");
    expect(run.stdout).toContain(`not the anchored record ${anchorOf(records[4]!)}`);
  });

  it("refuses a malformed head with a one-line error (exit 2)", async () => {
    for (const head of ["6", `0:${records[0]!.hash}`, `6:${records[5]!.hash.slice(0, 16)}`, "x:y"]) {
      const run = await runCli(["audit", "verify", "--log", log, "--head", head]);
      expect(run, head).toMatchObject({
        code: 2,
        stdout: "",
        stderr: `computeguard: --head must be SEQ:SHA256 as check and verify print it, got "${head}"\n`,
      });
    }
  });
});
