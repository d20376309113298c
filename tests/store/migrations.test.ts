import { describe, expect, it } from "vitest";
import { StoreConnection } from "../../src/store/connection.js";
import { MigrationError, migrateStore } from "../../src/store/migrate.js";
import { MIGRATIONS } from "../../src/store/migrations/index.js";
import { storeSettings } from "../../src/store/settings.js";
import { runCli } from "../support/cli.js";
import { skipReason, useDatabase } from "./support/database.js";

const db = useDatabase({ migrate: false });

/** Everything the migrations own, so a re-run can be shown to change nothing. */
async function schemaSnapshot(): Promise<unknown> {
  const { admin } = db();
  const objects = await admin.query(
    `SELECT c.relname, c.relkind, pg_get_userbyid(c.relowner) AS owner, c.relacl::text AS acl
     FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'computeguard' ORDER BY c.relname`,
  );
  const triggers = await admin.query(
    `SELECT tgname FROM pg_trigger WHERE tgrelid = 'computeguard.audit_records'::regclass AND NOT tgisinternal ORDER BY tgname`,
  );
  const applied = await admin.query(
    "SELECT version, name, checksum, applied_at FROM computeguard.schema_migrations ORDER BY version",
  );
  return { objects: objects.rows, triggers: triggers.rows, applied: applied.rows };
}

describe.skipIf(skipReason)("store migrations", () => {
  it("build the schema from an empty database, then re-running changes nothing", async () => {
    const { adminUrl, appRole } = db();
    const first = await runCli(["store", "migrate", "--grant-to", appRole], {
      env: {
        COMPUTEGUARD_STORE_URL: adminUrl,
      },
    });
    expect(first).toMatchObject({ code: 0, stderr: "" });
    expect(first.stdout).toBe(
      `applied 001-audit-trail, 002-spend-ledger, 003-insert-only-app-role; schema at version 3\ngranted computeguard_app to ${appRole}\n`,
    );
    const before = await schemaSnapshot();
    expect((before as { applied: unknown[] }).applied).toHaveLength(MIGRATIONS.length);
    expect((before as { triggers: Array<{ tgname: string }> }).triggers.map((t) => t.tgname)).toEqual([
      "audit_records_advance_head",
      "audit_records_no_truncate",
      "audit_records_no_update_or_delete",
    ]);

    const again = await runCli(["store", "migrate"], { env: { COMPUTEGUARD_STORE_URL: adminUrl } });
    expect(again).toMatchObject({ code: 0, stdout: "schema up to date at version 3; nothing to do\n" });
    expect(await schemaSnapshot()).toEqual(before);
  });

  it("applies each migration exactly once when several runners migrate an empty store at once", async () => {
    const { admin, name, port } = db();
    const fresh = `${name}_race`;
    await admin.query(`CREATE DATABASE ${fresh}`);
    const url = `postgres://postgres@127.0.0.1:${port}/${fresh}`;
    const conns = [0, 1, 2].map(() => new StoreConnection(storeSettings({ COMPUTEGUARD_STORE_URL: url })));
    try {
      const results = await Promise.all(conns.map((c) => migrateStore(c)));
      const applied = results.map((r) => r.applied.map((m) => m.version));
      expect(applied.filter((a) => a.length > 0)).toEqual([[1, 2, 3]]);
      expect(applied.filter((a) => a.length === 0)).toHaveLength(2);
      const rows = await conns[0]!.query(
        "SELECT version FROM computeguard.schema_migrations ORDER BY version",
      );
      expect(rows).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
    } finally {
      await Promise.all(conns.map((c) => c.close()));
      await admin.query(`DROP DATABASE ${fresh}`);
    }
  });

  it("refuses a store whose applied migration differs from the shipped one", async () => {
    const { admin, adminUrl } = db();
    const { rows } = await admin.query(
      "SELECT checksum FROM computeguard.schema_migrations WHERE version = 1",
    );
    await admin.query("UPDATE computeguard.schema_migrations SET checksum = 'edited' WHERE version = 1");
    const conn = new StoreConnection(storeSettings({ COMPUTEGUARD_STORE_URL: adminUrl }));
    try {
      await expect(migrateStore(conn)).rejects.toThrow(MigrationError);
      const cli = await runCli(["store", "migrate"], { env: { COMPUTEGUARD_STORE_URL: adminUrl } });
      expect(cli.code).toBe(2);
      expect(cli.stderr).toBe(
        "computeguard: migration 1 (audit-trail) in the store differs from this computeguard's: a shipped migration was edited\n",
      );
    } finally {
      await conn.close();
      await admin.query("UPDATE computeguard.schema_migrations SET checksum = $1 WHERE version = 1", [
        rows[0].checksum,
      ]);
    }
  });

  it("says in one line what is missing when there is no store to migrate", async () => {
    const unset = await runCli(["store", "migrate"], { env: { COMPUTEGUARD_STORE_URL: "" } });
    expect(unset).toMatchObject({ code: 2, stderr: "computeguard: COMPUTEGUARD_STORE_URL is not set\n" });
    const bad = await runCli(["store", "migrate"], { env: { COMPUTEGUARD_STORE_URL: "mysql://x" } });
    expect(bad.stderr).toBe(
      'computeguard: COMPUTEGUARD_STORE_URL must be a postgres:// or postgresql:// URL, got "mysql://x"\n',
    );
  });
});
