import { readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, ROOT, runCli } from "../support/cli.js";

const VERSION = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string })
  .version;

beforeAll(ensureBuilt, 120_000);

describe("computeguard --version", () => {
  it("prints package.json's version, exit 0, from the installed command and from run()", async () => {
    const spawned = await runCli(["--version"], { spawn: true });
    expect(spawned).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
    expect(await runCli(["-V"])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
  });
});

describe("run(argv, io)", () => {
  it("reads the environment it is given, not the process's", async () => {
    const args = [
      "estimate",
      "--stack-export",
      "tests/fixtures/core/regions-stack-export.json",
      "--format",
      "json",
    ];
    const west = await runCli(args, { env: { AWS_REGION: "eu-west-1" } });
    const none = await runCli(args);
    expect(west.code, west.stderr).toBe(0);
    expect(none.code, none.stderr).toBe(0);
    expect(west.stdout).toContain("environment AWS_REGION");
    expect(none.stdout).not.toContain("environment AWS_REGION");
  });

  it("reads relative paths from its cwd and names them as given", async () => {
    const inExamples = await runCli(
      ["estimate", "--stack-export", "two-p5-stack-export.json", "--format", "json"],
      {
        cwd: path.join(ROOT, "examples"),
      },
    );
    expect(inExamples.code, inExamples.stderr).toBe(0);
    expect(JSON.parse(inExamples.stdout).totals.monthlyBaseline).toBe("80358.40");
    const missing = await runCli(["estimate", "--stack-export", "two-p5-stack-export.json"]);
    expect(missing).toEqual({
      code: 2,
      stdout: "",
      stderr: "computeguard: cannot read stack export two-p5-stack-export.json: no such file\n",
    });
  });

  it("documents the exit codes in --help", async () => {
    const help = await runCli(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(
      /Exit codes:\n\s+0\s+passed\n\s+1\s+blocked.*\n\s+2\s+bad input.*\n\s+3\s+could not evaluate/,
    );
  });
});
