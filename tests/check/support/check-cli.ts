import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ensureBuilt, ROOT } from "../../core/support/built-cli.js";

const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)\.js"/g;

/** TypeScript files under a directory, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith(".ts") ? [full] : [];
  });
}

/** The components (the runner and the library the example loads) and everything they import, transitively. */
function loadedSources(): string[] {
  const seen = new Set<string>();
  const pending = sources(path.join(ROOT, "components"));
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

/**
 * Why dist/ is older than what `check` loads: the CLI's own staleness check follows static imports
 * from main.ts, but the runner is imported dynamically and the example program loads the component
 * library, which reaches into src/.
 */
function componentsStale(): string | undefined {
  for (const file of loadedSources()) {
    const compiled = path.join(ROOT, "dist", path.relative(ROOT, file).replace(/\.ts$/, ".js"));
    if (!existsSync(compiled)) return `${compiled} is missing`;
    if (statSync(compiled).mtimeMs < statSync(file).mtimeMs) return `${compiled} is older than its source`;
  }
  return undefined;
}

/** Builds dist/ when the CLI or the components are stale; tsc's exit code is not trusted (see ensureBuilt). */
export function ensureCheckBuilt(): void {
  ensureBuilt();
  for (let attempt = 0; attempt < 2 && componentsStale() !== undefined; attempt++) {
    const tsc = spawnSync(
      process.execPath,
      [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", ROOT],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
    const still = componentsStale();
    if (still && attempt === 1)
      throw new Error(`build did not refresh dist/: ${still}\n${tsc.stdout}${tsc.stderr}`);
  }
}

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
