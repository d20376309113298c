import { StoreConnection, storeSettings } from "../src/store/index.js";

let connection: StoreConnection | undefined;

/**
 * The pack's one pool to the shared store (COMPUTEGUARD_STORE_URL), made on first use and shared
 * by the audit trail and the spend ledger. A malformed setting throws StoreSettingError naming
 * the variable, which each caller turns into a finding.
 */
export function packStore(): StoreConnection {
  connection ??= new StoreConnection(storeSettings());
  return connection;
}
