import type { ResourceEstimate } from "../estimate/types.js";
import { ZERO } from "../money.js";
import { teamOf } from "../policy/rules/common.js";
import type { TeamSpend } from "./ledger.js";

/** A stack's projected monthly spend per team (by the tag the org budget reads), both bases. */
export function stackTeamSpend(estimates: Iterable<ResourceEstimate>, tagKey: string): TeamSpend[] {
  const byTeam = new Map<string | null, TeamSpend>();
  for (const e of estimates) {
    if (!e.monthly) continue;
    const team = teamOf(e, tagKey) ?? null;
    const spend = byTeam.get(team) ?? { team, monthlyBaseline: ZERO, monthlyWorstCase: ZERO };
    spend.monthlyBaseline = spend.monthlyBaseline.plus(e.monthly.baseline.total);
    spend.monthlyWorstCase = spend.monthlyWorstCase.plus(e.monthly.worstCase.total);
    byTeam.set(team, spend);
  }
  return [...byTeam.values()];
}
