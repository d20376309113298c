import type { Operation } from "../audit/index.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * How loud an unreachable, slow or misconfigured store is. In an update nothing may deploy
 * unaudited or unbudgeted, so it is mandatory; a preview or a CLI check only warns.
 * COMPUTEGUARD_STORE_ON_FAILURE=block|warn overrides; any other non-empty value fails closed.
 */
export function storeFailureLevel(operation: Operation, env: Env = process.env): "mandatory" | "advisory" {
  const override = env.COMPUTEGUARD_STORE_ON_FAILURE?.trim().toLowerCase();
  if (override === "block") return "mandatory";
  if (override === "warn") return "advisory";
  if (override) return "mandatory";
  return operation === "update" ? "mandatory" : "advisory";
}
