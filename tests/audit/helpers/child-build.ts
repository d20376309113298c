import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { buildSync } from "esbuild";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * Child processes run plain Node 20, which cannot load TypeScript and must not depend on a stale
 * dist/. So the test bundles the modules it needs, with their npm dependencies, into a temp
 * directory (esbuild, as the pack is built; shared code in chunks, so each module loads once).
 * The directory holds all the child needs: a user who cannot read the checkout (the permission
 * test's unprivileged writer) can still run it. No type check: `npx tsc --noEmit` covers types.
 */
export function buildForChildren(entries: readonly string[]): {
  urlOf: (entry: string) => string;
  dispose: () => void;
} {
  const outDir = mkdtempSync(join(tmpdir(), "computeguard-audit-build-"));
  buildSync({
    absWorkingDir: REPO_ROOT,
    entryPoints: entries.map((entry) => ({ in: entry, out: entry.replace(/\.ts$/, "") })),
    outdir: outDir,
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    // pg's optional native binding, never used.
    external: ["pg-native"],
    // Bundled CommonJS packages require node's built-ins; an ES module has no `require` of its own.
    banner: {
      js: 'import { createRequire as __cgCreateRequire } from "node:module"; const require = __cgCreateRequire(import.meta.url);',
    },
    logLevel: "warning",
  });
  return {
    urlOf: (entry) => pathToFileURL(join(outDir, entry.replace(/\.ts$/, ".js"))).href,
    dispose: () => rmSync(outDir, { recursive: true, force: true }),
  };
}
