/**
 * Runs the real CLI in a child process, from the checkout's own dist/ (built on demand by the
 * shared freshness check): no cache outside the checkout that another checkout could delete.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { expect } from "vitest";
import { ensureBuilt, ROOT } from "../../support/built.js";

export const REPO = ROOT;
export const FIXTURES = join(REPO, "tests/fixtures/prices");

export interface BuiltCli {
  main: string;
}

export function buildCli(): BuiltCli {
  ensureBuilt();
  return { main: join(REPO, "bin/computeguard.js") };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  cli: BuiltCli,
  args: string[],
  options: { nodeArgs?: string[]; env?: NodeJS.ProcessEnv } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...(options.nodeArgs ?? []), cli.main, ...args], {
      cwd: REPO,
      env: { ...process.env, ...options.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** A failed run must print exactly one line on stderr, nothing on stdout, and exit 2. */
export function expectOneLineFailure(result: CliResult, message: string | RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines).toHaveLength(1);
  if (typeof message === "string") expect(lines[0]).toBe(message);
  else expect(lines[0]).toMatch(message);
}
