import { resolve } from "node:path";
import { defaultAuditPath } from "./log-path.js";

type Env = Readonly<Record<string, string | undefined>>;

export const DEFAULT_MAX_BYTES = 50 * 1024 * 1024;
/** A dead writer's lock is taken over after this long (proper-lockfile's floor is 2 s). */
export const DEFAULT_STALE_MS = 10_000;
/** Longer than the stale time, so a writer waiting on a dead writer's lock gets it rather than failing. */
export const DEFAULT_LOCK_TIMEOUT_MS = 15_000;

export interface StoreOptions {
  /** Log file; default COMPUTEGUARD_AUDIT_LOG or the XDG state path. */
  path?: string;
  /** Rotate before a write would take the active file past this; default COMPUTEGUARD_AUDIT_MAX_BYTES or 50 MiB. */
  maxBytes?: number;
  /** Give up waiting for the lock after this long; default COMPUTEGUARD_AUDIT_LOCK_TIMEOUT_MS or 15 s. */
  lockTimeoutMs?: number;
  /** Treat a lock not refreshed for this long as abandoned; default 10 s, at least 2 s. */
  staleMs?: number;
  env?: Env;
}

export interface StoreSettings {
  path: string;
  maxBytes: number;
  lockTimeoutMs: number;
  staleMs: number;
}

/** Thrown for a malformed setting; the message names the variable or option. */
export class AuditSettingError extends Error {
  override name = "AuditSettingError";
}

export function storeSettings(options: StoreOptions = {}): StoreSettings {
  const env = options.env ?? process.env;
  return {
    path: resolve(options.path ?? defaultAuditPath(env)),
    maxBytes: options.maxBytes ?? positiveInteger(env, "COMPUTEGUARD_AUDIT_MAX_BYTES", DEFAULT_MAX_BYTES),
    lockTimeoutMs:
      options.lockTimeoutMs ??
      positiveInteger(env, "COMPUTEGUARD_AUDIT_LOCK_TIMEOUT_MS", DEFAULT_LOCK_TIMEOUT_MS),
    staleMs: Math.max(options.staleMs ?? DEFAULT_STALE_MS, 2000),
  };
}

function positiveInteger(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  if (!/^\d+$/.test(raw.trim()) || Number(raw) <= 0) {
    throw new AuditSettingError(`${name} must be a positive whole number, got "${raw}"`);
  }
  return Number(raw);
}
