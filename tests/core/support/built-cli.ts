import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT } from "../../support/built.js";

export { ensureBuilt, ROOT, staleReason } from "../../support/built.js";

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/computeguard.js ...` from the repo root, with no AWS region in the environment.
 * Asynchronous so a test file can start all its runs at once: each costs a node start-up.
 */
export function runCli(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  const { AWS_REGION: _region, AWS_DEFAULT_REGION: _defaultRegion, ...inherited } = process.env;
  // The catalog's age is checked on its own (tests/core/cli.test.ts); elsewhere it would make
  // stderr depend on today's date.
  const env = { ...inherited, COMPUTEGUARD_MAX_CATALOG_AGE_DAYS: "36500", ...extraEnv };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bin/computeguard.js"), ...args], {
      cwd: ROOT,
      env,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
