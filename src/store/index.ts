/**
 * The shared PostgreSQL store, switched on by COMPUTEGUARD_STORE_URL: the audit trail (the file
 * log's records and hash chain, one chain per organisation, append-only) and the spend ledger
 * gpu-org-budget judges against (each stack's projected spend per team, and the claims of updates
 * in flight). `pg` is loaded on first use only.
 */

export type { FailureModes } from "../audit/failure-policy.js";
export { appendStoreAuditRecord, type StoreAppendResult, storeChainHead } from "./audit-append.js";
export { findStoreAuditRecords, readStoreAuditRecords, type StoreReadProblem } from "./audit-read.js";
export { StoreAuditTrail } from "./audit-trail.js";
export {
  type StoreAnchor,
  type StoreAuditProblem,
  type StoreVerifyResult,
  verifyStoreAudit,
} from "./audit-verify.js";
export { describeStoreError, type Sql, StoreConnection, StoreFailure } from "./connection.js";
export { storeFailureLevel } from "./failure-level.js";
export {
  type ClaimDecision,
  type ClaimOptions,
  claimStackSpend,
  readOtherStacksSpend,
  reclaimStackSpend,
  recordStackSpend,
} from "./ledger.js";
export { type LedgerEntry, readLedger } from "./ledger-list.js";
export { ledgerJson, ledgerReport, ledgerTable } from "./ledger-report.js";
export { APP_ROLE, type MigrateResult, MigrationError, migrateStore } from "./migrate.js";
export { MIGRATIONS, type Migration } from "./migrations/index.js";
export { openAuditTrail, type TrailSettings } from "./open-trail.js";
export {
  redactUrl,
  StoreSettingError,
  type StoreSettings,
  storeConfigured,
  storeSettings,
} from "./settings.js";
