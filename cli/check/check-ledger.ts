import type { EffectivePolicy } from "../../src/policy/gate.js";
import type { StackRef } from "../../src/policy/org-spend.js";
import type { GateOptions } from "../../src/policy/session.js";
import {
  readOtherStacksSpend,
  StoreConnection,
  StoreFailure,
  StoreSettingError,
  storeConfigured,
  storeSettings,
} from "../../src/store/index.js";

/**
 * The other stacks' spend for gpu-org-budget, read from the store once before judging, as a
 * preview reads it (never writes). Without a store the rule reports that it cannot judge a
 * configured limit; with one that fails, it says why.
 */
export async function checkOrgSpend(
  policies: readonly EffectivePolicy[],
  ref: StackRef,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Pick<GateOptions, "orgSpend" | "orgSpendUnavailable">> {
  const judged = policies.some((p) => p.rule.readsOrgSpend && p.level !== "disabled");
  if (!judged || !storeConfigured(env)) return {};
  let conn: StoreConnection | undefined;
  try {
    conn = new StoreConnection(storeSettings(env));
    return { orgSpend: await readOtherStacksSpend(conn, ref) };
  } catch (error) {
    if (!(error instanceof StoreFailure || error instanceof StoreSettingError)) throw error;
    return { orgSpendUnavailable: `the spend ledger could not be read: ${error.message}` };
  } finally {
    await conn?.close();
  }
}
