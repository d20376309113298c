import { expect } from "vitest";
import type { CliResult } from "../../core/support/built-cli.js";

export { type CliResult, ensureBuilt, ROOT, runCli } from "../../core/support/built-cli.js";

export const PLANS = "tests/fixtures/plans";
export const SCALE = `${PLANS}/scale-endpoint-delete-dev.json`;
export const MIXED = `${PLANS}/mixed-changes.json`;
export const EXPORT_OLD = `${PLANS}/stack-export-old.json`;
export const EXPORT_NEW = `${PLANS}/stack-export-new.json`;

/** Bad input: exit code 2 and exactly one line on stderr, no stack trace, nothing on stdout. */
export function expectUsageError(result: CliResult, message: string | RegExp): void {
  expect(result.status, result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  const lines = result.stderr.trimEnd().split("\n");
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(message);
  expect(result.stderr).not.toMatch(/\n\s+at |internal error/);
}

/** Runs every named CLI invocation at once (each is a node start-up on a busy 2-core box). */
export async function runAll<K extends string>(
  runs: Record<K, string[]>,
  run: (args: string[]) => Promise<CliResult>,
) {
  const names = Object.keys(runs) as K[];
  const done = await Promise.all(names.map((name) => run(runs[name])));
  return Object.fromEntries(names.map((name, i) => [name, done[i]!])) as Record<K, CliResult>;
}
