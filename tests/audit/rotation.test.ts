import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  type AuditRecord,
  appendAuditRecord,
  GENESIS_HASH,
  logFiles,
  readAuditRecords,
  rotatedPath,
  verifyAuditLog,
} from "../../src/audit/index.js";
import { sampleDraft } from "./helpers/draft.js";
import { tempDirs } from "./helpers/temp-dir.js";

const dirs = tempDirs("audit-rotation");
afterAll(() => dirs.removeAll());

/** Records are about 1 KB, so 2,500 bytes holds two per file. */
const MAX_BYTES = 2500;

async function rotatedLog(count: number): Promise<{ path: string; records: AuditRecord[] }> {
  const path = join(dirs.make(), "audit.jsonl");
  const records: AuditRecord[] = [];
  for (let i = 0; i < count; i++) {
    const result = await appendAuditRecord(sampleDraft({ message: `record ${i}` }), {
      path,
      maxBytes: MAX_BYTES,
    });
    if (!result.ok) throw new Error(result.reason);
    records.push(result.record);
  }
  return { path, records };
}

function firstLine(path: string): AuditRecord {
  return JSON.parse(readFileSync(path, "utf8").split("\n")[0]!);
}

describe("size-based rotation", () => {
  it("moves audit.jsonl to audit.<n>.jsonl and continues the chain across files", async () => {
    const { path, records } = await rotatedLog(9);
    const files = logFiles(path);
    expect(files.map((f) => f.rotation)).toEqual([1, 2, 3, 4, null]);
    expect(files[0]!.path).toBe(rotatedPath(path, 1));
    expect(files[0]!.path.endsWith("audit.1.jsonl")).toBe(true);
    for (const file of files) expect(statSync(file.path).size).toBeLessThanOrEqual(MAX_BYTES);
    // Each file starts where the previous one ended.
    expect(firstLine(files[0]!.path).prevHash).toBe(GENESIS_HASH);
    expect(firstLine(files[1]!.path)).toMatchObject({ seq: 3, prevHash: records[1]!.hash });
    expect(firstLine(path)).toMatchObject({ seq: 9, prevHash: records[7]!.hash });

    expect(await verifyAuditLog(path)).toMatchObject({
      ok: true,
      records: 9,
      head: { seq: 9, hash: records[8]!.hash },
    });
    expect([...readAuditRecords(path)].map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("takes its limit from COMPUTEGUARD_AUDIT_MAX_BYTES", async () => {
    const path = join(dirs.make(), "audit.jsonl");
    const env = { COMPUTEGUARD_AUDIT_MAX_BYTES: String(MAX_BYTES) };
    for (let i = 0; i < 3; i++) await appendAuditRecord(sampleDraft(), { path, env });
    expect(logFiles(path).map((f) => f.rotation)).toEqual([1, null]);
  });

  it("detects an edit inside a rotated file and names that file", async () => {
    const { path, records } = await rotatedLog(9);
    const second = rotatedPath(path, 2);
    writeFileSync(second, readFileSync(second, "utf8").replace('"record 3"', '"record three"'));
    const result = await verifyAuditLog(path);
    expect(result).toMatchObject({ ok: false, records: 3 });
    expect(result.firstProblem).toMatchObject({ file: second, line: 2, id: records[3]!.id });
  });

  it("detects a rotated file deleted from the middle", async () => {
    const { path, records } = await rotatedLog(9);
    rmSync(rotatedPath(path, 2));
    const result = await verifyAuditLog(path);
    expect(result.firstProblem).toMatchObject({ file: rotatedPath(path, 3), line: 1, id: records[4]!.id });
    expect(result.firstProblem?.what).toMatch(/2 records before it deleted/);
  });

  it("a rotated file without its final newline is damage; repair leaves it alone", async () => {
    const { path } = await rotatedLog(5);
    const first = rotatedPath(path, 1);
    const truncated = readFileSync(first).subarray(0, -10);
    writeFileSync(first, truncated);
    const result = await verifyAuditLog(path, { repair: true });
    expect(result).toMatchObject({ ok: false, firstProblem: { file: first, line: 2 } });
    expect(result.repaired).toBeUndefined();
    expect(readFileSync(first).equals(truncated)).toBe(true);
  });

  it("continues from the newest rotated file when a crash left no active file", async () => {
    const { path, records } = await rotatedLog(5);
    renameSync(path, rotatedPath(path, 3)); // as if killed right after rotating
    expect(existsSync(path)).toBe(false);
    const next = await appendAuditRecord(sampleDraft(), { path, maxBytes: MAX_BYTES });
    expect(next).toMatchObject({ ok: true, record: { seq: 6, prevHash: records[4]!.hash } });
    expect(await verifyAuditLog(path)).toMatchObject({ ok: true, records: 6 });
  });
});
