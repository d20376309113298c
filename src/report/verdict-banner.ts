import type { FailOn, Outcome } from "../policy/enforcement.js";

/**
 * The verdict every report leads with, before any cost figure: a reader who stops after one line
 * must know whether the change is blocked. Red for a block, amber for warnings or resources that
 * could not be priced (their cost is unknown, not $0), green only when every policy passed and
 * everything is priced; grey when no policy ran.
 */
export type BannerKind = "blocked" | "warnings" | "not-priced" | "passed" | "not-gated";

export interface VerdictBanner {
  kind: BannerKind;
  /** "BLOCKED", "WARNINGS", "NOT PRICED", "PASSED", "NOT GATED". */
  word: string;
  /** "4 blocked, 2 warnings, 0 waived, 2 not priced". */
  counts: string;
  /** What the CI job does: "fails --fail-on blocked"; absent without policies. */
  job?: string;
  /** The whole banner on one line: "BLOCKED: 4 blocked, 2 warnings, 2 not priced; fails --fail-on blocked". */
  line: string;
}

export interface BannerInput {
  /** The gate's outcome counts and fail-on; absent when no policy was evaluated. */
  gate?: { counts: Readonly<Record<Outcome, number>>; failOn: FailOn; failed: boolean } | undefined;
  /** Resources (after the change) that could not be priced. */
  notPriced: number;
}

const WORD: Readonly<Record<BannerKind, string>> = {
  blocked: "BLOCKED",
  warnings: "WARNINGS",
  "not-priced": "NOT PRICED",
  passed: "PASSED",
  "not-gated": "NOT GATED",
};

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function verdictBanner({ gate, notPriced }: BannerInput): VerdictBanner {
  const kind: BannerKind = !gate
    ? "not-gated"
    : gate.counts.blocked > 0
      ? "blocked"
      : gate.counts.warning > 0
        ? "warnings"
        : notPriced > 0
          ? "not-priced"
          : "passed";
  const parts = gate
    ? [`${gate.counts.blocked} blocked`, plural(gate.counts.warning, "warning")]
    : ["no policies evaluated (no --policy-config)"];
  if (gate && gate.counts.waived > 0) parts.push(`${gate.counts.waived} waived`);
  parts.push(`${notPriced} not priced`);
  const counts = parts.join(", ");
  const job = gate ? `${gate.failed ? "fails" : "passes"} --fail-on ${gate.failOn}` : undefined;
  return {
    kind,
    word: WORD[kind],
    counts,
    ...(job ? { job } : {}),
    line: `${WORD[kind]}: ${counts}${job ? `; ${job}` : ""}`,
  };
}

/** The marker a row carries: its worst finding, else "not priced" when a side cannot be priced. */
export type RowMark = "blocked" | "warning" | "waived" | "not-priced" | undefined;

export const ROW_MARK_WORD: Readonly<Record<Exclude<RowMark, undefined>, string>> = {
  blocked: "BLOCKED",
  warning: "WARNING",
  waived: "WAIVED",
  "not-priced": "NOT PRICED",
};
