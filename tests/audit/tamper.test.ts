import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type AuditRecord,
  appendAuditRecord,
  canonicalJson,
  recordHash,
  verifyAuditLog,
} from "../../src/audit/index.js";
import { sampleDraft } from "./helpers/draft.js";
import { tempDirs } from "./helpers/temp-dir.js";

const dirs = tempDirs("audit-tamper");
const RECORDS = 12;
let original: Buffer;
let records: AuditRecord[];

beforeAll(async () => {
  const path = join(dirs.make(), "audit.jsonl");
  records = [];
  for (let i = 0; i < RECORDS; i++) {
    const result = await appendAuditRecord(
      sampleDraft({ message: i % 3 === 0 ? `Überschreitung ${i} — 80 000 €` : `record ${i}` }),
      { path },
    );
    if (!result.ok) throw new Error(result.reason);
    records.push(result.record);
  }
  original = readFileSync(path);
});
afterAll(() => dirs.removeAll());

function lines(): string[] {
  return original.toString("utf8").split("\n").slice(0, RECORDS);
}

/** A copy of the fixture log with the given content; returns its path. */
function tampered(content: string | Buffer): string {
  const path = join(dirs.make(), "audit.jsonl");
  writeFileSync(path, content);
  return path;
}

function joined(ls: string[]): string {
  return `${ls.join("\n")}\n`;
}

describe("verify names the first tampered record", () => {
  it("passes the untouched log and reports its head", async () => {
    const result = await verifyAuditLog(tampered(original));
    expect(result).toEqual({
      ok: true,
      records: RECORDS,
      files: [expect.stringMatching(/audit\.jsonl$/)],
      head: { seq: RECORDS, hash: records[RECORDS - 1]!.hash },
    });
  });

  it("an edited field (hash mismatch)", async () => {
    const ls = lines();
    ls[4] = ls[4]!.replace('"decision":"blocked"', '"decision":"passed"');
    const result = await verifyAuditLog(tampered(joined(ls)));
    expect(result).toMatchObject({ ok: false, records: 4, head: { seq: 4, hash: records[3]!.hash } });
    expect(result.firstProblem).toMatchObject({ line: 5, id: records[4]!.id });
    expect(result.firstProblem?.what).toMatch(/edited/);
  });

  it("a deleted line (seq gap named at the record after it)", async () => {
    const ls = lines();
    ls.splice(4, 1);
    const result = await verifyAuditLog(tampered(joined(ls)));
    expect(result.firstProblem).toMatchObject({ line: 5, id: records[5]!.id });
    expect(result.firstProblem?.what).toMatch(/seq 6 where 5 was expected: 1 record before it deleted/);
  });

  it("the first line deleted", async () => {
    const result = await verifyAuditLog(tampered(joined(lines().slice(1))));
    expect(result.firstProblem).toMatchObject({ line: 1, id: records[1]!.id });
  });

  it("two lines swapped", async () => {
    const ls = lines();
    [ls[6], ls[7]] = [ls[7]!, ls[6]!];
    const result = await verifyAuditLog(tampered(joined(ls)));
    expect(result.firstProblem).toMatchObject({ line: 7, id: records[7]!.id });
    expect(result.firstProblem?.what).toMatch(/reordered/);
  });

  it("an inserted forged record with a valid hash of its own", async () => {
    const ls = lines();
    const { hash: _, ...content } = {
      ...records[4]!,
      id: "01J00000000000000000000000",
      message: "nothing to see",
    };
    const forged = { ...content, hash: recordHash(content) };
    ls.splice(4, 0, canonicalJson(forged));
    const result = await verifyAuditLog(tampered(joined(ls)));
    expect(result.firstProblem).toMatchObject({ line: 5, id: forged.id });
    expect(result.firstProblem?.what).toMatch(/inserted/);
  });

  it("an inserted copy of an earlier record", async () => {
    const ls = lines();
    ls.splice(8, 0, ls[2]!);
    const result = await verifyAuditLog(tampered(joined(ls)));
    expect(result.firstProblem).toMatchObject({ line: 9, id: records[2]!.id });
    expect(result.firstProblem?.what).toMatch(/seq 3 where 9 was expected/);
  });

  it("an inserted line that is not a record", async () => {
    const ls = lines();
    ls.splice(3, 0, '{"note":"hello"}');
    const result = await verifyAuditLog(tampered(joined(ls)));
    expect(result.firstProblem).toMatchObject({ line: 4, id: null, what: "has no hash" });
  });

  it("an edit with the record's own hash recomputed breaks the next link", async () => {
    const { hash: _, ...content } = { ...records[5]!, decision: "passed" as const };
    const ls = lines();
    ls[5] = canonicalJson({ ...content, hash: recordHash(content) });
    const result = await verifyAuditLog(tampered(joined(ls)));
    expect(result.firstProblem).toMatchObject({ line: 7, id: records[6]!.id });
    expect(result.firstProblem?.what).toMatch(/prevHash/);
  });

  it("a byte flipped anywhere before the last line is corruption at that line, never a torn tail", async () => {
    const lineStarts = [0];
    for (const l of lines()) lineStarts.push(lineStarts.at(-1)! + Buffer.byteLength(l) + 1);
    await fc.assert(
      // Any byte before the last line, newlines included.
      fc.asyncProperty(
        fc.integer({ min: 0, max: lineStarts[RECORDS - 1]! - 1 }),
        fc.integer({ min: 1, max: 255 }),
        async (offset, mask) => {
          const line = lineStarts.findLastIndex((start) => start <= offset);
          const bytes = Buffer.from(original);
          bytes[offset] = bytes[offset]! ^ mask;
          const result = await verifyAuditLog(tampered(bytes));
          expect(result.ok).toBe(false);
          expect(result.tornTail).toBeUndefined();
          expect(result.firstProblem?.line).toBe(line + 1);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a whole record followed by junk instead of its final newline is damage, not a torn tail", async () => {
    const bytes = Buffer.from(original);
    bytes[bytes.length - 1] = "x".charCodeAt(0);
    const path = tampered(bytes);
    const result = await verifyAuditLog(path, { repair: true });
    expect(result).toMatchObject({
      ok: false,
      firstProblem: { line: RECORDS, id: records[RECORDS - 1]!.id },
    });
    expect(result.tornTail).toBeUndefined();
    expect(readFileSync(path).equals(bytes)).toBe(true);
  });

  it("an empty line in the middle", async () => {
    const ls = lines();
    ls.splice(2, 0, "");
    expect((await verifyAuditLog(tampered(joined(ls)))).firstProblem).toMatchObject({
      line: 3,
      what: "empty line",
    });
  });
});
