import { type CliRun, runCliInProcess } from "../../support/in-process-cli.js";

export type { CliRun };

/** `computeguard audit ...` in-process, with cli/main.ts's error handling (one-line error, exit 2). */
export function runAudit(args: string[], env: Record<string, string> = {}): Promise<CliRun> {
  return runCliInProcess(["audit", ...args], env);
}
