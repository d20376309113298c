import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/**
 * Child processes run plain Node 20, which cannot load TypeScript and must not depend on a stale
 * dist/. So the test transpiles the modules it needs (and everything they import relatively) into
 * a temp directory, with node_modules linked so bare imports (zod, proper-lockfile) resolve.
 * Transpile only, no type check: `npx tsc --noEmit` covers types.
 */
export function buildForChildren(entries: readonly string[]): {
  urlOf: (entry: string) => string;
  dispose: () => void;
} {
  const outDir = mkdtempSync(join(tmpdir(), "computeguard-audit-build-"));
  symlinkSync(join(REPO_ROOT, "node_modules"), join(outDir, "node_modules"), "dir");
  const pending = entries.map((e) => resolve(REPO_ROOT, e));
  const done = new Set<string>();
  while (pending.length > 0) {
    const source = pending.pop()!;
    if (done.has(source)) continue;
    done.add(source);
    const text = readFileSync(source, "utf8");
    for (const match of text.matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)\.js"/g)) {
      pending.push(resolve(dirname(source), `${match[1]}.ts`));
    }
    const output = ts.transpileModule(text, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      fileName: source,
    }).outputText;
    const target = join(outDir, relative(REPO_ROOT, source)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output);
  }
  return {
    urlOf: (entry) => pathToFileURL(join(outDir, entry.replace(/\.ts$/, ".js"))).href,
    dispose: () => rmSync(outDir, { recursive: true, force: true }),
  };
}
