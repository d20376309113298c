import type { ResourceEstimate } from "../../estimate/types.js";
import { type Money, maxMoney, sum, ZERO } from "../../money.js";
import { isNotPriced } from "../../plan/cost-diff.js";
import type { DiffReport, ReportResource } from "../diff-model.js";
import { rowMark } from "../diff-model.js";
import { ROW_MARK_WORD } from "../verdict-banner.js";

/** Most bars one chart shows; the rest are summed into one "others" bar. */
export const MAX_BARS = 25;

/** A budget drawn across a chart as a dashed line. */
export interface BudgetLine {
  label: string;
  amount: number;
}

/** What the page's charts draw. Amounts are numbers here: a chart needs no exact cents. */
export interface ChartData {
  bars: {
    labels: string[];
    /** The row's mark ("BLOCKED", "WARNING", "NOT PRICED"), shown under its name; null for none. */
    marks: Array<string | null>;
    /** null where the side is absent or cannot be priced (see notPriced*). */
    before: Array<number | null>;
    after: Array<number | null>;
    /**
     * A hatched placeholder bar where a side exists but cannot be priced, as tall as the chart's
     * largest figure: an unknown cost never draws as an empty (read: $0) bar.
     */
    notPricedBefore: Array<number | null>;
    notPricedAfter: Array<number | null>;
    /** The per-resource budget, when a policy judged one. */
    budget: BudgetLine | null;
  };
  projection: {
    labels: string[];
    pastBaseline: number[];
    pastWorstCase: number[];
    newBaseline: number[];
    newWorstCase: number[];
    /** The stack's monthly budget, when a policy judged one. */
    budget: BudgetLine | null;
  };
}

/** Worst-case monthly cost of one side: 0 when absent, undefined when it cannot be priced. */
function worstCase(e: ResourceEstimate | undefined): Money | undefined {
  if (!e) return ZERO;
  if (isNotPriced(e)) return undefined;
  return e.monthly?.worstCase.total ?? ZERO;
}

function hasRunRate(r: ReportResource): boolean {
  return [r.before, r.after].some((e) => e !== undefined && (e.monthly !== undefined || isNotPriced(e)));
}

const toNumber = (m: Money | undefined): number | null => (m === undefined ? null : m.toNumber());

/** The limit a budget policy judged against (`budget` "resource" or "stack"), from its findings. */
function budgetLine(report: DiffReport, budget: "resource" | "stack", label: string): BudgetLine | null {
  const all = [...report.resources.flatMap((r) => r.verdicts), ...report.stackVerdicts];
  const limit = all.find((v) => v.budget === budget && v.limit !== undefined)?.limit;
  return limit ? { label, amount: limit.toNumber() } : null;
}

interface Bar {
  name: string;
  mark: string | null;
  before: Money | undefined;
  after: Money | undefined;
  unpricedBefore: boolean;
  unpricedAfter: boolean;
}

export function chartData(report: DiffReport): ChartData {
  const shown: Bar[] = report.resources.filter(hasRunRate).map((r) => {
    const mark = rowMark(r);
    return {
      name: r.name,
      mark: mark ? ROW_MARK_WORD[mark] : null,
      before: worstCase(r.before),
      after: worstCase(r.after),
      unpricedBefore: r.before !== undefined && isNotPriced(r.before),
      unpricedAfter: r.after !== undefined && isNotPriced(r.after),
    };
  });
  // Unpriced bars rank first: their cost is unknown, so they may be the largest.
  const size = (x: Bar) =>
    x.unpricedBefore || x.unpricedAfter ? undefined : maxMoney(x.before ?? ZERO, x.after ?? ZERO);
  let bars = shown;
  if (shown.length > MAX_BARS) {
    const ranked = [...shown].sort((a, b) => {
      const sa = size(a);
      const sb = size(b);
      if (!sa || !sb) return (sa ? 1 : 0) - (sb ? 1 : 0);
      return sb.comparedTo(sa);
    });
    const kept = new Set(ranked.slice(0, MAX_BARS - 1));
    const rest = shown.filter((x) => !kept.has(x));
    const unpriced = rest.filter((x) => x.unpricedBefore || x.unpricedAfter).length;
    bars = [
      ...shown.filter((x) => kept.has(x)),
      {
        name: `${rest.length} others`,
        mark: unpriced > 0 ? `${unpriced} NOT PRICED` : null,
        before: sum(rest.map((x) => x.before ?? ZERO)),
        after: sum(rest.map((x) => x.after ?? ZERO)),
        unpricedBefore: false,
        unpricedAfter: false,
      },
    ];
  }
  const resourceBudget = budgetLine(report, "resource", "per-resource limit");
  const tallest = Math.max(
    resourceBudget?.amount ?? 0,
    ...bars.flatMap((b) => [b.before, b.after].map((m) => m?.toNumber() ?? 0)),
  );
  const placeholder = tallest > 0 ? tallest : 1;
  const p = report.projection;
  return {
    bars: {
      labels: bars.map((b) => b.name),
      marks: bars.map((b) => b.mark),
      before: bars.map((b) => toNumber(b.before)),
      after: bars.map((b) => toNumber(b.after)),
      notPricedBefore: bars.map((b) => (b.unpricedBefore ? placeholder : null)),
      notPricedAfter: bars.map((b) => (b.unpricedAfter ? placeholder : null)),
      budget: resourceBudget,
    },
    projection: {
      labels: Array.from({ length: p.months }, (_, i) => `month ${i + 1}`),
      pastBaseline: p.past.baseline.map((m) => m.toNumber()),
      pastWorstCase: p.past.worstCase.map((m) => m.toNumber()),
      newBaseline: p.new.baseline.map((m) => m.toNumber()),
      newWorstCase: p.new.worstCase.map((m) => m.toNumber()),
      budget: budgetLine(report, "stack", "stack limit"),
    },
  };
}
