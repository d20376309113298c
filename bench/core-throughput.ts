import path from "node:path";
import { runNode } from "./child-run.js";
import type { CoreRun } from "./core-child.js";
import { BENCH_DIST, ROOT } from "./paths.js";
import { type Summary, summarize } from "./stats.js";

export interface CoreResult {
  mode: CoreRun["mode"];
  resources: number;
  usPerResource: Summary;
  totalMs: Summary;
  peakRssBytes: Summary;
  rssBeforeBytes: Summary;
}

async function coreRun(mode: CoreRun["mode"], resources: number): Promise<CoreRun> {
  const child = await runNode([path.join(BENCH_DIST, "core-child.js"), mode, String(resources)], ROOT, true);
  if (child.code !== 0) throw new Error(`core benchmark (${mode}) failed: ${child.stderr.trim()}`);
  return JSON.parse(child.stdout) as CoreRun;
}

/** `runs` fresh processes per mode: the whole-stack estimate and the per-resource session. */
export async function measureCore(resources: number, runs: number): Promise<CoreResult[]> {
  const out: CoreResult[] = [];
  for (const mode of ["stack", "session"] as const) {
    const samples: CoreRun[] = [];
    for (let i = 0; i < runs; i++) samples.push(await coreRun(mode, resources));
    out.push({
      mode,
      resources,
      usPerResource: summarize(samples.map((s) => s.usPerResource)),
      totalMs: summarize(samples.map((s) => s.ms)),
      peakRssBytes: summarize(samples.map((s) => s.peakRssBytes)),
      rssBeforeBytes: summarize(samples.map((s) => s.rssBeforeBytes)),
    });
  }
  return out;
}
