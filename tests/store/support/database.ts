import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, inject } from "vitest";
import { StoreConnection } from "../../../src/store/connection.js";
import { migrateStore } from "../../../src/store/migrate.js";
import { storeSettings } from "../../../src/store/settings.js";
import "../global-setup.js";
import { type PostgresServer, postgresSupport, startPostgres } from "./postgres.js";

/** Why the store suites skip (no PostgreSQL binaries), or undefined when they run. */
export const skipReason: string | undefined = (() => {
  const shared = inject("computeguardPostgres");
  if (shared && "skip" in shared) return shared.skip;
  const support = postgresSupport();
  return support.available ? undefined : support.reason;
})();
if (skipReason) console.warn(`computeguard store tests skipped: ${skipReason}`);

export interface TestDatabase {
  name: string;
  /** Superuser URL: set-up, inspection, tampering. */
  adminUrl: string;
  /** A login role that is only a member of computeguard_app: what a CI runner connects as. */
  appUrl: string;
  appRole: string;
  /** A connected superuser client (closed after the suite). */
  admin: pg.Client;
  port: number;
  /** A store connection as the app role with short timeouts, closed after the suite. */
  connect(env?: Record<string, string>): StoreConnection;
}

let ownServer: PostgresServer | undefined;

/**
 * Registers beforeAll/afterAll that make a fresh database for this suite — on the run's shared
 * server (global setup) or on a server this file starts — migrated and with an app login role
 * unless `migrate: false`.
 */
export function useDatabase(options: { migrate?: boolean } = {}): () => TestDatabase {
  let db: TestDatabase | undefined;
  const connections: StoreConnection[] = [];
  beforeAll(async () => {
    if (skipReason) return;
    const shared = inject("computeguardPostgres");
    let port: number;
    if (shared && "port" in shared) port = shared.port;
    else {
      ownServer ??= await startPostgres();
      port = ownServer.port;
    }
    const suffix = randomBytes(4).toString("hex");
    const name = `cg_${suffix}`;
    const appRole = `cg_runner_${suffix}`;
    const root = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await root.connect();
    await root.query(`CREATE DATABASE ${name}`);
    await root.query(`CREATE ROLE ${appRole} LOGIN`);
    await root.end();
    const adminUrl = `postgres://postgres@127.0.0.1:${port}/${name}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    if (options.migrate !== false) {
      const conn = new StoreConnection(storeSettings({ COMPUTEGUARD_STORE_URL: adminUrl }));
      await migrateStore(conn, { grantTo: appRole });
      await conn.close();
    }
    db = {
      name,
      adminUrl,
      appUrl: `postgres://${appRole}@127.0.0.1:${port}/${name}`,
      appRole,
      admin,
      port,
      connect: (env = {}) => {
        const conn = new StoreConnection(
          storeSettings({
            COMPUTEGUARD_STORE_URL: db!.appUrl,
            COMPUTEGUARD_STORE_CONNECT_TIMEOUT_MS: "10000",
            ...env,
          }),
        );
        connections.push(conn);
        return conn;
      },
    };
  }, 120_000);
  afterAll(async () => {
    for (const c of connections) await c.close();
    await db?.admin.end().catch(() => undefined);
    await ownServer?.stop();
    ownServer = undefined;
  }, 60_000);
  return () => {
    if (!db) throw new Error("the test database is not ready (PostgreSQL unavailable?)");
    return db;
  };
}
