import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchPolicyPack } from "../harness/engine.js";
import { BENCH_POLICY_CONFIG, engineRequests } from "../harness/pack-requests.js";
import type { BenchResource } from "../harness/workload.js";
import { summarizeCpuProfile } from "./cpu-profile.js";
import { PACK_DIR } from "./paths.js";

/**
 * One analysis with the pack under `--cpu-prof`, summarised from its first Analyze on (start-up
 * left out). The engine stops a pack with SIGTERM, which skips writing the profile, so a preload
 * turns SIGTERM into a normal exit. Returns the printable summary.
 */
export async function profilePackAnalysis(
  resources: readonly BenchResource[],
  keepDir?: string,
): Promise<string> {
  const dir = keepDir ?? mkdtempSync(path.join(tmpdir(), "cg-bench-profile-"));
  mkdirSync(dir, { recursive: true });
  const preload = path.join(dir, "exit-on-sigterm.cjs");
  writeFileSync(preload, "process.on('SIGTERM', () => process.exit(0));\n");
  const requests = engineRequests(resources);
  try {
    const { client } = await launchPolicyPack(PACK_DIR, {
      config: BENCH_POLICY_CONFIG,
      env: { COMPUTEGUARD_AUDIT_LOG: path.join(dir, "audit.jsonl") },
      nodeArgs: ["--require", preload, "--cpu-prof", `--cpu-prof-dir=${dir}`],
      rpcTimeoutMs: 600_000,
    });
    for (const r of requests.analyze) await client.analyze(r);
    await client.analyzeStack(requests.stack);
    await client.close();
    const profile = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!profile) return "no profile was written";
    const s = summarizeCpuProfile(path.join(dir, profile), 25, "policypack/");
    const line = (l: { name: string; selfMs: number; share: number }) =>
      `${l.selfMs.toFixed(0).padStart(7)} ms ${(l.share * 100).toFixed(1).padStart(5)} %  ${l.name}`;
    return [
      `pack CPU after start-up: ${s.busyMs.toFixed(0)} ms${keepDir ? ` (profile in ${dir})` : ""}`,
      "self time by area:",
      ...s.byArea.map(line),
      "self time by function:",
      ...s.byFunction.map(line),
    ].join("\n");
  } finally {
    if (!keepDir) rmSync(dir, { recursive: true, force: true });
  }
}
