import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { UsageError } from "./errors.js";

/** Reads and parses a JSON file (relative to cwd); any failure names the file, as given, and what is wrong. */
export function readJsonFile(path: string, what: string, cwd = process.cwd()): unknown {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UsageError(
      `cannot read ${what} ${path}: ${code === "ENOENT" ? "no such file" : (error as Error).message}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${what} ${path} is not valid JSON: ${(error as Error).message}`);
  }
}
