/**
 * Runs `computeguard prices ...` inside the test process: the same command code as the CLI,
 * without a child process per case. Failures come back as the thrown error, which the CLI's
 * main turns into one stderr line and exit 2 (covered by the spawned tests).
 */
import { Command } from "commander";
import { vi } from "vitest";
import { registerPrices } from "../../../cli/commands/prices.js";

export interface InProcessResult {
  stdout: string;
  stderr: string;
  error: Error | undefined;
}

export async function runPrices(args: string[]): Promise<InProcessResult> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  const program = new Command().exitOverride().configureOutput({
    writeOut: (text) => {
      stdout += text;
    },
    writeErr: (text) => {
      stderr += text;
    },
  });
  registerPrices(program);
  let error: Error | undefined;
  try {
    await program.parseAsync(["prices", ...args], { from: "user" });
  } catch (caught) {
    error = caught as Error;
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return { stdout, stderr, error };
}
