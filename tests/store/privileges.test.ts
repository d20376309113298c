/**
 * The privilege model `computeguard store migrate` creates: the app role (every CI runner and
 * every engineer who runs `pulumi up` holds its credentials) may only INSERT into the ledger and
 * audit tables and read them. Chain heads and the ledger's current picture are the database's own,
 * kept by SECURITY DEFINER functions and triggers.
 */
import { describe, expect, it } from "vitest";
import { money } from "../../src/money.js";
import { appendStoreAuditRecord } from "../../src/store/audit-append.js";
import { verifyStoreAudit } from "../../src/store/audit-verify.js";
import { claimStackSpend, recordStackSpend } from "../../src/store/ledger.js";
import { sampleDraft } from "../audit/helpers/draft.js";
import { skipReason, useDatabase } from "./support/database.js";

const db = useDatabase();
const REFUSED = /refused: (permission denied|must be owner)/;
const p5 = [{ team: "research", monthlyBaseline: money("40179.20"), monthlyWorstCase: money("40179.20") }];
const ref = (stack: string) => ({ organization: "acme", project: "ml", stack });

describe.skipIf(skipReason)("the app role's privileges", () => {
  it("holds exactly SELECT and INSERT on the ledger and audit tables, SELECT on what the database keeps", async () => {
    const { admin } = db();
    const { rows } = await admin.query(
      `SELECT c.relname AS table, p.privilege
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
            unnest(ARRAY['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER']) AS p(privilege)
       WHERE n.nspname = 'computeguard' AND c.relkind = 'r'
         AND has_table_privilege('computeguard_app', c.oid, p.privilege)
       ORDER BY 1, 2`,
    );
    const held = new Map<string, string[]>();
    for (const r of rows) held.set(r.table, [...(held.get(r.table) ?? []), r.privilege]);
    expect(Object.fromEntries(held)).toEqual({
      audit_chain_heads: ["SELECT"],
      audit_records: ["INSERT", "SELECT"],
      spend_events: ["INSERT", "SELECT"],
      stack_spend: ["SELECT"],
    });
  });

  it("refuses UPDATE, DELETE and TRUNCATE on the ledger, the audit records and the chain heads", async () => {
    const app = db().connect();
    await recordStackSpend(app, ref("staging"), p5, { packVersion: "0.1.0" }, () => undefined);
    const appended = await appendStoreAuditRecord(app, sampleDraft({ organization: "acme" }));
    expect(appended.ok).toBe(true);
    for (const sql of [
      "UPDATE computeguard.stack_spend SET monthly_worst_case = 0",
      "DELETE FROM computeguard.stack_spend",
      "TRUNCATE computeguard.stack_spend",
      "INSERT INTO computeguard.stack_spend (organization, project, stack, team, state, monthly_baseline, monthly_worst_case, pack_version) VALUES ('acme', 'ml', 'x', '', 'recorded', 0, 0, 'x')",
      "UPDATE computeguard.spend_events SET teams = '[]'",
      "DELETE FROM computeguard.spend_events",
      "UPDATE computeguard.audit_chain_heads SET seq = 0",
      "DELETE FROM computeguard.audit_chain_heads",
      "INSERT INTO computeguard.audit_chain_heads (organization, seq, hash) VALUES ('other', 0, 'x')",
      "SELECT * FROM computeguard.audit_chain_heads FOR UPDATE",
      "UPDATE computeguard.audit_records SET decision = 'passed'",
      "DELETE FROM computeguard.audit_records",
      "SELECT computeguard.spend_events_apply()",
    ]) {
      await expect(app.query(sql), sql).rejects.toThrow(REFUSED);
    }
    // What the refused statements would have destroyed is all still there.
    expect(await app.query("SELECT stack, monthly_worst_case FROM computeguard.stack_spend")).toEqual([
      { stack: "staging", monthly_worst_case: "40179.20" },
    ]);
    expect(await verifyStoreAudit(app)).toMatchObject({ ok: true, records: 1 });
  });

  it("cannot stall an organisation's audit trail: the database admits only the record that continues its chain", async () => {
    const app = db().connect();
    const first = await appendStoreAuditRecord(app, sampleDraft({ organization: "initech" }));
    if (!first.ok) throw new Error(first.reason);
    const forged = { ...first.record, id: "01J0000000000000000000FORG", seq: 2, prevHash: "f".repeat(64) };
    const insert = (r: typeof forged) =>
      app.query(
        `INSERT INTO computeguard.audit_records
           (organization, seq, id, recorded_at, project, stack, policy, decision, prev_hash, hash, record)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [
          r.organization,
          r.seq,
          r.id,
          r.time,
          r.project,
          r.stack,
          r.policy,
          r.decision,
          r.prevHash,
          r.hash,
          "{}",
        ],
      );
    await expect(insert(forged)).rejects.toThrow(/does not continue its chain \(head at seq 1\)/);
    await expect(insert({ ...forged, seq: 7, prevHash: first.record.hash })).rejects.toThrow(
      /does not continue its chain/,
    );
    // Every runner still appends, one after another.
    const next = await appendStoreAuditRecord(app, sampleDraft({ organization: "initech" }));
    expect(next).toMatchObject({ ok: true, record: { seq: 2, prevHash: first.record.hash } });
  });

  it("records who inserted each ledger event, whatever the inserter claims", async () => {
    const { admin, appRole } = db();
    const app = db().connect();
    await claimStackSpend(app, ref("who"), p5, { packVersion: "0.1.0", ttlSeconds: 60 }, () => ({
      result: undefined,
      claim: true,
    }));
    await app.query(
      `INSERT INTO computeguard.spend_events (organization, project, stack, event, pack_version, inserted_by, inserted_at)
       VALUES ('acme', 'ml', 'who', 'release', 'x', 'someone-else', '2000-01-01')`,
    );
    const { rows } = await admin.query(
      "SELECT event, inserted_by, inserted_at > now() - interval '1 hour' AS recent FROM computeguard.spend_events WHERE stack = 'who' ORDER BY id",
    );
    expect(rows).toEqual([
      { event: "claim", inserted_by: appRole, recent: true },
      { event: "release", inserted_by: appRole, recent: true },
    ]);
  });
});
