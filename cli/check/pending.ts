import { createRequire } from "node:module";

type Tracked = Promise<unknown> & { _debugCtx?: string };
interface SdkState {
  getStore(): { leakCandidates?: Set<Tracked> };
}

/** How the SDK labels the promise of a registration's URN: `resolveURN(resource:<name>[<type>])`. */
const REGISTRATION = /^resolveURN\(resource:(.*)\[([^[\]]+)\]\)$/;

/**
 * The registrations the program started that never finished, as "name (type)", in the order they
 * started. The SDK tracks every promise it has not settled (to report leaks when a program exits);
 * that record is internal (runtime/state.js), so an SDK without it yields an empty list.
 */
export function pendingRegistrations(): string[] {
  let tracked: Iterable<Tracked> = [];
  try {
    const state = createRequire(import.meta.url)("@pulumi/pulumi/runtime/state.js") as SdkState;
    tracked = state.getStore().leakCandidates ?? [];
  } catch {
    return [];
  }
  const pending = new Set<string>();
  for (const promise of tracked) {
    const match = REGISTRATION.exec(promise._debugCtx ?? "");
    if (match) pending.add(`${match[1]} (${match[2]})`);
  }
  return [...pending];
}
