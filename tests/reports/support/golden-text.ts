import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "vitest";

export const GOLDEN_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../golden/reports");

/** `UPDATE_GOLDEN=1 npx vitest run tests/reports` rewrites the goldens; read every diff before keeping it. */
const updating = process.env.UPDATE_GOLDEN === "1";

/** Compares a report with its golden file byte for byte (JSON goldens are compared as text too). */
export function expectGoldenText(file: string, actual: string): void {
  const golden = path.join(GOLDEN_DIR, file);
  if (updating) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(golden, actual);
    return;
  }
  if (!existsSync(golden))
    throw new Error(`golden ${golden} is missing: run with UPDATE_GOLDEN=1 and review it`);
  expect(actual).toBe(readFileSync(golden, "utf8"));
}
