/**
 * The audit trail: an append-only, hash-chained record of cost-gate decisions, kept in a local
 * JSON-lines log or (src/store) in PostgreSQL. Front doors open it with openAuditTrail
 * (src/store/open-trail.ts) and use the AuditTrail interface; per decision:
 *   if (shouldRecord(decision)) {
 *     const result = await trail.append(draft);            // never throws
 *     if (!result.ok) report(result.reason, trail.failureLevel(operation));
 *   }
 */
export { detectActor } from "./actor.js";
export { canonicalJson } from "./canonical-json.js";
export {
  CHAIN_START,
  type ChainHead,
  type ChainState,
  checkLink,
  formatHead,
  GENESIS_HEAD,
  parseHead,
} from "./chain.js";
export { configDigest } from "./config-digest.js";
export { auditFailureLevel, shouldRecord } from "./failure-policy.js";
export {
  type AppendFailureCode,
  type AppendOptions,
  type AppendResult,
  appendAuditRecord,
  appendAuditRecords,
  fileChainHead,
} from "./file-store.js";
export { FileAuditTrail } from "./file-trail.js";
export { AuditLockPermissionError, AuditLockTimeoutError, lockPathFor } from "./log-lock.js";
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
export { chainAfter, MAX_MESSAGE_CHARS, MAX_RECORD_BYTES, recordText, sealDraft } from "./seal.js";
export { DEFAULT_LOCK_TIMEOUT_MS, DEFAULT_MAX_BYTES, type StoreOptions } from "./store-settings.js";
export {
  type AuditTrail,
  AuditTrailError,
  type TrailAppendResult,
  type TrailProblem,
  type TrailReadProblem,
  type TrailVerifyOptions,
  type TrailVerifyResult,
} from "./trail.js";
export { type AuditProblem, type VerifyOptions, type VerifyResult, verifyAuditLog } from "./verify.js";
