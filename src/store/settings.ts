type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 5_000;
/** Long enough for a GPU node group to come up between Analyze and AnalyzeStack of one update. */
export const DEFAULT_CLAIM_TTL_SECONDS = 2 * 60 * 60;

/**
 * The shared PostgreSQL store (audit trail and spend ledger), from the environment:
 *   COMPUTEGUARD_STORE_URL                    postgres://user[:password]@host[:port]/database
 *   COMPUTEGUARD_STORE_CONNECT_TIMEOUT_MS     give up connecting after this long (5000)
 *   COMPUTEGUARD_STORE_STATEMENT_TIMEOUT_MS   give up on one statement, lock waits included (5000)
 *   COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS      a crashed update's spend claim lapses after this (7200)
 */
export interface StoreSettings {
  url: string;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  claimTtlSeconds: number;
}

/** A malformed setting; the message names the variable. */
export class StoreSettingError extends Error {
  override name = "StoreSettingError";
}

/** True when the store is switched on: COMPUTEGUARD_STORE_URL is set and not blank. */
export function storeConfigured(env: Env = process.env): boolean {
  return (env.COMPUTEGUARD_STORE_URL ?? "").trim() !== "";
}

export function storeSettings(env: Env = process.env): StoreSettings {
  const url = (env.COMPUTEGUARD_STORE_URL ?? "").trim();
  if (url === "") throw new StoreSettingError("COMPUTEGUARD_STORE_URL is not set");
  if (!/^postgres(ql)?:\/\//.test(url)) {
    throw new StoreSettingError(
      `COMPUTEGUARD_STORE_URL must be a postgres:// or postgresql:// URL, got "${redactUrl(url)}"`,
    );
  }
  return {
    url,
    connectTimeoutMs: positiveInteger(
      env,
      "COMPUTEGUARD_STORE_CONNECT_TIMEOUT_MS",
      DEFAULT_CONNECT_TIMEOUT_MS,
    ),
    statementTimeoutMs: positiveInteger(
      env,
      "COMPUTEGUARD_STORE_STATEMENT_TIMEOUT_MS",
      DEFAULT_STATEMENT_TIMEOUT_MS,
    ),
    claimTtlSeconds: positiveInteger(env, "COMPUTEGUARD_STORE_CLAIM_TTL_SECONDS", DEFAULT_CLAIM_TTL_SECONDS),
  };
}

/** The URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*):[^@/]*@/, "$1:***@");
}

function positiveInteger(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) <= 0) {
    throw new StoreSettingError(`${name} must be a positive whole number, got "${raw}"`);
  }
  return Number(raw);
}
