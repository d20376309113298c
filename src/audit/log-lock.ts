import { lock } from "proper-lockfile";

export interface LockTiming {
  lockTimeoutMs: number;
  staleMs: number;
}

/** The lock was held by someone else for the whole wait. */
export class AuditLockTimeoutError extends Error {
  override name = "AuditLockTimeoutError";
}

/** The directory proper-lockfile creates next to the log; a sibling, so rotation never moves it. */
export function lockPathFor(logPath: string): string {
  return `${logPath}.lock`;
}

/**
 * Runs `critical` holding the log's lock. The critical section is synchronous on purpose: the
 * lock's keep-alive timer cannot fire inside it, so the lock cannot be declared stale and taken
 * over mid-write (that would fork the chain).
 */
export async function withLogLock<T>(logPath: string, timing: LockTiming, critical: () => T): Promise<T> {
  let release: () => Promise<void>;
  try {
    release = await lock(logPath, {
      lockfilePath: lockPathFor(logPath),
      realpath: false,
      stale: timing.staleMs,
      // Short randomised back-off (the critical section takes a few milliseconds); enough
      // retries at >= 10 ms each to outlast the timeout, which maxRetryTime enforces.
      retries: {
        retries: Math.ceil(timing.lockTimeoutMs / 10) + 10,
        minTimeout: 2,
        maxTimeout: 10,
        factor: 1.3,
        randomize: true,
        maxRetryTime: timing.lockTimeoutMs,
      },
      // Only reachable between critical sections (see above); never crash the host process.
      onCompromised: () => {},
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ELOCKED") {
      throw new AuditLockTimeoutError(
        `audit log ${logPath} is locked by another writer (waited ${timing.lockTimeoutMs} ms for ${lockPathFor(logPath)})`,
      );
    }
    throw error;
  }
  try {
    return critical();
  } finally {
    await release().catch(() => {});
  }
}
