import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { launchPolicyPack, type PolicyPackConfig, startPolicyPack } from "../harness/engine.js";
import { BENCH_POLICY_CONFIG, engineRequests, STACK } from "../harness/pack-requests.js";
import { workload } from "../harness/workload.js";
import { COMPILE_CACHE_ENV } from "../policypack/compile-cache.js";
import { NOOP_PACK_DIR, PACK_DIR } from "./paths.js";
import { processCpuMs } from "./process-cpu.js";
import { interleaved, ratio, type Summary, summarize } from "./stats.js";

type Ratio = { ofMedians: number; paired: number };

export interface ColdStartResult {
  /** Spawn to port line, wall time. */
  computeguard: Summary;
  noop: Summary;
  ratio: Ratio;
  /** CPU the pack process used up to its port line (less sensitive to a busy machine). */
  cpu: { computeguard: Summary; noop: Summary; ratio: Ratio };
  /**
   * Spawn to the first answer: port line, the engine's start-up calls (Handshake, ConfigureStack,
   * GetAnalyzerInfo, Configure, GetPluginInfo) and one Analyze of a GPU instance. Work a pack
   * deferred past its port line shows here.
   */
  firstAnswer: { computeguard: Summary; noop: Summary; ratio: Ratio };
  /**
   * Spawn to port line with the code cache off (policypack/compile-cache.ts): what the first start
   * after an install pays, and every start where the pack directory is read-only.
   */
  uncached: { computeguard: Summary; noop: Summary; ratio: Ratio };
}

/** Spawn to port line, exactly as the engine starts a pack (run-policy-pack in the pack directory). */
async function startup(packDir: string, env: Record<string, string>): Promise<{ ms: number; cpuMs: number }> {
  const client = await startPolicyPack(packDir, { env, timeoutMs: 60_000 });
  try {
    return { ms: client.startupMs, cpuMs: processCpuMs(client.pid) ?? Number.NaN };
  } finally {
    await client.close();
  }
}

const firstGpuInstance = engineRequests(workload({ resources: 1 })).analyze[0]!;

async function firstAnswerMs(
  packDir: string,
  config: PolicyPackConfig,
  env: Record<string, string>,
): Promise<number> {
  // The first GPU instance is a blocked p5.48xlarge: its audit record goes to a fresh file.
  const dir = mkdtempSync(path.join(tmpdir(), "cg-bench-audit-"));
  const t0 = performance.now();
  const { client } = await launchPolicyPack(packDir, {
    ...STACK,
    config,
    env: { ...env, COMPUTEGUARD_AUDIT_LOG: path.join(dir, "audit.jsonl") },
    timeoutMs: 60_000,
  });
  try {
    await client.analyze(firstGpuInstance);
    return performance.now() - t0;
  } finally {
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function measureColdStart(
  runs: number,
  env: Record<string, string>,
  packDir = PACK_DIR,
): Promise<ColdStartResult> {
  // One unmeasured start each: the first spawn pays for the OS file cache, and computeguard's
  // writes its code cache (as the first start after an install does).
  await startup(packDir, env);
  await startup(NOOP_PACK_DIR, env);
  const cg: { ms: number; cpuMs: number }[] = [];
  const noop: { ms: number; cpuMs: number }[] = [];
  await interleaved(
    runs,
    async () => {
      cg.push(await startup(packDir, env));
      return 0;
    },
    async () => {
      noop.push(await startup(NOOP_PACK_DIR, env));
      return 0;
    },
  );
  const uncached = await interleaved(
    runs,
    async () => (await startup(packDir, { ...env, [COMPILE_CACHE_ENV]: "off" })).ms,
    async () => (await startup(NOOP_PACK_DIR, env)).ms,
  );
  const first = await interleaved(
    runs,
    () => firstAnswerMs(packDir, BENCH_POLICY_CONFIG, env),
    // The engine sends a pack only its own policies' config; the no-op pack has none of these.
    () => firstAnswerMs(NOOP_PACK_DIR, {}, env),
  );
  const ms = (xs: typeof cg) => xs.map((x) => x.ms);
  const cpu = (xs: typeof cg) => xs.map((x) => x.cpuMs);
  return {
    computeguard: summarize(ms(cg)),
    noop: summarize(ms(noop)),
    ratio: ratio(ms(cg), ms(noop)),
    cpu: { computeguard: summarize(cpu(cg)), noop: summarize(cpu(noop)), ratio: ratio(cpu(cg), cpu(noop)) },
    firstAnswer: {
      computeguard: summarize(first.a),
      noop: summarize(first.b),
      ratio: ratio(first.a, first.b),
    },
    uncached: {
      computeguard: summarize(uncached.a),
      noop: summarize(uncached.b),
      ratio: ratio(uncached.a, uncached.b),
    },
  };
}
