import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type ChildRun, runNode } from "./child-run.js";
import { BENCH_DIST, CLI, ROOT } from "./paths.js";
import { writePreviewFile } from "./preview-file.js";
import { interleaved, ratio, type Summary, summarize } from "./stats.js";

export interface PlanSize {
  steps: number;
  fileBytes: number;
  cli: { wallMs: Summary; peakRssBytes: Summary };
  parse: { wallMs: Summary; peakRssBytes: Summary };
  ratio: { ofMedians: number; paired: number };
  /** CLI peak RSS over the file's size (median run). */
  rssOverFile: number;
}

export type PlanResult =
  | { available: true; sizes: PlanSize[]; linearity: number }
  | { available: false; reason: string };

/** `--preview` is another engineer's work in progress: measure only once the CLI offers it. */
export async function previewSupported(): Promise<string | undefined> {
  const help = await runNode([CLI, "estimate", "--help"], ROOT, true);
  return help.stdout.includes("--preview")
    ? undefined
    : "`computeguard estimate` has no --preview option yet";
}

function ok(run: ChildRun, what: string): ChildRun {
  // Exit 1 is a gate that blocked; only a crash or bad input (2, 70) makes the figure meaningless.
  if (run.code !== 0 && run.code !== 1) throw new Error(`${what} exited ${run.code}: ${run.stderr.trim()}`);
  return run;
}

/**
 * `computeguard estimate --preview FILE` against a child that only reads and parses FILE, over
 * generated previews of each size; runs interleaved so both see the same load.
 */
export async function measurePlanReading(stepCounts: readonly number[], runs: number): Promise<PlanResult> {
  const missing = await previewSupported();
  if (missing) return { available: false, reason: missing };
  const dir = mkdtempSync(path.join(tmpdir(), "cg-bench-preview-"));
  try {
    const sizes: PlanSize[] = [];
    for (const steps of stepCounts) {
      const file = path.join(dir, `preview-${steps}.json`);
      const fileBytes = writePreviewFile(file, steps);
      const cliRuns: ChildRun[] = [];
      const parseRuns: ChildRun[] = [];
      const cli = async () => {
        const run = ok(
          await runNode([CLI, "estimate", "--preview", file], ROOT),
          "computeguard estimate --preview",
        );
        cliRuns.push(run);
        return run.wallMs;
      };
      const parse = async () => {
        const run = ok(
          await runNode([path.join(BENCH_DIST, "parse-json-child.js"), file], ROOT),
          "JSON.parse child",
        );
        parseRuns.push(run);
        return run.wallMs;
      };
      // One unmeasured pair: the file and both programs into the OS cache.
      await cli();
      await parse();
      cliRuns.length = 0;
      parseRuns.length = 0;
      const { a, b } = await interleaved(runs, cli, parse);
      const rss = (rs: ChildRun[]) => summarize(rs.map((r) => r.peakRssBytes ?? Number.NaN));
      const cliRss = rss(cliRuns);
      sizes.push({
        steps,
        fileBytes,
        cli: { wallMs: summarize(a), peakRssBytes: cliRss },
        parse: { wallMs: summarize(b), peakRssBytes: rss(parseRuns) },
        ratio: ratio(a, b),
        rssOverFile: cliRss.median / fileBytes,
      });
      rmSync(file, { force: true });
    }
    const first = sizes[0]!;
    const last = sizes[sizes.length - 1]!;
    return { available: true, sizes, linearity: last.cli.wallMs.median / first.cli.wallMs.median };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
