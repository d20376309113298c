import { sep } from "node:path";

const MAX_MESSAGE = 400;

/** An error the program raised, as one line: no stack, newlines folded, paths relative, long messages cut. */
export function describeProgramError(error: unknown, cwd = process.cwd()): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  const line = text
    // biome-ignore lint/suspicious/noControlCharactersInRegex: strips terminal colour codes from tool output.
    .replace(/\u001b\[[0-9;]*m/g, "")
    .split(`${cwd}${sep}`)
    .join("")
    .replace(/\s*\n\s*/g, " ")
    .trim();
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}...` : line;
}
