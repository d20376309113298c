import type { ResourceEstimate } from "../../estimate/types.js";
import { type Money, maxMoney, sum, ZERO } from "../../money.js";
import { isNotPriced } from "../../plan/cost-diff.js";
import type { DiffReport, ReportResource } from "../diff-model.js";

/** Most bars one chart shows; the rest are summed into one "others" bar. */
export const MAX_BARS = 25;

/** What the page's charts draw. Amounts are numbers here: a chart needs no exact cents. */
export interface ChartData {
  bars: { labels: string[]; before: Array<number | null>; after: Array<number | null> };
  projection: {
    labels: string[];
    pastBaseline: number[];
    pastWorstCase: number[];
    newBaseline: number[];
    newWorstCase: number[];
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

export function chartData(report: DiffReport): ChartData {
  const shown = report.resources.filter(hasRunRate).map((r) => ({
    name: r.name,
    before: worstCase(r.before),
    after: worstCase(r.after),
  }));
  const size = (x: (typeof shown)[number]) => maxMoney(x.before ?? ZERO, x.after ?? ZERO);
  let bars = shown;
  if (shown.length > MAX_BARS) {
    const ranked = [...shown].sort((a, b) => size(b).comparedTo(size(a)));
    const kept = new Set(ranked.slice(0, MAX_BARS - 1));
    const rest = shown.filter((x) => !kept.has(x));
    bars = [
      ...shown.filter((x) => kept.has(x)),
      {
        name: `${rest.length} others`,
        before: sum(rest.map((x) => x.before ?? ZERO)),
        after: sum(rest.map((x) => x.after ?? ZERO)),
      },
    ];
  }
  const p = report.projection;
  return {
    bars: {
      labels: bars.map((b) => b.name),
      before: bars.map((b) => toNumber(b.before)),
      after: bars.map((b) => toNumber(b.after)),
    },
    projection: {
      labels: Array.from({ length: p.months }, (_, i) => `month ${i + 1}`),
      pastBaseline: p.past.baseline.map((m) => m.toNumber()),
      pastWorstCase: p.past.worstCase.map((m) => m.toNumber()),
      newBaseline: p.new.baseline.map((m) => m.toNumber()),
      newWorstCase: p.new.worstCase.map((m) => m.toNumber()),
    },
  };
}
