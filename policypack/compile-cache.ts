import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import Module from "node:module";
import path from "node:path";
import vm from "node:vm";

/**
 * What became of the code cache on one load: `used` (V8 took it), `written` (there was none, or
 * it did not match this bundle, Node or V8 flags, so a new one was written), `unwritable` (a new
 * one could not be written; the bundle still loaded), `off` (not asked for).
 */
export type CompileCacheUse = "used" | "written" | "unwritable" | "off";

export interface LoadedBundle {
  exports: unknown;
  cache: CompileCacheUse;
}

/** Set to `off` to load the pack without its code cache. */
export const COMPILE_CACHE_ENV = "COMPUTEGUARD_COMPILE_CACHE";

const DIGEST_BYTES = 32;

function sha256(data: string | Buffer): Buffer {
  return createHash("sha256").update(data).digest();
}

/**
 * The cache written for a bundle, if it is intact and was written for this very source. V8 checks
 * its version and flags but knows a source only by its length, so a rebuilt bundle of the same
 * length would run the old code: the file starts with the source's digest and the payload's.
 */
function cachedDataFor(cacheFile: string, sourceDigest: Buffer): Buffer | undefined {
  let file: Buffer;
  try {
    file = readFileSync(cacheFile);
  } catch {
    return undefined;
  }
  if (file.length <= 2 * DIGEST_BYTES) return undefined;
  const payload = file.subarray(2 * DIGEST_BYTES);
  const fresh =
    file.subarray(0, DIGEST_BYTES).equals(sourceDigest) &&
    file.subarray(DIGEST_BYTES, 2 * DIGEST_BYTES).equals(sha256(payload));
  return fresh ? payload : undefined;
}

/** Written whole or not at all: a pack starting meanwhile reads the old file or the new one. */
function writeCache(cacheFile: string, sourceDigest: Buffer, payload: Buffer): boolean {
  const temporary = `${cacheFile}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(cacheFile), { recursive: true });
    writeFileSync(temporary, Buffer.concat([sourceDigest, sha256(payload), payload]));
    renameSync(temporary, cacheFile);
    return true;
  } catch {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // Nothing was written where nothing can be.
    }
    return false;
  }
}

/**
 * Loads a CommonJS bundle as `require` would, compiled from V8's code cache in `cacheDir` when one
 * matches. The cache is kept per Node version and architecture, and written after the bundle ran,
 * so it holds the functions a load compiled as well as the top level.
 */
export function loadBundle(file: string, cacheDir: string | undefined): LoadedBundle {
  const source = readFileSync(file, "utf8");
  const sourceDigest = cacheDir ? sha256(source) : undefined;
  const cacheFile = cacheDir && path.join(cacheDir, `${process.version}-${process.arch}.bin`);
  const cachedData = cacheFile && sourceDigest ? cachedDataFor(cacheFile, sourceDigest) : undefined;
  const script = new vm.Script(Module.wrap(source), {
    filename: file,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  const dir = path.dirname(file);
  const module = new Module(file);
  module.filename = file;
  module.paths = (Module as unknown as { _nodeModulePaths(dir: string): string[] })._nodeModulePaths(dir);
  script.runInThisContext()(module.exports, Module.createRequire(file), module, file, dir);
  module.loaded = true;
  let cache: CompileCacheUse = "off";
  if (cacheFile && sourceDigest) {
    if (cachedData && !script.cachedDataRejected) cache = "used";
    else cache = writeCache(cacheFile, sourceDigest, script.createCachedData()) ? "written" : "unwritable";
  }
  return { exports: module.exports, cache };
}

/**
 * The policy pack in `packDir` (its bundle, dist/pack.cjs), with its code cache next to it in
 * dist/.compile-cache: V8 then compiles the bundle from the cache instead of from source at every
 * start. Kept beside the code it caches, the cache is writable by exactly who can change the code.
 */
export function loadPack(packDir: string, env: NodeJS.ProcessEnv = process.env): LoadedBundle {
  const dist = path.join(packDir, "dist");
  const cacheDir = env[COMPILE_CACHE_ENV] === "off" ? undefined : path.join(dist, ".compile-cache");
  return loadBundle(path.join(dist, "pack.cjs"), cacheDir);
}
