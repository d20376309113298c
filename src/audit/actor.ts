import { userInfo } from "node:os";
import type { Actor } from "./record.js";

type Env = Readonly<Record<string, string | undefined>>;

interface CiFacts {
  ci: string;
  user?: string | undefined;
  repository?: string | undefined;
  commit?: string | undefined;
  runUrl?: string | undefined;
}

/** Each CI system's own variables, checked in order; the first whose marker is set wins. */
const CI_SYSTEMS: ReadonlyArray<{ detect: (env: Env) => boolean; facts: (env: Env) => CiFacts }> = [
  {
    detect: (env) => env.GITHUB_ACTIONS === "true",
    facts: (env) => ({
      ci: "github-actions",
      user: env.GITHUB_ACTOR,
      repository: env.GITHUB_REPOSITORY,
      commit: env.GITHUB_SHA,
      runUrl: joinIfAll(
        env.GITHUB_SERVER_URL,
        "/",
        env.GITHUB_REPOSITORY,
        "/actions/runs/",
        env.GITHUB_RUN_ID,
      ),
    }),
  },
  {
    detect: (env) => env.GITLAB_CI === "true",
    facts: (env) => ({
      ci: "gitlab",
      user: env.GITLAB_USER_LOGIN,
      repository: env.CI_PROJECT_PATH,
      commit: env.CI_COMMIT_SHA,
      runUrl: env.CI_JOB_URL ?? env.CI_PIPELINE_URL,
    }),
  },
  {
    detect: (env) => env.CIRCLECI === "true",
    facts: (env) => ({
      ci: "circleci",
      user: env.CIRCLE_USERNAME,
      repository:
        joinIfAll(env.CIRCLE_PROJECT_USERNAME, "/", env.CIRCLE_PROJECT_REPONAME) ?? env.CIRCLE_REPOSITORY_URL,
      commit: env.CIRCLE_SHA1,
      runUrl: env.CIRCLE_BUILD_URL,
    }),
  },
  {
    detect: (env) => env.BUILDKITE === "true",
    facts: (env) => ({
      ci: "buildkite",
      user: env.BUILDKITE_BUILD_CREATOR_EMAIL ?? env.BUILDKITE_BUILD_CREATOR,
      repository: env.BUILDKITE_REPO,
      commit: env.BUILDKITE_COMMIT,
      runUrl: env.BUILDKITE_BUILD_URL,
    }),
  },
  {
    detect: (env) => env.TF_BUILD?.toLowerCase() === "true",
    facts: (env) => ({
      ci: "azure-pipelines",
      user: env.BUILD_REQUESTEDFOREMAIL ?? env.BUILD_REQUESTEDFOR,
      repository: env.BUILD_REPOSITORY_NAME ?? env.BUILD_REPOSITORY_URI,
      commit: env.BUILD_SOURCEVERSION,
      runUrl: joinIfAll(
        env.SYSTEM_COLLECTIONURI ?? env.SYSTEM_TEAMFOUNDATIONCOLLECTIONURI,
        env.SYSTEM_TEAMPROJECT,
        "/_build/results?buildId=",
        env.BUILD_BUILDID,
      ),
    }),
  },
  {
    detect: (env) => env.BITBUCKET_BUILD_NUMBER !== undefined,
    facts: (env) => ({
      ci: "bitbucket",
      // Bitbucket exposes only the triggering user's UUID, not a login.
      user: env.BITBUCKET_STEP_TRIGGERER_UUID,
      repository: env.BITBUCKET_REPO_FULL_NAME,
      commit: env.BITBUCKET_COMMIT,
      runUrl: joinIfAll(env.BITBUCKET_GIT_HTTP_ORIGIN, "/pipelines/results/", env.BITBUCKET_BUILD_NUMBER),
    }),
  },
  {
    detect: (env) => env.JENKINS_URL !== undefined,
    facts: (env) => ({
      ci: "jenkins",
      // BUILD_USER_ID comes from the build-user-vars plugin; CHANGE_AUTHOR from multibranch PR builds.
      user: env.BUILD_USER_ID ?? env.CHANGE_AUTHOR,
      repository: env.GIT_URL,
      commit: env.GIT_COMMIT,
      runUrl: env.BUILD_URL,
    }),
  },
  {
    detect: (env) => env.CI !== undefined && env.CI !== "" && env.CI.toLowerCase() !== "false",
    facts: () => ({ ci: "unknown" }),
  },
];

/**
 * Who ran the deploy and from where, from the variables the common CI systems set; on a
 * workstation the login name (USER/LOGNAME) with no CI, repository or commit.
 */
export function detectActor(env: Env = process.env): Actor {
  const loginName =
    present(env.USER) ?? present(env.LOGNAME) ?? present(env.USERNAME) ?? osUser() ?? "unknown";
  const system = CI_SYSTEMS.find((s) => s.detect(env));
  if (!system) return { user: loginName, ci: null, repository: null, commit: null };
  const facts = system.facts(env);
  const actor: Actor = {
    user: present(facts.user) ?? loginName,
    ci: facts.ci,
    repository: present(facts.repository) ?? null,
    commit: present(facts.commit) ?? null,
  };
  const runUrl = present(facts.runUrl);
  if (runUrl) actor.runUrl = runUrl;
  return actor;
}

/** The OS account running the process, when the environment names none (containers, CI shells). */
function osUser(): string | undefined {
  try {
    return present(userInfo().username);
  } catch {
    return undefined;
  }
}

function present(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

/** The parts concatenated, or undefined when any part is missing (no half-built URLs). */
function joinIfAll(...parts: Array<string | undefined>): string | undefined {
  return parts.every((p) => present(p) !== undefined) ? parts.join("") : undefined;
}
