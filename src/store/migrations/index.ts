import { auditTrail } from "./001-audit-trail.js";
import { spendLedger } from "./002-spend-ledger.js";
import { insertOnlyAppRole } from "./003-insert-only-app-role.js";

export interface Migration {
  /** Applied in this order, each exactly once; never edit one that has shipped, add the next. */
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [auditTrail, spendLedger, insertOnlyAppRole];
