import { failureLevel } from "../audit/failure-policy.js";
import type { Operation } from "../audit/index.js";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * How loud an unreachable, slow or misconfigured store is: the audit log's rule
 * (mandatory in an update), overridden by COMPUTEGUARD_STORE_ON_FAILURE=block|warn.
 */
export function storeFailureLevel(operation: Operation, env: Env = process.env): "mandatory" | "advisory" {
  return failureLevel(operation, env.COMPUTEGUARD_STORE_ON_FAILURE);
}
