import { Command, CommanderError } from "commander";
import { vi } from "vitest";
import { registerAudit } from "../../cli/commands/audit.js";
import { registerStore } from "../../cli/commands/store.js";
import { EXIT, UsageError } from "../../cli/errors.js";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `computeguard store|ledger|audit ...` in-process (the suites that need no child process), with cli/main.ts's error handling
 * (one-line error, exit 2). `env` is applied for the run only.
 */
export async function runCliInProcess(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
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
  const savedEnv = { ...process.env };
  Object.assign(process.env, env);
  const savedExitCode = process.exitCode;
  process.exitCode = undefined;
  const program = new Command()
    .name("computeguard")
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), writeOut: (s) => process.stdout.write(s) });
  registerAudit(program);
  registerStore(program);
  let code: number;
  try {
    await program.parseAsync(["node", "computeguard", ...args]);
    code = Number(process.exitCode ?? EXIT.ok);
  } catch (error) {
    if (error instanceof CommanderError) code = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    else if (error instanceof UsageError) {
      process.stderr.write(`computeguard: ${error.message}\n`);
      code = EXIT.badInput;
    } else throw error;
  } finally {
    process.exitCode = savedExitCode;
    process.env = savedEnv;
    out.mockRestore();
    err.mockRestore();
  }
  return { code, stdout, stderr };
}
