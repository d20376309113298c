import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** What the spawned CLI, the pack and the example program load from dist/ (tsc compiles these). */
const COMPILED_DIRS = ["src", "cli", "policypack", "components"];
const CATALOG_DATA = path.join(ROOT, "src/catalog/data");
/** The self-contained policy pack (scripts/bundle-pack.mjs bundles policypack/pack.ts and the core). */
export const PACK_BUNDLE = path.join(ROOT, "policypack/dist/pack.cjs");
/** What the bundle is made of: the pack's sources and the core under it. */
const BUNDLED_DIRS = ["src", "policypack"];

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : typeScriptFiles(full);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") ? [full] : [];
  });
}

/**
 * Why dist/ does not match the sources (a missing or older compiled file, changed catalog data), or
 * undefined. Every compiled source counts, not only what one entry point imports statically: the
 * CLI loads its commands and `check` loads its runner dynamically.
 */
export function staleReason(): string | undefined {
  for (const file of COMPILED_DIRS.flatMap((d) => typeScriptFiles(path.join(ROOT, d)))) {
    const compiled = path.join(ROOT, "dist", path.relative(ROOT, file).replace(/\.ts$/, ".js"));
    if (!existsSync(compiled)) return `${compiled} is missing`;
    if (statSync(compiled).mtimeMs < statSync(file).mtimeMs) return `${compiled} is older than its source`;
  }
  if (!existsSync(PACK_BUNDLE)) return `${PACK_BUNDLE} is missing`;
  const bundled = statSync(PACK_BUNDLE).mtimeMs;
  for (const file of BUNDLED_DIRS.flatMap((d) => typeScriptFiles(path.join(ROOT, d)))) {
    if (statSync(file).mtimeMs > bundled) return `${PACK_BUNDLE} is older than ${file}`;
  }
  for (const name of readdirSync(CATALOG_DATA)) {
    const copied = path.join(ROOT, "dist/src/catalog/data", name);
    if (
      !existsSync(copied) ||
      readFileSync(copied, "utf8") !== readFileSync(path.join(CATALOG_DATA, name), "utf8")
    ) {
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
  const bundle = spawnSync(process.execPath, ["scripts/bundle-pack.mjs"], { cwd: ROOT, encoding: "utf8" });
  return `${tsc.stdout}${tsc.stderr}${bundle.stdout}${bundle.stderr}`;
}

/**
 * Builds dist/ the way `npm run build` does when it is missing or stale. tsc's exit code is not
 * trusted (code being edited elsewhere may not type-check yet, and tsc still emits); whether dist/
 * is fresh afterwards is. A second try covers a source saved while the first build ran.
 */
export function ensureBuilt(): void {
  for (let attempt = 0; attempt < 2 && staleReason() !== undefined; attempt++) {
    const output = build();
    const still = staleReason();
    if (still && attempt === 1) throw new Error(`build did not refresh dist/: ${still}\n${output}`);
  }
}
