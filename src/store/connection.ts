import type { Pool, PoolClient, QueryResultRow } from "pg";
import { redactUrl, type StoreSettings } from "./settings.js";

/** What code inside a transaction talks to. */
export interface Sql {
  query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<R[]>;
}

/** The store could not be reached, timed out, refused or errored; the message says which, in one line. */
export class StoreFailure extends Error {
  override name = "StoreFailure";
}

/** One slow or dead store must not cost every later resource a full timeout: fail fast for a while. */
const RETRY_AFTER_MS = 30_000;
/** The client gives up this long after the server's own statement_timeout should have fired. */
const READ_GRACE_MS = 1_000;

/**
 * A small pool to the store, created (and `pg` loaded) on first use so a pack or CLI without a
 * store never pays for it. Every wait is bounded: connecting by connectTimeoutMs, a statement
 * (lock waits included) by statementTimeoutMs on the server and a little more on the client.
 */
export class StoreConnection {
  private pool: Promise<Pool> | undefined;
  private failedUntil = 0;
  private failure = "";

  constructor(readonly settings: StoreSettings) {}

  /** host:port/database, for messages (never the password). */
  get target(): string {
    return describeTarget(this.settings.url);
  }

  /**
   * Runs fn inside one transaction: commits when it returns, rolls back when it throws. A store
   * problem surfaces as StoreFailure; anything fn itself throws is rethrown unchanged.
   */
  async transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let broken: unknown;
    const sql: Sql = {
      query: async <R extends QueryResultRow>(text: string, values?: unknown[]) => {
        try {
          return (await client.query<R>(text, values as unknown[])).rows;
        } catch (error) {
          broken = error;
          throw this.failed(error);
        }
      },
    };
    try {
      await sql.query("BEGIN");
      const result = await fn(sql);
      await sql.query("COMMIT");
      client.release();
      return result;
    } catch (error) {
      await this.rollback(client, broken);
      throw error;
    }
  }

  /** One statement on its own (autocommit). */
  async query<R extends QueryResultRow = QueryResultRow>(text: string, values?: unknown[]): Promise<R[]> {
    return this.transactionless((sql) => sql.query<R>(text, values));
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    if (pool) await (await pool).end().catch(() => undefined);
  }

  private async transactionless<T>(fn: (sql: Sql) => Promise<T>): Promise<T> {
    const client = await this.connect();
    let broken = false;
    try {
      return await fn({
        query: async <R extends QueryResultRow>(text: string, values?: unknown[]) => {
          try {
            return (await client.query<R>(text, values as unknown[])).rows;
          } catch (error) {
            broken = true;
            throw this.failed(error);
          }
        },
      });
    } finally {
      client.release(broken);
    }
  }

  private async rollback(client: PoolClient, broken: unknown): Promise<void> {
    if (broken !== undefined && !isStatementError(broken)) {
      // The connection itself failed (or timed out mid-reply): it cannot be trusted again.
      client.release(true);
      return;
    }
    try {
      await client.query("ROLLBACK");
      client.release();
    } catch {
      client.release(true);
    }
  }

  private async connect(): Promise<PoolClient> {
    if (Date.now() < this.failedUntil) {
      throw new StoreFailure(`${this.failure} (not retried for ${RETRY_AFTER_MS / 1000} s after a failure)`);
    }
    try {
      this.pool ??= this.createPool();
      return await (await this.pool).connect();
    } catch (error) {
      throw this.failed(error);
    }
  }

  private async createPool(): Promise<Pool> {
    const { default: pg } = await import("pg");
    const { url, connectTimeoutMs, statementTimeoutMs } = this.settings;
    const pool = new pg.Pool({
      connectionString: url,
      max: 4,
      connectionTimeoutMillis: connectTimeoutMs,
      idleTimeoutMillis: 10_000,
      allowExitOnIdle: true,
      keepAlive: true,
      application_name: "computeguard",
      statement_timeout: statementTimeoutMs,
      lock_timeout: statementTimeoutMs,
      query_timeout: statementTimeoutMs + READ_GRACE_MS,
      // A runner frozen mid-transaction must not hold the organisation's lock for long.
      idle_in_transaction_session_timeout: Math.max(10_000, 4 * statementTimeoutMs),
    });
    // An idle connection dropped by the server is removed from the pool; it must not crash the process.
    pool.on("error", () => undefined);
    return pool;
  }

  /** Describes the failure in one line; one that cost a timeout (or a dead server) stops retries for a while. */
  private failed(error: unknown): StoreFailure {
    if (error instanceof StoreFailure) return error;
    const message = describeStoreError(error, this.settings, this.target);
    if (!isStatementError(error) || SLOW_STATEMENT.has((error as { code: string }).code)) {
      this.failure = message;
      this.failedUntil = Date.now() + RETRY_AFTER_MS;
    }
    return new StoreFailure(message);
  }
}

/** Statement errors that mean the store is too slow (statement_timeout, lock_timeout), not that the statement is wrong. */
const SLOW_STATEMENT = new Set(["57014", "55P03"]);

/** An error the server reported for one statement (the connection itself is still usable). */
function isStatementError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return (
    typeof code === "string" &&
    /^[0-9A-Z]{5}$/.test(code) &&
    !code.startsWith("08") &&
    !code.startsWith("57P")
  );
}

export function describeStoreError(error: unknown, settings: StoreSettings, target: string): string {
  const e = error as { code?: string; message?: string };
  const message = (e?.message ?? String(error)).split("\n")[0]!;
  switch (e?.code) {
    case "ECONNREFUSED":
      return `cannot connect to the store at ${target}: connection refused`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `cannot connect to the store at ${target}: host not found`;
    case "57014":
      return `the store at ${target} did not finish a statement within ${settings.statementTimeoutMs} ms (COMPUTEGUARD_STORE_STATEMENT_TIMEOUT_MS)`;
    case "55P03":
      return `the store at ${target} did not grant a lock within ${settings.statementTimeoutMs} ms (COMPUTEGUARD_STORE_STATEMENT_TIMEOUT_MS)`;
    case "42P01":
    case "3F000":
    case "42883":
      return `the store at ${target} lacks the computeguard schema this version needs: run \`computeguard store migrate\` (${message})`;
    case "42501":
      return `the store at ${target} refused: ${message}; the role needs to be a member of computeguard_app`;
    default:
      break;
  }
  if (/timeout expired|timeout exceeded when trying to connect|due to connection timeout/i.test(message)) {
    return `the store at ${target} did not accept a connection within ${settings.connectTimeoutMs} ms (COMPUTEGUARD_STORE_CONNECT_TIMEOUT_MS)`;
  }
  if (/Query read timeout/i.test(message)) {
    return `the store at ${target} did not answer within ${settings.statementTimeoutMs + READ_GRACE_MS} ms (COMPUTEGUARD_STORE_STATEMENT_TIMEOUT_MS)`;
  }
  return `the store at ${target} failed: ${message}${e?.code ? ` (${e.code})` : ""}`;
}

function describeTarget(url: string): string {
  try {
    const parsed = new URL(url);
    const socket = parsed.searchParams.get("host");
    const host = socket ?? (parsed.host || "localhost");
    return `${host}${parsed.pathname && parsed.pathname !== "/" ? parsed.pathname : ""}`;
  } catch {
    return redactUrl(url);
  }
}
