import { COMPILE_CACHE_ENV } from "../policypack/compile-cache.js";
import type { CoreResult } from "./core-throughput.js";
import type { AnalysisResult } from "./pack-analysis.js";
import type { ColdStartResult } from "./pack-cold-start.js";
import type { PlanResult } from "./plan-reading.js";
import type { Summary } from "./stats.js";

export const TARGETS = {
  coldStart: 1.05,
  analysis: 1.15,
  planReading: 2,
  planLinearity: 11,
  planRssOverFile: 3,
} as const;

export interface Machine {
  date: string;
  commit: string;
  /** The working tree differs from the commit. */
  dirty: boolean;
  node: string;
  cpu: string;
  cores: number;
  loadBefore: number[];
  loadAfter: number[];
  runs: number;
}

export interface BenchResults {
  machine: Machine;
  coldStart?: ColdStartResult;
  analysis?: AnalysisResult;
  core?: CoreResult[];
  plan?: PlanResult;
}

const ms = (s: Summary) => `${s.median.toFixed(0)} ms (${s.min.toFixed(0)}–${s.max.toFixed(0)})`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
const mbs = (s: Summary) => `${mb(s.median)} (${mb(s.min)}–${mb(s.max)})`;
const x = (r: number) => `${r.toFixed(2)}x`;
/** Measured ratios keep a third decimal: a ratio at a target's edge must not round onto it. */
const rx = (r: number) => `${r.toFixed(3)}x`;
const met = (value: number, limit: number) => (value <= limit ? "yes" : "**no**");
const load = (l: number[]) => l.map((v) => v.toFixed(2)).join(" / ");

/** The generated part of docs/benchmarks.md: how it was measured and the figures. */
export function resultsMarkdown(r: BenchResults): string {
  const m = r.machine;
  const lines = [
    `Measured ${m.date} at commit ${m.commit}${m.dirty ? " plus uncommitted changes" : ""} with Node ${m.node} on ${m.cores} x ${m.cpu}; ` +
      `${m.runs} runs per figure, A/B interleaved; load average (1/5/15 min) ${load(m.loadBefore)} before, ` +
      `${load(m.loadAfter)} after. Times are median (min–max); ratios are the median of the per-run ` +
      "(paired) ratios, which cancel most of the drift of a shared machine.",
    "",
    "| # | measurement | computeguard | baseline | ratio | target | met |",
    "|---|---|---|---|---|---|---|",
  ];
  if (r.coldStart) {
    const c = r.coldStart;
    lines.push(
      `| 1 | pack cold start: spawn to port line (${c.computeguard.runs} runs) | ${ms(c.computeguard)} | no-op pack ${ms(c.noop)} | ${rx(c.ratio.paired)} | <= ${x(TARGETS.coldStart)} | ${met(c.ratio.paired, TARGETS.coldStart)} |`,
      `| 1a | CPU of the pack process up to its port line | ${ms(c.cpu.computeguard)} | ${ms(c.cpu.noop)} | ${rx(c.cpu.ratio.paired)} | | |`,
      `| 1b | spawn to first answer: port line, the engine's start-up calls, one Analyze of a GPU instance | ${ms(c.firstAnswer.computeguard)} | ${ms(c.firstAnswer.noop)} | ${rx(c.firstAnswer.ratio.paired)} | | |`,
      `| 1c | spawn to port line without the code cache (the first start after an install; \`${COMPILE_CACHE_ENV}=off\`) | ${ms(c.uncached.computeguard)} | no-op pack ${ms(c.uncached.noop)} | ${rx(c.uncached.ratio.paired)} | | |`,
    );
  }
  if (r.analysis) {
    const a = r.analysis;
    const n = a.resources.toLocaleString("en-US");
    lines.push(
      `| 2 | ${n} x Analyze + 1 AnalyzeStack over gRPC | ${ms(a.computeguard.total)} | no-op pack ${ms(a.noop.total)} | ${rx(a.ratio.paired)} | <= ${x(TARGETS.analysis)} | ${met(a.ratio.paired, TARGETS.analysis)} |`,
      `| 2a | of which ${n} x Analyze | ${ms(a.computeguard.analyze)} | ${ms(a.noop.analyze)} | ${rx(a.analyzeRatio.paired)} | | |`,
      `| 2b | of which AnalyzeStack (${n} resources) | ${ms(a.computeguard.analyzeStack)} | ${ms(a.noop.analyzeStack)} | ${rx(a.analyzeStackRatio.paired)} | | |`,
      `| 2c | CPU of the pack process over 2 | ${ms(a.computeguard.packCpu)} | ${ms(a.noop.packCpu)} | ${rx(a.packCpuRatio.paired)} | | |`,
    );
  }
  for (const c of r.core ?? []) {
    const what =
      c.mode === "stack"
        ? "estimateStack (whole stack, the CLI's path)"
        : "every rule's per-resource verdicts (the pack's path without the SDK)";
    lines.push(
      `| 3${c.mode === "stack" ? "a" : "b"} | core, ${c.resources.toLocaleString("en-US")} resources in-process: ${what} | ${c.usPerResource.median.toFixed(1)} µs/resource (${c.usPerResource.min.toFixed(1)}–${c.usPerResource.max.toFixed(1)}); ${ms(c.totalMs)} in all; peak RSS ${mbs(c.peakRssBytes)}, of which ${mb(c.rssBeforeBytes.median)} the generated inputs | | | | |`,
    );
  }
  if (r.plan?.available) {
    for (const s of r.plan.sizes) {
      lines.push(
        `| 4 | \`estimate --preview\`, ${s.steps.toLocaleString("en-US")} steps (${mb(s.fileBytes)} file) | ${ms(s.cli.wallMs)} | JSON.parse child ${ms(s.parse.wallMs)} | ${rx(s.ratio.paired)} | <= ${x(TARGETS.planReading)} | ${met(s.ratio.paired, TARGETS.planReading)} |`,
        `| 4 | peak RSS, ${s.steps.toLocaleString("en-US")} steps | ${mbs(s.cli.peakRssBytes)} = ${x(s.rssOverFile)} the file | JSON.parse child ${mbs(s.parse.peakRssBytes)} = ${x(s.parse.peakRssBytes.median / s.fileBytes)} | | <= ${x(TARGETS.planRssOverFile)} the file | ${met(s.rssOverFile, TARGETS.planRssOverFile)} |`,
      );
    }
    const [first, last] = [r.plan.sizes[0]!, r.plan.sizes[r.plan.sizes.length - 1]!];
    const grow = last.steps / first.steps;
    const marginal =
      (last.cli.peakRssBytes.median - first.cli.peakRssBytes.median) / (last.fileBytes - first.fileBytes);
    lines.push(
      `| 4 | linearity: ${grow}x the steps | ${x(r.plan.linearity)} the time; RSS grows ${x(marginal)} the added file bytes | | | <= ${x(TARGETS.planLinearity)} | ${met(r.plan.linearity, TARGETS.planLinearity)} |`,
    );
  } else if (r.plan) {
    lines.push(`| 4 | \`estimate --preview\` | not measured: ${r.plan.reason} | | | | |`);
  }
  if (r.analysis) {
    const last = r.analysis.computeguard.last;
    const byPolicy = Object.entries(last.mandatoryByPolicy)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([policy, n]) => `${n} ${policy}`)
      .join(", ");
    lines.push(
      "",
      `In 2, computeguard reported ${last.mandatory} mandatory (${byPolicy || "none"}: the p5.48xlarge instances ` +
        "over the $20,000 per-resource limit, the GameLift fleets the tripwire catches) and " +
        `${last.advisory} advisory diagnostics per run, and wrote ${last.auditRecords} audit ` +
        "records to COMPUTEGUARD_AUDIT_LOG (a fresh temp file per run); the no-op pack reports nothing.",
    );
  }
  return lines.join("\n");
}

const START = "<!-- bench:results:start -->";
const END = "<!-- bench:results:end -->";

/** Replaces the generated section of the document, keeping everything written by hand around it. */
export function spliceResults(document: string, results: string): string {
  const block = `${START}\n${results}\n${END}`;
  const start = document.indexOf(START);
  const end = document.indexOf(END);
  if (start < 0 || end < start) return `${document.trimEnd()}\n\n${block}\n`;
  return document.slice(0, start) + block + document.slice(end + END.length);
}
