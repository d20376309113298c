import { startPolicyPack } from "../harness/engine.js";
import { NOOP_PACK_DIR, PACK_DIR } from "./paths.js";
import { interleaved, ratio, type Summary, summarize } from "./stats.js";

export interface ColdStartResult {
  computeguard: Summary;
  noop: Summary;
  ratio: { ofMedians: number; paired: number };
}

/** Spawn to port line, exactly as the engine starts a pack (run-policy-pack in the pack directory). */
async function startupMs(packDir: string, env: Record<string, string>): Promise<number> {
  const client = await startPolicyPack(packDir, { env, timeoutMs: 60_000 });
  try {
    return client.startupMs;
  } finally {
    await client.close();
  }
}

export async function measureColdStart(
  runs: number,
  env: Record<string, string>,
  packDir = PACK_DIR,
): Promise<ColdStartResult> {
  // One unmeasured start each: the first spawn pays for the OS file cache.
  await startupMs(packDir, env);
  await startupMs(NOOP_PACK_DIR, env);
  const { a, b } = await interleaved(
    runs,
    () => startupMs(packDir, env),
    () => startupMs(NOOP_PACK_DIR, env),
  );
  return { computeguard: summarize(a), noop: summarize(b), ratio: ratio(a, b) };
}
