import { isAbsolute, resolve } from "node:path";
import { colourOutcomes, colourWanted } from "./colour.js";
import { EXIT } from "./errors.js";

/** Where the CLI writes: process.stdout and process.stderr fit, and so does a test's buffer. */
export interface Writer {
  write(text: string): unknown;
  /** A terminal: colour and progress lines are shown only there. */
  isTTY?: boolean;
  /** The reader went away (`| head`): later writes are dropped, and long output may stop early. */
  readonly closed?: boolean;
}

/**
 * A process stream as a Writer that survives its reader going away: `computeguard ... | head -1`
 * closes the pipe, and the next write fails with EPIPE (an 'error' event that would otherwise
 * crash the process with a stack trace). From then on writes are dropped and the command ends
 * with its own exit code.
 */
export function streamWriter(stream: NodeJS.WriteStream): Writer {
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") closed = true;
    else throw error;
  });
  return {
    isTTY: stream.isTTY === true,
    get closed() {
      return closed || stream.destroyed;
    },
    write(text: string) {
      if (!closed && !stream.destroyed) stream.write(text);
    },
  };
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

  /** A human-readable table on stdout, its outcome words coloured on a terminal. */
  outTable(text: string): void {
    this.out(this.colour ? colourOutcomes(text) : text);
  }

  /** Whether stdout's reader went away: a long listing can stop reading. */
  get stdoutClosed(): boolean {
    return this.io.stdout.closed === true;
  }

  /** Colour for stdout: a terminal, and NO_COLOR not set (https://no-color.org). */
  get colour(): boolean {
    return colourWanted(this.io.stdout, this.io.env);
  }

  /**
   * A path from a flag, as the file system should see it: relative to io.cwd. Unchanged when that
   * is the process's directory, so messages that name it show it as given.
   */
  path(given: string): string {
    return isAbsolute(given) || this.io.cwd === process.cwd() ? given : resolve(this.io.cwd, given);
  }
}
