import { spawn } from "node:child_process";
import path from "node:path";
import { expect } from "vitest";
import { ensureBuilt, ROOT } from "../../core/support/built-cli.js";

/** dist/ as `check` loads it: the CLI, its dynamically imported runner and the component library. */
export const ensureCheckBuilt = ensureBuilt;

export interface CheckResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** One line on stderr with this exit code, no stack trace, nothing on stdout. */
export function expectOneLineError(result: CheckResult, status: number, message: string | RegExp): void {
  expect(result.status, result.stderr).toBe(status);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error|node:internal/);
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

/** A registration as check records it (see RegisteredResource in src/report/check-report.ts). */
export interface Registration {
  urn: string;
  type: string;
  name: string;
  parent?: string;
  props: Record<string, unknown>;
  propertyDependencies: Record<string, string[]>;
}

export interface Registrations {
  resources: Registration[];
  unexpanded: Array<{ urn: string; type: string; name: string; computeFree?: string }>;
}

/** What a program registers when check runs it (tests/check/support/registrations.ts). */
export function registrationsOf(programDir: string, stack?: string): Promise<Registrations> {
  return new Promise((resolve, reject) => {
    const script = path.join(ROOT, "tests/check/support/registrations.ts");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", script, programDir, ...(stack ? [stack] : [])],
      {
        cwd: ROOT,
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => {
      if (status === 0) resolve(JSON.parse(stdout) as Registrations);
      else reject(new Error(`registrations of ${programDir} exited ${status}: ${stderr}`));
    });
  });
}

/** Runs each named job, a few at a time (each spawns a Node process loading the Pulumi SDK on a shared machine). */
export async function runEach<K extends string, T>(
  names: readonly K[],
  job: (name: K) => Promise<T>,
  concurrency = 4,
): Promise<Record<K, T>> {
  const results = {} as Record<K, T>;
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) results[name] = await job(name);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
