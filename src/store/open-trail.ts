import type { FailureModes } from "../audit/failure-policy.js";
import { FileAuditTrail } from "../audit/file-trail.js";
import { defaultAuditPath } from "../audit/log-path.js";
import type { AuditTrail } from "../audit/trail.js";
import { StoreAuditTrail } from "./audit-trail.js";
import { StoreConnection } from "./connection.js";
import { storeConfigured, storeSettings } from "./settings.js";

type Env = Readonly<Record<string, string | undefined>>;

export interface TrailSettings {
  env?: Env;
  /** A file log named explicitly (`--log`): used even when a store is configured. */
  logPath?: string;
  /** The process's store connection, to share with the spend ledger (the pack); else the trail makes its own. */
  store?: () => StoreConnection;
  /** The failure modes the front door's settings resolved (else the environment's are read). */
  failureModes?: FailureModes;
}

/**
 * The one way every front door (the pack, `check`, `computeguard audit`) opens the audit trail:
 * the store when COMPUTEGUARD_STORE_URL is set, else the file log (COMPUTEGUARD_AUDIT_LOG or the
 * XDG state path), unless a log file is named. Opening connects to nothing: that happens on first use.
 */
export function openAuditTrail(settings: TrailSettings = {}): AuditTrail {
  const env = settings.env ?? process.env;
  const modes = settings.failureModes;
  const storeMode = modes ? () => modes.storeOnFailure : undefined;
  if (settings.logPath === undefined && storeConfigured(env)) {
    if (settings.store) return new StoreAuditTrail(settings.store, env, undefined, storeMode);
    let own: StoreConnection | undefined;
    return new StoreAuditTrail(
      () => {
        own ??= new StoreConnection(storeSettings(env));
        return own;
      },
      env,
      async () => own?.close(),
      storeMode,
    );
  }
  return new FileAuditTrail(
    { path: settings.logPath ?? defaultAuditPath(env), env },
    modes ? () => modes.auditOnFailure : undefined,
  );
}
