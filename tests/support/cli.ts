/**
 * The one way tests run the CLI: the built CLI (dist/, rebuilt when stale) through its
 * `run(argv, io)`, in this process with buffers for stdout and stderr, or as a child process
 * (`node bin/computeguard.js`) when a run needs one: `check` (it runs a Pulumi program, changes
 * directory and may end the process), node flags or NODE_OPTIONS, or a real pipe. Either way the
 * result is the exit code and what was written. Nothing is cached outside the checkout.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { expect } from "vitest";
import type { CliIo } from "../../cli/main.js";
import { ensureBuilt, ROOT } from "./built.js";

export { ensureBuilt, ROOT };

export interface CliResult {
  /** The exit code (null only when a child process was killed by a signal). */
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** On top of the clean environment (see cliEnv); `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** The directory the CLI runs in (default: the checkout). */
  cwd?: string;
  /** stdout and stderr are terminals (in-process runs only). */
  tty?: boolean;
  /** Run as a child process even when the run could stay in this one. */
  spawn?: boolean;
  /** Flags for node itself (a child process). */
  nodeArgs?: string[];
}

export const BIN = path.join(ROOT, "bin/computeguard.js");

/**
 * What every run starts from: this process's environment without the settings that change what the
 * CLI prints (region, computeguard's and Pulumi's settings, colour), and a catalog age limit that
 * today's date cannot trip (the age check has its own tests).
 */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) =>
        !/^(AWS_REGION|AWS_DEFAULT_REGION|COMPUTEGUARD_.*|PULUMI_.*|NO_COLOR|FORCE_COLOR)$/.test(key),
    ),
  );
  env.COMPUTEGUARD_MAX_CATALOG_AGE_DAYS = "36500";
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  return env;
}

type Run = (argv: readonly string[], io: CliIo) => Promise<number>;
let built: Promise<Run> | undefined;

/** dist/cli/main.js's run, built first when dist/ is stale. */
function builtRun(): Promise<Run> {
  built ??= (async () => {
    ensureBuilt();
    const main = (await import(pathToFileURL(path.join(ROOT, "dist/cli/main.js")).href)) as { run: Run };
    return main.run;
  })();
  return built;
}

/** Runs `computeguard ...args`. */
export async function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const env = cliEnv(options.env);
  const cwd = options.cwd ?? ROOT;
  const needsProcess =
    options.spawn === true ||
    options.nodeArgs !== undefined ||
    args[0] === "check" ||
    "NODE_OPTIONS" in (options.env ?? {});
  if (needsProcess) return spawnCli(args, env, cwd, options.nodeArgs ?? []);
  const run = await builtRun();
  let stdout = "";
  let stderr = "";
  const isTTY = options.tty === true;
  const code = await run(args, {
    stdout: { write: (text: string) => (stdout += text), isTTY },
    stderr: { write: (text: string) => (stderr += text), isTTY },
    env,
    cwd,
  });
  return { code, stdout, stderr };
}

function spawnCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  nodeArgs: string[],
): Promise<CliResult> {
  ensureBuilt();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
      cwd,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs every named invocation at once (a child process each costs a node start-up). */
export async function runAll<K extends string>(
  runs: Record<K, readonly string[]>,
  options: CliOptions = {},
): Promise<Record<K, CliResult>> {
  const names = Object.keys(runs) as K[];
  const done = await Promise.all(names.map((name) => runCli(runs[name], options)));
  return Object.fromEntries(names.map((name, i) => [name, done[i]!])) as Record<K, CliResult>;
}

/** A failure: exactly one line on stderr (matching message), nothing on stdout, no stack trace. */
export function expectOneLineError(result: CliResult, code: number, message: string | RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  if (typeof message === "string") expect(lines[0]).toBe(message);
  else expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error|node:internal/);
}

/** Bad input: exit 2 and one line. */
export function expectUsageError(result: CliResult, message: string | RegExp): void {
  expectOneLineError(result, 2, message);
}
