import { setTimeout as sleep } from "node:timers/promises";

export interface LockTiming {
  lockTimeoutMs: number;
  staleMs: number;
}

/** The lock was held by someone else for the whole wait. */
export class AuditLockTimeoutError extends Error {
  override name = "AuditLockTimeoutError";
}

/** This process may not create the lock (read-only directory, another user's log): waiting cannot help. */
export class AuditLockPermissionError extends Error {
  override name = "AuditLockPermissionError";
}

const PERMISSION_CODES = new Set(["EACCES", "EPERM", "EROFS"]);

/** The directory proper-lockfile creates next to the log; a sibling, so rotation never moves it. */
export function lockPathFor(logPath: string): string {
  return `${logPath}.lock`;
}

/**
 * Runs `critical` holding the log's lock. Taking the lock, the critical section and letting go
 * are synchronous on purpose: the lock's keep-alive timer cannot fire inside them, so the lock
 * cannot be declared stale and taken over mid-write (that would fork the chain), and an
 * uncontended append costs no round trips through the thread pool. Only contention waits.
 */
export async function withLogLock<T>(logPath: string, timing: LockTiming, critical: () => T): Promise<T> {
  const release = await acquire(logPath, timing);
  try {
    return critical();
  } finally {
    try {
      release();
    } catch {
      // Already released (compromised) or removed by hand: the record itself is written.
    }
  }
}

type ProperLockfile = typeof import("proper-lockfile");

// Loaded on first use: proper-lockfile patches fs (graceful-fs) and hooks process exit, which a
// policy pack that records nothing should not pay for at start-up. Kept once loaded: a dynamic
// import per lock goes through the module loader each time (about half a millisecond a record).
// CommonJS: its exports object is the default export, in node and in the pack's bundle alike.
let properLockfile: Promise<ProperLockfile> | undefined;

/**
 * Only contention is waited out (short randomised back-off: the critical section takes a few
 * milliseconds); any other error is final at once, a permission error named as one.
 */
async function acquire(logPath: string, timing: LockTiming): Promise<() => void> {
  properLockfile ??= import("proper-lockfile").then((m) => m.default);
  const { lockSync } = await properLockfile;
  const deadline = Date.now() + timing.lockTimeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return lockSync(logPath, {
        lockfilePath: lockPathFor(logPath),
        realpath: false,
        stale: timing.staleMs,
        // Only reachable between critical sections (see above); never crash the host process.
        onCompromised: () => {},
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? "";
      if (PERMISSION_CODES.has(code)) {
        throw new AuditLockPermissionError(
          `no permission to lock audit log ${logPath} (${lockPathFor(logPath)}): ${(error as Error).message}`,
        );
      }
      if (code !== "ELOCKED") throw error;
      if (Date.now() >= deadline) {
        throw new AuditLockTimeoutError(
          `audit log ${logPath} is locked by another writer (waited ${timing.lockTimeoutMs} ms for ${lockPathFor(logPath)})`,
        );
      }
      await sleep(Math.min(10, 2 * 1.3 ** attempt * (1 + Math.random())));
    }
  }
}
