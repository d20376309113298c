import type { ResourceEstimate } from "../../estimate/types.js";
import type { Money } from "../../money.js";
import { teamOf } from "./common.js";

// With team limits configured, spend must be charged to one of those teams: otherwise a new tag
// value (`research-x`) or no tag at all escapes every team limit. gpu-stack-budget and
// gpu-org-budget judge it the same way; each names what counts the spend otherwise.

/** What `unlistedTeams` means, in each rule's schema. */
export function unlistedTeamsDescription(limit: string): string {
  return `With teamLimitsUsd set, spend tagged with a team outside it (or with no team): block it, or count it against ${limit} only`;
}

export interface TeamLimits {
  tagKey: string;
  teamLimitsUsd: Record<string, number>;
  unlistedTeams: string;
}

/** Why the resource's spend escapes every configured team limit (a clause after its name), or undefined when it does not. */
export function unlistedTeam(
  e: ResourceEstimate,
  cost: Money,
  config: TeamLimits,
): { team: string | undefined; clause: string } | undefined {
  const teams = Object.keys(config.teamLimitsUsd);
  if (teams.length === 0 || config.unlistedTeams !== "block" || !cost.greaterThan(0)) return undefined;
  const team = teamOf(e, config.tagKey);
  if (team !== undefined && Object.hasOwn(config.teamLimitsUsd, team)) return undefined;
  const charged =
    team === undefined
      ? `has no "${config.tagKey}" tag`
      : `is charged to team "${team}" (tag ${config.tagKey}), which has no limit`;
  return {
    team,
    clause: `${charged}: team limits are set for ${teams.join(", ")}; tag it with one of them, or add the team to teamLimitsUsd`,
  };
}
