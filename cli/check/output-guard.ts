import type { StatusLine } from "./progress.js";

type Write = typeof process.stdout.write;

/**
 * While a program runs, whatever it prints goes to stderr, so stdout carries only the check's own
 * report (JSON stays parseable); and a status line is cleared before any of its output.
 */
export class OutputGuard {
  private saved: { stdout: Write; stderr: Write } | undefined;

  constructor(private readonly status: StatusLine) {}

  start(): void {
    if (this.saved) return;
    const saved = { stdout: process.stdout.write, stderr: process.stderr.write };
    this.saved = saved;
    const toStderr = ((...args: Parameters<Write>) => {
      this.status.clear();
      return saved.stderr.apply(process.stderr, args);
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
