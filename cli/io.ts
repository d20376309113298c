import { isAbsolute, resolve } from "node:path";
import { EXIT } from "./errors.js";

/** Where the CLI writes: process.stdout and process.stderr fit, and so does a test's buffer. */
export interface Writer {
  write(text: string): unknown;
  /** A terminal: colour and progress lines are shown only there. */
  isTTY?: boolean;
}

/** Everything a run of the CLI reads from and writes to its surroundings. */
export interface CliIo {
  stdout: Writer;
  stderr: Writer;
  env: NodeJS.ProcessEnv;
  /** Relative paths in flags are read from here. */
  cwd: string;
}

/** One run: its io and the exit code a command sets (errors set theirs in cli/main.ts). */
export class Cli {
  exitCode: number = EXIT.ok;

  constructor(readonly io: CliIo) {}

  get env(): NodeJS.ProcessEnv {
    return this.io.env;
  }

  out(text: string): void {
    this.io.stdout.write(text);
  }

  err(text: string): void {
    this.io.stderr.write(text);
  }

  /**
   * A path from a flag, as the file system should see it: relative to io.cwd. Unchanged when that
   * is the process's directory, so messages that name it show it as given.
   */
  path(given: string): string {
    return isAbsolute(given) || this.io.cwd === process.cwd() ? given : resolve(this.io.cwd, given);
  }
}
