import { createHash } from "node:crypto";
import type { Sql, StoreConnection } from "./connection.js";
import { MIGRATIONS, type Migration } from "./migrations/index.js";

/** The role the pack and CLI act as: grant it to each runner's login role. */
export const APP_ROLE = "computeguard_app";
/** pg_advisory_xact_lock key: one migrator at a time per database ("cgmigrat" in ASCII). */
const MIGRATION_LOCK = "7166750815434039668";

export interface MigrateResult {
  /** Migrations this run applied, in order (empty when the schema was already current). */
  applied: Migration[];
  /** Schema version now in the store. */
  version: number;
  /** Login role made a member of computeguard_app, when asked. */
  granted?: string;
}

/** A schema the running code cannot work with; the message says what to do. */
export class MigrationError extends Error {
  override name = "MigrationError";
}

/**
 * Brings the store's schema up to date in one transaction under an advisory lock, so two
 * runners migrating at once apply each migration exactly once. Re-running changes nothing.
 * The migrating role needs CREATE on the database and, the first time, CREATEROLE.
 */
export async function migrateStore(
  conn: StoreConnection,
  options: { grantTo?: string } = {},
): Promise<MigrateResult> {
  return conn.transaction(async (sql) => {
    await sql.query("SELECT pg_advisory_xact_lock($1::bigint)", [MIGRATION_LOCK]);
    await bootstrap(sql);
    const rows = await sql.query<{ version: number; name: string; checksum: string }>(
      "SELECT version, name, checksum FROM computeguard.schema_migrations ORDER BY version",
    );
    const known = new Map(MIGRATIONS.map((m) => [m.version, m]));
    for (const row of rows) {
      const migration = known.get(row.version);
      if (!migration) {
        throw new MigrationError(
          `the store's schema has migration ${row.version} (${row.name}), newer than this computeguard knows: upgrade computeguard`,
        );
      }
      if (row.checksum !== checksum(migration)) {
        throw new MigrationError(
          `migration ${row.version} (${row.name}) in the store differs from this computeguard's: a shipped migration was edited`,
        );
      }
    }
    const done = new Set(rows.map((r) => r.version));
    const applied: Migration[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await sql.query(migration.sql);
      await sql.query(
        "INSERT INTO computeguard.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)",
        [migration.version, migration.name, checksum(migration)],
      );
      applied.push(migration);
    }
    const result: MigrateResult = { applied, version: Math.max(0, ...MIGRATIONS.map((m) => m.version)) };
    if (options.grantTo !== undefined) {
      const [{ quoted }] = (await sql.query<{ quoted: string }>("SELECT quote_ident($1) AS quoted", [
        options.grantTo,
      ])) as [{ quoted: string }];
      await sql.query(`GRANT ${APP_ROLE} TO ${quoted}`);
      result.granted = options.grantTo;
    }
    return result;
  });
}

/** The schema, the migrations table and the application role: what every migration builds on. */
async function bootstrap(sql: Sql): Promise<void> {
  await sql.query("CREATE SCHEMA IF NOT EXISTS computeguard");
  await sql.query(`
    CREATE TABLE IF NOT EXISTS computeguard.schema_migrations (
      version integer PRIMARY KEY,
      name text NOT NULL,
      checksum text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
  await sql.query(`
    DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${APP_ROLE}') THEN
        CREATE ROLE ${APP_ROLE} NOLOGIN;
      END IF;
    END $$`);
  await sql.query(`GRANT USAGE ON SCHEMA computeguard TO ${APP_ROLE}`);
}

function checksum(migration: Migration): string {
  return createHash("sha256").update(migration.sql, "utf8").digest("hex");
}
