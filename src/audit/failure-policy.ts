import type { Decision, Operation } from "./record.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * How loud a failed audit write is. In an update nothing may deploy unaudited, so it is a
 * mandatory finding; a preview or a CLI check only warns. COMPUTEGUARD_AUDIT_ON_FAILURE=block|warn
 * overrides; any other non-empty value fails closed (mandatory) so a typo cannot weaken the gate.
 */
export function auditFailureLevel(operation: Operation, env: Env = process.env): "mandatory" | "advisory" {
  return failureLevel(operation, env.COMPUTEGUARD_AUDIT_ON_FAILURE);
}

/**
 * The failure modes a front door resolved from its settings (src/settings/resolve.ts): the text
 * failureLevel() reads in place of COMPUTEGUARD_STORE_ON_FAILURE / COMPUTEGUARD_AUDIT_ON_FAILURE.
 */
export interface FailureModes {
  readonly storeOnFailure: string | undefined;
  readonly auditOnFailure: string | undefined;
}

/**
 * The shared rule for a gate that cannot do its bookkeeping (audit log, spend store): mandatory in
 * an update, advisory otherwise; "block" or "warn" override, and any other value fails closed.
 */
export function failureLevel(operation: Operation, override: string | undefined): "mandatory" | "advisory" {
  const choice = override?.trim().toLowerCase();
  if (choice === "block") return "mandatory";
  if (choice === "warn") return "advisory";
  if (choice) return "mandatory";
  return operation === "update" ? "mandatory" : "advisory";
}

/** Passes are recorded only with COMPUTEGUARD_AUDIT_ALL=1 (or true); everything else always. */
export function shouldRecord(decision: Decision, env: Env = process.env): boolean {
  if (decision !== "passed") return true;
  const all = env.COMPUTEGUARD_AUDIT_ALL?.trim().toLowerCase();
  return all === "1" || all === "true";
}
