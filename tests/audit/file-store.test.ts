import { mkdirSync, readFileSync, rmdirSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  AuditRecordSchema,
  appendAuditRecord,
  appendAuditRecords,
  auditFailureLevel,
  GENESIS_HASH,
  lockPathFor,
  MAX_MESSAGE_CHARS,
  readAuditRecords,
  recordHash,
  verifyAuditLog,
} from "../../src/audit/index.js";
import { sampleDraft } from "./helpers/draft.js";
import { tempDirs } from "./helpers/temp-dir.js";

const dirs = tempDirs("audit-store");
afterAll(() => dirs.removeAll());

function freshLog(): string {
  return join(dirs.make(), "nested", "audit.jsonl");
}

describe("appendAuditRecord", () => {
  it("writes one canonical line per record, hash-chained from 64 zeros", async () => {
    const path = freshLog();
    const first = await appendAuditRecord(sampleDraft({ decision: "warned" }), { path });
    const second = await appendAuditRecord(
      sampleDraft({ resource: undefined, message: 'a "quoted", multi\nline' }),
      {
        path,
      },
    );
    if (!first.ok || !second.ok) throw new Error("append failed");
    expect(first.record).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, decision: "warned", v: 1 });
    expect(second.record).toMatchObject({ seq: 2, prevHash: first.record.hash, resource: null });
    expect(first.record.hash).toBe(recordHash(first.record));
    expect(first.record.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);

    const lines = readFileSync(path, "utf8").split("\n");
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe("");
    const stored = lines.slice(0, 2).map((l) => JSON.parse(l));
    expect(stored.map((r) => AuditRecordSchema.parse(r))).toEqual([first.record, second.record]);
    // Canonical: keys sorted at every level, so the line is exactly what was hashed plus the hash.
    expect(Object.keys(stored[0])).toEqual(Object.keys(stored[0]).sort());
    expect([...readAuditRecords(path)].map((r) => r.message)).toEqual([
      first.record.message,
      'a "quoted", multi\nline',
    ]);
  });

  it("fills in the actor from the environment when the draft has none", async () => {
    const path = freshLog();
    const env = {
      GITHUB_ACTIONS: "true",
      GITHUB_ACTOR: "octocat",
      GITHUB_REPOSITORY: "acme/infra",
      GITHUB_SHA: "f00",
    };
    const result = await appendAuditRecord(sampleDraft({ actor: undefined }), { path, env });
    expect(result.ok && result.record.actor).toEqual({
      user: "octocat",
      ci: "github-actions",
      repository: "acme/infra",
      commit: "f00",
    });
  });

  it("rejects a malformed draft naming the field, without throwing", async () => {
    const path = freshLog();
    const bad = await appendAuditRecord(
      sampleDraft({ costs: { monthlyBaseline: "12,00", monthlyWorstCase: null, oneTime: null } }),
      {
        path,
      },
    );
    expect(bad).toMatchObject({ ok: false, code: "invalid-record" });
    expect(bad.ok ? "" : bad.reason).toContain("costs.monthlyBaseline");
    const typo = await appendAuditRecord({ ...sampleDraft(), stak: "prod" } as never, { path });
    expect(typo.ok ? "" : typo.reason).toMatch(/stak/);
  });

  it("serialises concurrent appends from one process (the pack judges resources in parallel)", async () => {
    const path = freshLog();
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        appendAuditRecord(sampleDraft({ message: `parallel ${i}` }), { path }),
      ),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await verifyAuditLog(path)).toMatchObject({ ok: true, records: 40 });
    expect([...readAuditRecords(path)].map((r) => r.seq)).toEqual(
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
  });

  it("finds the chain head behind a last line longer than the first read window", async () => {
    const path = freshLog();
    await appendAuditRecord(sampleDraft(), { path });
    const long = await appendAuditRecord(sampleDraft({ message: "€".repeat(MAX_MESSAGE_CHARS) }), { path });
    const next = await appendAuditRecord(sampleDraft(), { path });
    expect(long.ok && next.ok && next.record.prevHash === long.record.hash).toBe(true);
    expect(await verifyAuditLog(path)).toMatchObject({ ok: true, records: 3 });
  });

  it("cuts an overlong message so the record stays one modest line", async () => {
    const path = freshLog();
    const result = await appendAuditRecord(sampleDraft({ message: "x".repeat(MAX_MESSAGE_CHARS * 3) }), {
      path,
    });
    expect(result.ok && result.record.message.length).toBeLessThan(MAX_MESSAGE_CHARS + 20);
    expect(result.ok && result.record.message.endsWith("[truncated]")).toBe(true);
  });
});

describe("appendAuditRecords", () => {
  it("chains several records in order in one write; a malformed draft fails alone", async () => {
    const path = freshLog();
    await appendAuditRecord(sampleDraft({ message: "before" }), { path });
    const results = await appendAuditRecords(
      [
        sampleDraft({ message: "first" }),
        sampleDraft({ costs: { monthlyBaseline: "12,00", monthlyWorstCase: null, oneTime: null } }),
        sampleDraft({ message: "second" }),
      ],
      { path },
    );
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ ok: false, code: "invalid-record" });
    const [first, , second] = results.map((r) => (r.ok ? r.record : undefined));
    expect(first).toMatchObject({ seq: 2, message: "first" });
    expect(second).toMatchObject({ seq: 3, message: "second", prevHash: first!.hash });
    expect(await verifyAuditLog(path)).toMatchObject({ ok: true, records: 3 });
    expect([...readAuditRecords(path)].map((r) => r.message)).toEqual(["before", "first", "second"]);
  });

  it("writes none of them when the log cannot be written, each saying why", async () => {
    const dir = dirs.make();
    symlinkSync("/dev/full", join(dir, "audit.jsonl"));
    const results = await appendAuditRecords([sampleDraft(), sampleDraft()], {
      path: join(dir, "audit.jsonl"),
    });
    expect(results).toHaveLength(2);
    for (const r of results) {
      expect(r).toMatchObject({ ok: false, code: "io" });
      expect(r.ok ? "" : r.reason).toContain("ENOSPC");
    }
  });

  it("rotates before a batch that would take the file past maxBytes, keeping one chain", async () => {
    const path = freshLog();
    await appendAuditRecord(sampleDraft(), { path });
    const size = readFileSync(path).length;
    const results = await appendAuditRecords([sampleDraft(), sampleDraft()], {
      path,
      maxBytes: size * 2,
    });
    expect(results.every((r) => r.ok)).toBe(true);
    expect(readFileSync(path, "utf8").trim().split("\n")).toHaveLength(2);
    expect(await verifyAuditLog(path)).toMatchObject({ ok: true, records: 3 });
  });
});

describe("I/O failures come back as { ok: false } and the caller picks the level", () => {
  it("a path under a regular file (unwritable even for root)", async () => {
    const dir = dirs.make();
    writeFileSync(join(dir, "file.txt"), "not a directory");
    const result = await appendAuditRecord(sampleDraft(), { path: join(dir, "file.txt", "audit.jsonl") });
    expect(result).toMatchObject({ ok: false, code: "io" });
    // mkdir reports EEXIST (the name is taken by a file), or ENOTDIR deeper down.
    expect(result.ok ? "" : result.reason).toMatch(
      /cannot create audit log directory .*file\.txt.*(EEXIST|ENOTDIR)/,
    );
  });

  it("a full disk (the log is /dev/full)", async () => {
    const dir = dirs.make();
    symlinkSync("/dev/full", join(dir, "audit.jsonl"));
    const result = await appendAuditRecord(sampleDraft(), { path: join(dir, "audit.jsonl") });
    expect(result).toMatchObject({ ok: false, code: "io" });
    expect(result.ok ? "" : result.reason).toContain("ENOSPC");
  });

  it("a lock held by someone else for the whole wait", async () => {
    const path = freshLog();
    expect((await appendAuditRecord(sampleDraft(), { path })).ok).toBe(true);
    mkdirSync(lockPathFor(path)); // what proper-lockfile leaves while another writer holds the log
    const started = Date.now();
    const result = await appendAuditRecord(sampleDraft(), { path, lockTimeoutMs: 300 });
    expect(result).toMatchObject({ ok: false, code: "lock-timeout" });
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(result.ok ? "" : result.reason).toContain(lockPathFor(path));
    rmdirSync(lockPathFor(path));
    expect(await appendAuditRecord(sampleDraft(), { path })).toMatchObject({ ok: true, record: { seq: 2 } });
  });

  it("a malformed size setting names the variable", async () => {
    const result = await appendAuditRecord(sampleDraft(), {
      path: freshLog(),
      env: { COMPUTEGUARD_AUDIT_MAX_BYTES: "50MB" },
    });
    expect(result).toMatchObject({ ok: false, code: "settings" });
    expect(result.ok ? "" : result.reason).toContain("COMPUTEGUARD_AUDIT_MAX_BYTES");
  });

  it("update makes the failure mandatory, preview advisory, and the env can override", () => {
    expect(auditFailureLevel("update", {})).toBe("mandatory");
    expect(auditFailureLevel("preview", {})).toBe("advisory");
    expect(auditFailureLevel("check", {})).toBe("advisory");
    expect(auditFailureLevel("update", { COMPUTEGUARD_AUDIT_ON_FAILURE: "warn" })).toBe("advisory");
    expect(auditFailureLevel("preview", { COMPUTEGUARD_AUDIT_ON_FAILURE: "block" })).toBe("mandatory");
    // A typo must not quietly weaken the gate.
    expect(auditFailureLevel("preview", { COMPUTEGUARD_AUDIT_ON_FAILURE: "wran" })).toBe("mandatory");
  });
});

describe("locks and torn tails", () => {
  it("takes over a stale lock left by a dead writer", async () => {
    const path = freshLog();
    mkdirSync(join(path, ".."), { recursive: true });
    mkdirSync(lockPathFor(path));
    const past = new Date(Date.now() - 60_000);
    utimesSync(lockPathFor(path), past, past);
    expect(await appendAuditRecord(sampleDraft(), { path, lockTimeoutMs: 1000 })).toMatchObject({ ok: true });
  });

  it("refuses to append after a torn line until verify --repair, then continues the chain", async () => {
    const path = freshLog();
    for (let i = 0; i < 3; i++) await appendAuditRecord(sampleDraft(), { path });
    const intact = readFileSync(path);
    writeFileSync(path, Buffer.concat([intact, Buffer.from('{"budget":"team:ml","catalog":{"da')]));

    const refused = await appendAuditRecord(sampleDraft(), { path });
    expect(refused).toMatchObject({ ok: false, code: "torn-tail" });
    expect(refused.ok ? "" : refused.reason).toContain("computeguard audit verify --repair");
    expect(readFileSync(path).length).toBe(intact.length + 34); // nothing glued on

    const found = await verifyAuditLog(path);
    expect(found).toMatchObject({
      ok: false,
      tornTail: true,
      records: 3,
      firstProblem: { file: path, line: 4 },
    });
    const repaired = await verifyAuditLog(path, { repair: true });
    expect(repaired).toMatchObject({ ok: true, repaired: true, records: 3, removedBytes: 34 });
    expect(readFileSync(path).equals(intact)).toBe(true);

    const next = await appendAuditRecord(sampleDraft(), { path });
    expect(next).toMatchObject({ ok: true, record: { seq: 4, prevHash: repaired.head.hash } });
  });

  it("repair keeps a whole record that only lost its newline", async () => {
    const path = freshLog();
    for (let i = 0; i < 2; i++) await appendAuditRecord(sampleDraft(), { path });
    const text = readFileSync(path, "utf8");
    writeFileSync(path, text.slice(0, -1));
    expect(await verifyAuditLog(path)).toMatchObject({ ok: false, tornTail: true, records: 1 });
    expect(await verifyAuditLog(path, { repair: true })).toMatchObject({
      ok: true,
      records: 2,
      removedBytes: 0,
    });
    expect(readFileSync(path, "utf8")).toBe(text);
  });

  it("repair touches nothing when the damage is not a torn tail", async () => {
    const path = freshLog();
    for (let i = 0; i < 3; i++) await appendAuditRecord(sampleDraft(), { path });
    const lines = readFileSync(path, "utf8").split("\n");
    lines[1] = lines[1]!.replace('"blocked"', '"passed"');
    writeFileSync(path, lines.join("\n"));
    const before = readFileSync(path);
    const result = await verifyAuditLog(path, { repair: true });
    expect(result).toMatchObject({ ok: false, firstProblem: { line: 2 } });
    expect(result.repaired).toBeUndefined();
    expect(readFileSync(path).equals(before)).toBe(true);
  });
});
