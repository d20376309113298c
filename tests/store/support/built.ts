import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const ENTRIES = ["policypack/pack.ts", "src/cli/main.ts"].map((f) => path.join(ROOT, f));
const RELATIVE_IMPORT = /(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)\.js"/g;

/** The sources the pack and the CLI load, transitively. */
function sources(): string[] {
  const seen = new Set<string>();
  const pending = [...ENTRIES];
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

function staleReason(): string | undefined {
  for (const file of sources()) {
    const compiled = path.join(ROOT, "dist", path.relative(ROOT, file).replace(/\.ts$/, ".js"));
    if (!existsSync(compiled)) return `${compiled} is missing`;
    if (statSync(compiled).mtimeMs < statSync(file).mtimeMs) return `${compiled} is older than its source`;
  }
  return undefined;
}

/**
 * The pack runs compiled JS from dist/, like a user's after `npm run build`: rebuild when any of
 * its sources is newer. tsc's exit code is not trusted (code others are editing may not type-check
 * yet, and tsc still emits ours); whether dist/ is fresh afterwards is.
 */
export function ensurePackBuilt(): void {
  for (let attempt = 0; attempt < 2 && staleReason() !== undefined; attempt++) {
    const tsc = spawnSync(
      process.execPath,
      [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", ROOT],
      {
        cwd: ROOT,
        encoding: "utf8",
      },
    );
    spawnSync(process.execPath, ["scripts/copy-assets.mjs"], { cwd: ROOT });
    const still = staleReason();
    if (still && attempt === 1)
      throw new Error(`build did not refresh dist/: ${still}\n${tsc.stdout}${tsc.stderr}`);
  }
}
