import { describe, expect, it } from "vitest";
import { type AuditRecord, recordHash } from "../../src/audit/index.js";
import { appendStoreAuditRecord, appendStoreAuditRecords } from "../../src/store/audit-append.js";
import { verifyStoreAudit } from "../../src/store/audit-verify.js";
import { sampleDraft } from "../audit/helpers/draft.js";
import { runCli } from "../support/cli.js";
import { skipReason, useDatabase } from "./support/database.js";

const db = useDatabase();

async function append(organization: string, count: number, overrides = {}): Promise<AuditRecord[]> {
  const conn = db().connect();
  const records: AuditRecord[] = [];
  for (let i = 0; i < count; i++) {
    const result = await appendStoreAuditRecord(
      conn,
      sampleDraft({ organization, message: `decision ${i}`, ...overrides }),
    );
    if (!result.ok) throw new Error(result.reason);
    records.push(result.record);
  }
  return records;
}

/** As the superuser, with the append-only triggers bypassed: what an attacker with the keys can do. */
async function tamper(sql: string, values: unknown[] = []): Promise<void> {
  const { admin } = db();
  await admin.query("BEGIN");
  await admin.query("SET LOCAL session_replication_role = replica");
  await admin.query(sql, values);
  await admin.query("COMMIT");
}

async function lastId(organization: string): Promise<string> {
  const { rows } = await db().admin.query(
    "SELECT id FROM computeguard.audit_records WHERE organization = $1 ORDER BY seq DESC LIMIT 1",
    [organization],
  );
  return rows[0].id;
}

describe.skipIf(skipReason)("audit trail in the store", () => {
  it("chains concurrent appends from many runners per organisation, and verifies", async () => {
    // Three runners, two organisations, appending at once: each chain must stay gapless.
    const runners = [0, 1, 2].map(() => db().connect());
    const writes = runners.flatMap((conn, r) =>
      Array.from({ length: 10 }, (_, i) =>
        appendStoreAuditRecord(
          conn,
          sampleDraft({ organization: i % 2 ? "acme" : "globex", message: `r${r} #${i}` }),
        ),
      ),
    );
    const results = await Promise.all(writes);
    expect(results.every((r) => r.ok)).toBe(true);
    const bySeq = (org: string) =>
      results
        .flatMap((r) => (r.ok && r.record.organization === org ? [r.record] : []))
        .sort((a, b) => a.seq - b.seq);
    for (const org of ["acme", "globex"]) {
      const chain = bySeq(org);
      expect(chain.map((r) => r.seq)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
      chain.forEach((r, i) => {
        expect(r.hash).toBe(recordHash(r as unknown as Record<string, unknown>));
        if (i > 0) expect(r.prevHash).toBe(chain[i - 1]!.hash);
      });
    }
    const verified = await verifyStoreAudit(db().connect());
    expect(verified).toMatchObject({ ok: true, records: 30 });
    expect(verified.chains.map((c) => [c.organization, c.records])).toEqual([
      ["acme", 15],
      ["globex", 15],
    ]);
  });

  it("audit list, show, export and verify read the store when COMPUTEGUARD_STORE_URL is set", async () => {
    const env = { COMPUTEGUARD_STORE_URL: db().appUrl };
    const [blocked] = await append("initech", 1, {
      decision: "blocked",
      stack: "cli-prod",
      policy: "gpu-org-budget",
    });
    const list = await runCli(["audit", "list", "--stack", "cli-prod", "--format", "json"], { env });
    expect(list).toMatchObject({ code: 0, stderr: "" });
    expect(JSON.parse(list.stdout)).toEqual([blocked]);
    const table = await runCli(["audit", "list", "--policy", "gpu-org-budget"], { env });
    expect(table.stdout).toContain(blocked!.id);
    expect(table.stdout).toContain("1 record\n");
    const show = await runCli(["audit", "show", blocked!.id.slice(0, 12).toLowerCase(), "--format", "json"], {
      env,
    });
    expect(JSON.parse(show.stdout)).toEqual(blocked);
    const exported = await runCli(["audit", "export", "--format", "csv"], { env });
    expect(exported.stdout.trimEnd().split("\n")).toHaveLength(32); // header + 31 records
    const verify = await runCli(["audit", "verify"], { env });
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(
      /^audit store intact: 31 records in 3 organization chains \(acme head 15:[0-9a-f]{64}, globex head 15:/,
    );
    const repair = await runCli(["audit", "verify", "--repair"], { env });
    expect(repair).toMatchObject({
      code: 2,
      stderr: "computeguard: --repair mends a torn file log; the audit store has no torn writes\n",
    });
  });

  it("finds each kind of tampering, naming the organisation and record", async () => {
    const env = { COMPUTEGUARD_STORE_URL: db().appUrl };
    const chain = await append("umbrella", 4);
    const [, second, third, fourth] = chain as [AuditRecord, AuditRecord, AuditRecord, AuditRecord];
    const { admin } = db();
    const original = (
      await admin.query("SELECT record FROM computeguard.audit_records WHERE id = $1", [second.id])
    ).rows[0].record as string;
    let restoreFourth: () => Promise<void> = async () => undefined;
    const cases: Array<{ damage: () => Promise<void>; repair: () => Promise<void>; says: RegExp }> = [
      {
        damage: () =>
          tamper(
            "UPDATE computeguard.audit_records SET record = replace(record, 'decision 1', 'decision X') WHERE id = $1",
            [second.id],
          ),
        repair: () =>
          tamper("UPDATE computeguard.audit_records SET record = $2 WHERE id = $1", [second.id, original]),
        says: new RegExp(
          `organization umbrella seq 2 \\(record ${second.id}\\): content does not match its hash`,
        ),
      },
      {
        damage: () =>
          tamper("UPDATE computeguard.audit_records SET decision = 'passed' WHERE id = $1", [third.id]),
        repair: () =>
          tamper("UPDATE computeguard.audit_records SET decision = 'blocked' WHERE id = $1", [third.id]),
        says: /seq 3 .*the row's decision disagrees with its hashed record/,
      },
      {
        damage: () => tamper("DELETE FROM computeguard.audit_records WHERE id = $1", [second.id]),
        repair: () =>
          tamper(
            `INSERT INTO computeguard.audit_records (organization, seq, id, recorded_at, project, stack, policy, decision, prev_hash, hash, record)
             VALUES ('umbrella', 2, $1, $2, $3, $4, $5, $6, $7, $8, $9)`,
            [
              second.id,
              second.time,
              second.project,
              second.stack,
              second.policy,
              second.decision,
              second.prevHash,
              second.hash,
              original,
            ],
          ),
        says: /seq 3 .*seq 3 where 2 was expected: 1 record before it deleted/,
      },
      {
        damage: async () => {
          const stored = (
            await admin.query("SELECT * FROM computeguard.audit_records WHERE id = $1", [fourth.id])
          ).rows[0];
          await tamper("DELETE FROM computeguard.audit_records WHERE id = $1", [fourth.id]);
          restoreFourth = () =>
            tamper(
              `INSERT INTO computeguard.audit_records SELECT * FROM json_populate_record(NULL::computeguard.audit_records, $1::json)`,
              [JSON.stringify(stored)],
            );
        },
        repair: () => restoreFourth(),
        says: /organization umbrella chain head: the chain head is at seq 4 but the last record is seq 3: the last 1 record was deleted/,
      },
    ];
    for (const { damage, repair, says } of cases) {
      await damage();
      const broken = await runCli(["audit", "verify"], { env });
      expect(broken.code, String(says)).toBe(1);
      expect(broken.stdout).toMatch(says);
      await repair();
      expect((await runCli(["audit", "verify"], { env })).code, `after repairing ${says}`).toBe(0);
    }
  });

  it("verify --head catches a tail cut or rewritten with recomputed hashes, which the chain alone cannot", async () => {
    const env = { COMPUTEGUARD_STORE_URL: db().appUrl };
    const chain = await append("anchored", 6);
    const anchor = `6:${chain[5]!.hash}`;
    const verify = (...args: string[]) => runCli(["audit", "verify", ...args], { env });
    expect(await verify("--head", anchor, "--organization", "anchored")).toMatchObject({ code: 0 });
    // An anchor names one organisation's chain; with several in the store, the caller says which.
    const ambiguous = await verify("--head", anchor);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(
      /^computeguard: the audit store holds \d+ organization chains \(.*anchored.*\): name the head's with --organization\n$/,
    );

    // Someone with the owner's keys cuts the last two records and moves the head back to match.
    const { admin } = db();
    const rows = (
      await admin.query(
        "SELECT * FROM computeguard.audit_records WHERE organization = 'anchored' AND seq > 4",
      )
    ).rows;
    await tamper("DELETE FROM computeguard.audit_records WHERE organization = 'anchored' AND seq > 4");
    await admin.query(
      "UPDATE computeguard.audit_chain_heads SET seq = 4, hash = $1 WHERE organization = 'anchored'",
      [chain[3]!.hash],
    );
    expect((await verify()).code).toBe(0);
    const cut = await verify("--head", anchor, "--organization", "anchored");
    expect(cut.code).toBe(1);
    expect(cut.stdout).toBe(
      `audit store NOT intact: organization anchored chain head: the chain ends at seq 4, before the anchored head ${anchor}: 2 records cut from the end (or the log replaced)\n` +
        `4 records of anchored verified before it, last good head 4:${chain[3]!.hash}\n`,
    );

    // ... or writes a different record 5 and 6 in their place, every hash recomputed: the app
    // role's own appends (through the database's trigger) continue the rewritten chain.
    await append("anchored", 2, { decision: "passed" });
    expect((await verify()).code).toBe(0);
    const rewritten = await verify("--head", anchor, "--organization", "anchored");
    expect(rewritten.code).toBe(1);
    expect(rewritten.stdout).toContain(
      `organization anchored seq 6 (record ${await lastId("anchored")}): not the anchored record ${anchor}`,
    );
    // Put the original tail back for the suites after this one.
    await tamper("DELETE FROM computeguard.audit_records WHERE organization = 'anchored' AND seq > 4");
    for (const row of rows) {
      await tamper(
        "INSERT INTO computeguard.audit_records SELECT * FROM json_populate_record(NULL::computeguard.audit_records, $1::json)",
        [JSON.stringify(row)],
      );
    }
    await admin.query(
      "UPDATE computeguard.audit_chain_heads SET seq = 6, hash = $1 WHERE organization = 'anchored'",
      [chain[5]!.hash],
    );
    expect(await verify("--head", anchor, "--organization", "anchored")).toMatchObject({ code: 0 });
  });

  it("the append-only triggers refuse even the owner, and the app role may only insert and read", async () => {
    const { admin } = db();
    for (const sql of [
      "UPDATE computeguard.audit_records SET decision = 'passed'",
      "DELETE FROM computeguard.audit_records",
      "TRUNCATE computeguard.audit_records",
    ]) {
      await expect(admin.query(sql), sql).rejects.toThrow(/computeguard.audit_records is append-only/);
    }
    const app = db().connect();
    for (const sql of [
      "UPDATE computeguard.audit_records SET decision = 'passed'",
      "DELETE FROM computeguard.audit_records",
      "TRUNCATE computeguard.audit_records",
      "ALTER TABLE computeguard.audit_records DISABLE TRIGGER audit_records_no_update_or_delete",
    ]) {
      await expect(app.query(sql), sql).rejects.toThrow(/refused: (permission denied|must be owner)/);
    }
    const count = await app.query<{ n: string }>("SELECT count(*) AS n FROM computeguard.audit_records");
    expect(Number(count[0]!.n)).toBeGreaterThan(0);
  });
  // Last: it adds records, and the suites above count the store's.
  it("appends several records in one transaction, each continuing its organisation's chain", async () => {
    const [before] = await append("soylent", 1);
    const results = await appendStoreAuditRecords(db().connect(), [
      sampleDraft({ organization: "soylent", message: "one" }),
      sampleDraft({ organization: "tyrell", message: "two" }),
      sampleDraft({ organization: "soylent", costs: { monthlyBaseline: "1,00" } } as never),
      sampleDraft({ organization: "soylent", message: "three" }),
    ]);
    expect(results.map((r) => r.ok)).toEqual([true, true, false, true]);
    expect(results[2]!.ok ? "" : results[2]!.reason).toContain("costs");
    const [one, two, , three] = results.map((r) => (r.ok ? r.record : undefined));
    expect(one).toMatchObject({ seq: 2, prevHash: before!.hash });
    expect(two).toMatchObject({ organization: "tyrell", seq: 1 });
    expect(three).toMatchObject({ seq: 3, prevHash: one!.hash });
    const verified = await verifyStoreAudit(db().connect());
    expect(verified.ok).toBe(true);
    expect(verified.chains.find((c) => c.organization === "soylent")?.records).toBe(3);
  });
});
