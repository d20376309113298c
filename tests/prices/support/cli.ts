/**
 * Runs the real CLI in a child process. src/ is transpiled (no type check) into a temp dir
 * keyed by a hash of its sources, shared by the test files of a run, so these tests neither
 * need nor touch dist/, which other work may be rebuilding.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import type * as TypeScript from "typescript";
import { expect } from "vitest";

export const REPO = fileURLToPath(new URL("../../..", import.meta.url));
export const FIXTURES = join(REPO, "tests/fixtures/prices");

export interface BuiltCli {
  main: string;
}

const CACHE = join(tmpdir(), "computeguard-test-cli");
const HOUR_MS = 3_600_000;

export function buildCli(): BuiltCli {
  const src = join(REPO, "src");
  const files = [...walk(src)].sort();
  const hash = createHash("sha256");
  for (const file of files) hash.update(`${relative(src, file)}\0`).update(readFileSync(file));
  const dir = join(CACHE, hash.digest("hex").slice(0, 16));
  if (!existsSync(join(dir, "ready"))) {
    mkdirSync(CACHE, { recursive: true });
    const staging = mkdtempSync(join(CACHE, "staging-"));
    transpile(src, files, staging);
    writeFileSync(join(staging, "ready"), "");
    try {
      renameSync(staging, dir);
    } catch {
      rmSync(staging, { recursive: true, force: true }); // another test file built it first
    }
    pruneStale(dir);
  }
  return { main: join(dir, "src/cli/main.js") };
}

function transpile(src: string, files: string[], out: string): void {
  const ts = createRequire(import.meta.url)("typescript") as typeof TypeScript;
  for (const file of files) {
    if (!file.endsWith(".ts")) continue;
    const { outputText } = ts.transpileModule(readFileSync(file, "utf8"), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
    });
    const target = join(out, "src", relative(src, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  cpSync(join(src, "catalog/data"), join(out, "src/catalog/data"), { recursive: true });
  writeFileSync(join(out, "package.json"), '{ "type": "module" }\n');
  symlinkSync(join(REPO, "node_modules"), join(out, "node_modules"), "dir");
}

/** Builds of older sources, untouched for an hour, are no longer used by any run. */
function pruneStale(keep: string): void {
  for (const name of readdirSync(CACHE)) {
    const path = join(CACHE, name);
    try {
      if (path !== keep && Date.now() - statSync(path).mtimeMs > HOUR_MS)
        rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by a concurrent run.
    }
  }
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
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
