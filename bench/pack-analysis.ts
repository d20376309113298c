import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { type EngineClient, launchPolicyPack, type PolicyPackConfig } from "../harness/engine.js";
import { BENCH_POLICY_CONFIG, type EngineRequests, engineRequests, STACK } from "../harness/pack-requests.js";
import type { BenchResource } from "../harness/workload.js";
import { NOOP_PACK_DIR, PACK_DIR } from "./paths.js";
import { processCpuMs } from "./process-cpu.js";
import { interleaved, ratio, type Summary, summarize } from "./stats.js";

export interface AnalysisRun {
  analyzeMs: number;
  analyzeStackMs: number;
  totalMs: number;
  /** CPU the pack process spent on Analyze + AnalyzeStack. */
  packCpuMs: number;
  mandatory: number;
  advisory: number;
  /** Mandatory diagnostics by policy. */
  mandatoryByPolicy: Record<string, number>;
  auditRecords: number;
}

async function analysisRun(
  packDir: string,
  requests: EngineRequests,
  config: PolicyPackConfig,
  env: Record<string, string>,
): Promise<AnalysisRun> {
  const dir = mkdtempSync(path.join(tmpdir(), "cg-bench-audit-"));
  const auditLog = path.join(dir, "audit.jsonl");
  let client: EngineClient | undefined;
  try {
    client = (
      await launchPolicyPack(packDir, {
        ...STACK,
        config,
        env: { ...env, COMPUTEGUARD_AUDIT_LOG: auditLog },
        timeoutMs: 60_000,
        rpcTimeoutMs: 600_000,
      })
    ).client;
    let mandatory = 0;
    let advisory = 0;
    const mandatoryByPolicy: Record<string, number> = {};
    const count = (ds: { enforcementLevel: string; policyName: string }[]) => {
      for (const d of ds) {
        if (d.enforcementLevel !== "mandatory") advisory++;
        else {
          mandatory++;
          mandatoryByPolicy[d.policyName] = (mandatoryByPolicy[d.policyName] ?? 0) + 1;
        }
      }
    };
    const cpu0 = processCpuMs(client.pid) ?? Number.NaN;
    const t0 = performance.now();
    for (const r of requests.analyze) count((await client.analyze(r)).diagnostics);
    const t1 = performance.now();
    count((await client.analyzeStack(requests.stack)).diagnostics);
    const t2 = performance.now();
    const packCpuMs = (processCpuMs(client.pid) ?? Number.NaN) - cpu0;
    let auditRecords = 0;
    try {
      auditRecords = readFileSync(auditLog, "utf8").split("\n").filter(Boolean).length;
    } catch {
      // No decision was recorded: no file.
    }
    return {
      analyzeMs: t1 - t0,
      analyzeStackMs: t2 - t1,
      totalMs: t2 - t0,
      packCpuMs,
      mandatory,
      advisory,
      mandatoryByPolicy,
      auditRecords,
    };
  } finally {
    await client?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface AnalysisResult {
  resources: number;
  computeguard: {
    total: Summary;
    analyze: Summary;
    analyzeStack: Summary;
    packCpu: Summary;
    last: AnalysisRun;
  };
  noop: { total: Summary; analyze: Summary; analyzeStack: Summary; packCpu: Summary };
  ratio: { ofMedians: number; paired: number };
  analyzeRatio: { ofMedians: number; paired: number };
  analyzeStackRatio: { ofMedians: number; paired: number };
  packCpuRatio: { ofMedians: number; paired: number };
}

export async function measureAnalysis(
  resources: readonly BenchResource[],
  runs: number,
  env: Record<string, string>,
  config: PolicyPackConfig = BENCH_POLICY_CONFIG,
  packDir = PACK_DIR,
): Promise<AnalysisResult> {
  const requests = engineRequests(resources);
  const cg: AnalysisRun[] = [];
  const noop: AnalysisRun[] = [];
  await interleaved(
    runs,
    async () => {
      cg.push(await analysisRun(packDir, requests, config, env));
      return 0;
    },
    async () => {
      // The engine sends a pack only its own policies' config; the no-op pack has none of these.
      noop.push(await analysisRun(NOOP_PACK_DIR, requests, {}, env));
      return 0;
    },
  );
  const pick = (runs: AnalysisRun[], key: "analyzeMs" | "analyzeStackMs" | "totalMs" | "packCpuMs") =>
    runs.map((r) => r[key]);
  return {
    resources: resources.length,
    computeguard: {
      total: summarize(pick(cg, "totalMs")),
      analyze: summarize(pick(cg, "analyzeMs")),
      analyzeStack: summarize(pick(cg, "analyzeStackMs")),
      packCpu: summarize(pick(cg, "packCpuMs")),
      last: cg[cg.length - 1]!,
    },
    noop: {
      total: summarize(pick(noop, "totalMs")),
      analyze: summarize(pick(noop, "analyzeMs")),
      analyzeStack: summarize(pick(noop, "analyzeStackMs")),
      packCpu: summarize(pick(noop, "packCpuMs")),
    },
    ratio: ratio(pick(cg, "totalMs"), pick(noop, "totalMs")),
    analyzeRatio: ratio(pick(cg, "analyzeMs"), pick(noop, "analyzeMs")),
    analyzeStackRatio: ratio(pick(cg, "analyzeStackMs"), pick(noop, "analyzeStackMs")),
    packCpuRatio: ratio(pick(cg, "packCpuMs"), pick(noop, "packCpuMs")),
  };
}
