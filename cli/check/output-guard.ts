import type { StatusLine } from "./progress.js";

type Write = typeof process.stdout.write;

/**
 * What the SDK prints about running offline rather than about the program: a stack output the mock
 * runtime leaves undefined is no concern of the user's.
 */
const SDK_NOISE = [/^warning: \[runtime\] Undefined value \(.*\) will not show as a stack output\.$/];

/** The text without the SDK's offline noise; whole lines only. */
export function withoutSdkNoise(text: string): string {
  return text
    .split(/(?<=\n)/)
    .filter((line) => !SDK_NOISE.some((noise) => noise.test(line.trimEnd())))
    .join("");
}

/**
 * While a program runs, whatever it prints goes to stderr, so stdout carries only the check's own
 * report (JSON stays parseable); the SDK's offline noise is dropped, and a status line is cleared
 * before any output.
 */
export class OutputGuard {
  private saved: { stdout: Write; stderr: Write } | undefined;

  constructor(private readonly status: StatusLine) {}

  start(): void {
    if (this.saved) return;
    const saved = { stdout: process.stdout.write, stderr: process.stderr.write };
    this.saved = saved;
    const toStderr = ((chunk: Parameters<Write>[0], ...rest: unknown[]) => {
      const kept = typeof chunk === "string" ? withoutSdkNoise(chunk) : chunk;
      // A write that was all noise still calls back, as the stream would have.
      if (kept === "") {
        const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
        if (callback) process.nextTick(callback);
        return true;
      }
      this.status.clear();
      return (saved.stderr as (...args: unknown[]) => boolean).call(process.stderr, kept, ...rest);
    }) as Write;
    process.stdout.write = toStderr;
    process.stderr.write = toStderr;
  }

  stop(): void {
    if (!this.saved) return;
    process.stdout.write = this.saved.stdout;
    process.stderr.write = this.saved.stderr;
    this.saved = undefined;
  }
}
