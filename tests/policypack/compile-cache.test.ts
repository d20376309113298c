import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { COMPILE_CACHE_ENV, loadBundle, loadPack } from "../../policypack/compile-cache.js";

let dir: string;
let bundle: string;
let cacheDir: string;

/** A CommonJS bundle with enough code for V8 to cache, that requires a file next to it. */
const source = (answer: number) => `
const helper = require("./helper.cjs");
function work(n) { let total = 0; for (let i = 0; i < n; i++) total += helper.twice(i); return total; }
module.exports = { answer: ${answer}, work: work(10), file: __filename, dir: __dirname, self: module.id };
`;

const cacheFile = () => path.join(cacheDir, `${process.version}-${process.arch}.bin`);

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "cg-compile-cache-"));
  bundle = path.join(dir, "pack.cjs");
  cacheDir = path.join(dir, ".compile-cache");
  writeFileSync(path.join(dir, "helper.cjs"), "exports.twice = (n) => 2 * n;");
  writeFileSync(bundle, source(41));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("loading the pack's bundle through V8's code cache", () => {
  it("writes the cache on the first load and compiles from it on the next, with the same module", () => {
    const first = loadBundle(bundle, cacheDir);
    expect(first.cache).toBe("written");
    expect(first.exports).toEqual({ answer: 41, work: 90, file: bundle, dir, self: bundle });
    expect(readdirSync(cacheDir)).toEqual([path.basename(cacheFile())]);

    const second = loadBundle(bundle, cacheDir);
    expect(second.cache).toBe("used");
    expect(second.exports).toEqual(first.exports);
  });

  it("never runs a cache written for other code of the same length (V8 knows a source only by its length)", () => {
    loadBundle(bundle, cacheDir);
    writeFileSync(bundle, source(42));
    const rebuilt = loadBundle(bundle, cacheDir);
    expect(rebuilt.cache).toBe("written");
    expect((rebuilt.exports as { answer: number }).answer).toBe(42);
    expect(loadBundle(bundle, cacheDir).cache).toBe("used");
  });

  it("refuses a damaged or cut short cache file, loads from source and writes it anew", () => {
    loadBundle(bundle, cacheDir);
    const intact = readFileSync(cacheFile());
    const damaged = Buffer.from(intact);
    damaged[damaged.length - 10]! ^= 0xff;
    for (const bad of [
      damaged,
      intact.subarray(0, intact.length - 1),
      intact.subarray(0, 64),
      Buffer.alloc(0),
    ]) {
      writeFileSync(cacheFile(), bad);
      const loaded = loadBundle(bundle, cacheDir);
      expect(loaded.cache).toBe("written");
      expect((loaded.exports as { answer: number }).answer).toBe(41);
      expect(readFileSync(cacheFile()).length).toBeGreaterThan(64);
    }
  });

  it("still loads where no cache can be written, and leaves no temporary file", () => {
    // A regular file where the cache directory would be: mkdir fails whoever runs the test.
    writeFileSync(cacheDir, "not a directory");
    const loaded = loadBundle(bundle, cacheDir);
    expect(loaded.cache).toBe("unwritable");
    expect((loaded.exports as { answer: number }).answer).toBe(41);
    expect(readdirSync(dir).sort()).toEqual([".compile-cache", "helper.cjs", "pack.cjs"]);
  });

  it("loads a pack directory's dist/pack.cjs, and without a cache when told so", () => {
    const packDir = path.join(dir, "pack");
    mkdirSync(path.join(packDir, "dist"), { recursive: true });
    writeFileSync(path.join(packDir, "dist/helper.cjs"), "exports.twice = (n) => 2 * n;");
    writeFileSync(path.join(packDir, "dist/pack.cjs"), source(7));

    const off = loadPack(packDir, { [COMPILE_CACHE_ENV]: "off" });
    expect(off.cache).toBe("off");
    expect((off.exports as { answer: number }).answer).toBe(7);
    expect(readdirSync(path.join(packDir, "dist")).sort()).toEqual(["helper.cjs", "pack.cjs"]);

    expect(loadPack(packDir, {}).cache).toBe("written");
    expect(readdirSync(path.join(packDir, "dist/.compile-cache"))).toHaveLength(1);
    expect(loadPack(packDir, {}).cache).toBe("used");
  });
});
