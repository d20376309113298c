import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, whether this runs compiled (dist/bench) or as TypeScript (bench, tests). */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = path.join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "computeguard"
    )
      return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error("cannot find the computeguard repository root above the benchmark");
    dir = up;
  }
}

export const ROOT = findRoot();
export const PACK_DIR = path.join(ROOT, "policypack");
export const NOOP_PACK_DIR = path.join(ROOT, "tests/fixtures/noop-pack");
export const CLI = path.join(ROOT, "bin/computeguard.js");
/** Child entry points, compiled next to this file. */
export const BENCH_DIST = path.join(ROOT, "dist/bench");
