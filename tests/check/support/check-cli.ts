import { spawn } from "node:child_process";
import path from "node:path";
import { ensureBuilt, ROOT } from "../../core/support/built-cli.js";

/** dist/ as `check` loads it: the CLI, its dynamically imported runner and the component library. */
export const ensureCheckBuilt = ensureBuilt;

export interface CheckResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/computeguard.js check ...` from the repo root with no AWS region, price sheet or
 * audit settings inherited, and `env` on top (each run its own audit log).
 */
export function runCheckCli(args: string[], env: Record<string, string> = {}): Promise<CheckResult> {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^(AWS_REGION|AWS_DEFAULT_REGION|COMPUTEGUARD_.*|PULUMI_.*)$/.test(key),
    ),
  );
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "bin/computeguard.js"), "check", ...args], {
      cwd: ROOT,
      env: { ...inherited, ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}
