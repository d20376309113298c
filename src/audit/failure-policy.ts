import type { Decision, Operation } from "./record.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * How loud a failed audit write is. In an update nothing may deploy unaudited, so it is a
 * mandatory finding; a preview or a CLI check only warns. COMPUTEGUARD_AUDIT_ON_FAILURE=block|warn
 * overrides; any other non-empty value fails closed (mandatory) so a typo cannot weaken the gate.
 */
export function auditFailureLevel(operation: Operation, env: Env = process.env): "mandatory" | "advisory" {
  const override = env.COMPUTEGUARD_AUDIT_ON_FAILURE?.trim().toLowerCase();
  if (override === "block") return "mandatory";
  if (override === "warn") return "advisory";
  if (override) return "mandatory";
  return operation === "update" ? "mandatory" : "advisory";
}

/** Passes are recorded only with COMPUTEGUARD_AUDIT_ALL=1 (or true); everything else always. */
export function shouldRecord(decision: Decision, env: Env = process.env): boolean {
  if (decision !== "passed") return true;
  const all = env.COMPUTEGUARD_AUDIT_ALL?.trim().toLowerCase();
  return all === "1" || all === "true";
}
