/** Median, min and max of repeated measurements, and ratios between two of them. */
export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new Error("no samples to summarize");
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]!, runs: sorted.length };
}

/**
 * Ratio of medians, and the median of the per-run ratios: runs are interleaved A/B, so a pair
 * shares the machine's load of its moment and the paired ratio cancels most of the drift.
 */
export function ratio(a: readonly number[], b: readonly number[]): { ofMedians: number; paired: number } {
  const pairs = a.slice(0, Math.min(a.length, b.length)).map((x, i) => x / b[i]!);
  return { ofMedians: summarize(a).median / summarize(b).median, paired: summarize(pairs).median };
}

/** Runs `task` for each run index, alternating which of A and B goes first to cancel drift. */
export async function interleaved(
  runs: number,
  a: (run: number) => Promise<number>,
  b: (run: number) => Promise<number>,
): Promise<{ a: number[]; b: number[] }> {
  const out = { a: [] as number[], b: [] as number[] };
  for (let run = 0; run < runs; run++) {
    if (run % 2 === 0) {
      out.a.push(await a(run));
      out.b.push(await b(run));
    } else {
      out.b.push(await b(run));
      out.a.push(await a(run));
    }
  }
  return out;
}
