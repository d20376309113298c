import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const SRC = path.join(ROOT, "src");
const DIST_SRC = path.join(ROOT, "dist/src");

const CLI_ENTRY = path.join(SRC, "cli/main.ts");
const RELATIVE_IMPORT = /(?:from|import)\s+"(\.{1,2}\/[^"]+)\.js"/g;

/** The source files the CLI loads: main.ts and everything it imports, transitively. */
function cliSources(): string[] {
  const seen = new Set<string>();
  const pending = [CLI_ENTRY];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    for (const m of readFileSync(file, "utf8").matchAll(RELATIVE_IMPORT)) {
      pending.push(path.resolve(path.dirname(file), `${m[1]}.ts`));
    }
  }
  return [...seen];
}

/** Why dist/ does not match what the CLI runs (a missing or older compiled file, changed data), or undefined. */
export function staleReason(): string | undefined {
  for (const file of cliSources()) {
    const compiled = path.join(DIST_SRC, path.relative(SRC, file).replace(/\.ts$/, ".js"));
    if (!existsSync(compiled)) return `${compiled} is missing`;
    if (statSync(compiled).mtimeMs < statSync(file).mtimeMs) return `${compiled} is older than its source`;
  }
  for (const name of readdirSync(path.join(SRC, "catalog/data"))) {
    const source = path.join(SRC, "catalog/data", name);
    const copied = path.join(DIST_SRC, "catalog/data", name);
    if (!existsSync(copied) || readFileSync(copied, "utf8") !== readFileSync(source, "utf8")) {
      return `${copied} does not match its source`;
    }
  }
  return undefined;
}

function build(): string {
  const tsc = spawnSync(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", ROOT], {
    cwd: ROOT,
    encoding: "utf8",
  });
  spawnSync(process.execPath, ["scripts/copy-assets.mjs"], { cwd: ROOT, encoding: "utf8" });
  return `${tsc.stdout}${tsc.stderr}`;
}

/**
 * Builds dist/ the way `npm run build` does when it is missing or stale. tsc's exit code is not
 * trusted: code other people are editing may not type-check yet, and tsc still emits ours.
 */
export function ensureBuilt(): void {
  // A second try covers a source saved by someone else while the first build ran.
  for (let attempt = 0; attempt < 2 && staleReason() !== undefined; attempt++) {
    const output = build();
    const still = staleReason();
    if (still && attempt === 1) throw new Error(`build did not refresh dist/: ${still}\n${output}`);
  }
}

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
