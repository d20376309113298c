/**
 * The audit trail: an append-only, hash-chained JSON-lines log of cost-gate decisions.
 *
 * For the policy pack, per decision:
 *   if (shouldRecord(decision)) {
 *     const result = await appendAuditRecord(draft);          // never throws
 *     if (!result.ok) report(result.reason, auditFailureLevel(operation));
 *   }
 * The CLI reads it back with readAuditRecords and checks it with verifyAuditLog.
 */
export { detectActor } from "./actor.js";
export { canonicalJson } from "./canonical-json.js";
export { configDigest } from "./config-digest.js";
export { auditFailureLevel, shouldRecord } from "./failure-policy.js";
export {
  type AppendFailureCode,
  type AppendOptions,
  type AppendResult,
  appendAuditRecord,
  MAX_MESSAGE_CHARS,
} from "./file-store.js";
export { AuditLockTimeoutError, lockPathFor } from "./log-lock.js";
export { defaultAuditPath, logFiles, rotatedPath } from "./log-path.js";
export { type AuditFilter, AuditLogError, type ReadProblem, readAuditRecords } from "./read.js";
export {
  type Actor,
  type AuditDraft,
  type AuditRecord,
  AuditRecordSchema,
  DECISIONS,
  type Decision,
  GENESIS_HASH,
  OPERATIONS,
  type Operation,
} from "./record.js";
export { recordHash } from "./record-hash.js";
export { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_MAX_BYTES, type StoreOptions } from "./store-settings.js";
export { type AuditProblem, type VerifyOptions, type VerifyResult, verifyAuditLog } from "./verify.js";
