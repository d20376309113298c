import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export const GOLDEN_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../golden/core");

/** `UPDATE_GOLDEN=1 npx vitest run tests/core` rewrites the goldens; read every diff before keeping it. */
const updating = process.env.UPDATE_GOLDEN === "1";

export function expectGolden(name: string, actual: unknown): void {
  const file = path.join(GOLDEN_DIR, `${name}.json`);
  // Round-trip so the comparison sees exactly what the file holds (no undefined, no class instances).
  const json = JSON.parse(JSON.stringify(actual)) as unknown;
  if (updating) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
    return;
  }
  if (!existsSync(file)) throw new Error(`golden ${file} is missing: run with UPDATE_GOLDEN=1 and review it`);
  expect(json).toEqual(JSON.parse(readFileSync(file, "utf8")));
}
