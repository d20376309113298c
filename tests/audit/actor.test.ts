import { userInfo } from "node:os";
import { describe, expect, it } from "vitest";
import { detectActor } from "../../src/audit/index.js";

describe("detectActor", () => {
  it("GitHub Actions, with the run URL", () => {
    expect(
      detectActor({
        GITHUB_ACTIONS: "true",
        GITHUB_ACTOR: "octocat",
        GITHUB_REPOSITORY: "acme/infra",
        GITHUB_SHA: "9f2c",
        GITHUB_SERVER_URL: "https://github.com",
        GITHUB_RUN_ID: "123",
        USER: "runner",
      }),
    ).toEqual({
      user: "octocat",
      ci: "github-actions",
      repository: "acme/infra",
      commit: "9f2c",
      runUrl: "https://github.com/acme/infra/actions/runs/123",
    });
  });

  it("leaves out a run URL it cannot build whole", () => {
    const actor = detectActor({
      GITHUB_ACTIONS: "true",
      GITHUB_ACTOR: "octocat",
      GITHUB_REPOSITORY: "acme/infra",
    });
    expect(actor).toEqual({ user: "octocat", ci: "github-actions", repository: "acme/infra", commit: null });
  });

  it.each([
    [
      "GitLab",
      {
        GITLAB_CI: "true",
        GITLAB_USER_LOGIN: "gl-user",
        CI_PROJECT_PATH: "acme/infra",
        CI_COMMIT_SHA: "c1",
        CI_JOB_URL: "https://gitlab.com/acme/infra/-/jobs/9",
      },
      {
        user: "gl-user",
        ci: "gitlab",
        repository: "acme/infra",
        commit: "c1",
        runUrl: "https://gitlab.com/acme/infra/-/jobs/9",
      },
    ],
    [
      "CircleCI",
      {
        CIRCLECI: "true",
        CIRCLE_USERNAME: "cc-user",
        CIRCLE_PROJECT_USERNAME: "acme",
        CIRCLE_PROJECT_REPONAME: "infra",
        CIRCLE_SHA1: "c2",
        CIRCLE_BUILD_URL: "https://circleci.com/gh/acme/infra/7",
      },
      {
        user: "cc-user",
        ci: "circleci",
        repository: "acme/infra",
        commit: "c2",
        runUrl: "https://circleci.com/gh/acme/infra/7",
      },
    ],
    [
      "Buildkite",
      {
        BUILDKITE: "true",
        BUILDKITE_BUILD_CREATOR: "Ada",
        BUILDKITE_REPO: "git@github.com:acme/infra.git",
        BUILDKITE_COMMIT: "c3",
        BUILDKITE_BUILD_URL: "https://buildkite.com/acme/infra/builds/5",
      },
      {
        user: "Ada",
        ci: "buildkite",
        repository: "git@github.com:acme/infra.git",
        commit: "c3",
        runUrl: "https://buildkite.com/acme/infra/builds/5",
      },
    ],
    [
      "Jenkins",
      {
        JENKINS_URL: "https://ci.acme.test/",
        BUILD_USER_ID: "jdoe",
        GIT_URL: "https://git.acme.test/infra.git",
        GIT_COMMIT: "c4",
        BUILD_URL: "https://ci.acme.test/job/infra/12/",
      },
      {
        user: "jdoe",
        ci: "jenkins",
        repository: "https://git.acme.test/infra.git",
        commit: "c4",
        runUrl: "https://ci.acme.test/job/infra/12/",
      },
    ],
    [
      "Azure Pipelines",
      {
        TF_BUILD: "True",
        BUILD_REQUESTEDFOREMAIL: "az@acme.test",
        BUILD_REPOSITORY_NAME: "infra",
        BUILD_SOURCEVERSION: "c5",
        SYSTEM_COLLECTIONURI: "https://dev.azure.com/acme/",
        SYSTEM_TEAMPROJECT: "Platform",
        BUILD_BUILDID: "77",
      },
      {
        user: "az@acme.test",
        ci: "azure-pipelines",
        repository: "infra",
        commit: "c5",
        runUrl: "https://dev.azure.com/acme/Platform/_build/results?buildId=77",
      },
    ],
    [
      "Bitbucket",
      {
        CI: "true",
        BITBUCKET_BUILD_NUMBER: "31",
        BITBUCKET_STEP_TRIGGERER_UUID: "{a-b-c}",
        BITBUCKET_REPO_FULL_NAME: "acme/infra",
        BITBUCKET_COMMIT: "c6",
        BITBUCKET_GIT_HTTP_ORIGIN: "http://bitbucket.org/acme/infra",
      },
      {
        user: "{a-b-c}",
        ci: "bitbucket",
        repository: "acme/infra",
        commit: "c6",
        runUrl: "http://bitbucket.org/acme/infra/pipelines/results/31",
      },
    ],
  ])("%s", (_name, env, expected) => {
    expect(detectActor(env)).toEqual(expected);
  });

  it("falls back to the login name when the CI does not say who", () => {
    expect(detectActor({ JENKINS_URL: "https://ci/", USER: "jenkins" })).toMatchObject({
      user: "jenkins",
      ci: "jenkins",
    });
    expect(detectActor({ CI: "1", LOGNAME: "builder" })).toEqual({
      user: "builder",
      ci: "unknown",
      repository: null,
      commit: null,
    });
  });

  it("a workstation: USER, then LOGNAME, with no CI", () => {
    expect(detectActor({ USER: "alice", LOGNAME: "other" })).toEqual({
      user: "alice",
      ci: null,
      repository: null,
      commit: null,
    });
    expect(detectActor({ LOGNAME: "bob", CI: "false" })).toMatchObject({ user: "bob", ci: null });
    // No login name in the environment: the OS account running the process.
    expect(detectActor({})).toMatchObject({ user: userInfo().username, ci: null });
  });
});
