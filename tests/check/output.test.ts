import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { OutputGuard, withoutSdkNoise } from "../../cli/check/output-guard.js";
import { describeProgramError } from "../../cli/check/program-error.js";
import { StatusLine } from "../../cli/check/progress.js";

function fakeTerminal(isTTY: boolean, columns = 40) {
  const written: string[] = [];
  return { isTTY, columns, written, write: (text: string) => written.push(text) > 0 };
}

describe("StatusLine", () => {
  it("redraws one line in place on a terminal, cut to its width, and erases it", () => {
    const tty = fakeTerminal(true, 30);
    const status = new StatusLine(tty, true);
    status.update("computeguard: running index.ts: 3 resources");
    status.update("short");
    status.clear();
    status.clear();
    expect(tty.written).toEqual(["\r\u001b[Kcomputeguard: running inde...", "\r\u001b[Kshort", "\r\u001b[K"]);
  });

  it("writes nothing when disabled (a pipe, or JSON output)", () => {
    const pipe = fakeTerminal(false);
    const status = new StatusLine(pipe, false);
    status.update("anything");
    status.clear();
    expect(pipe.written).toEqual([]);
  });
});

describe("OutputGuard", () => {
  const writes = { stdout: process.stdout.write, stderr: process.stderr.write };
  afterEach(() => {
    process.stdout.write = writes.stdout;
    process.stderr.write = writes.stderr;
  });

  it("sends the program's stdout to stderr, clears the status line first, and restores both", () => {
    const stderr: string[] = [];
    process.stderr.write = ((chunk: string) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
    const patchedStderr = process.stderr.write;
    const tty = fakeTerminal(true);
    const status = new StatusLine(tty, true);
    const guard = new OutputGuard(status);
    status.update("working");
    guard.start();
    process.stdout.write("from the program\n");
    process.stderr.write("to stderr\n");
    guard.stop();
    expect(stderr).toEqual(["from the program\n", "to stderr\n"]);
    expect(tty.written).toEqual(["\r\u001b[Kworking", "\r\u001b[K"]);
    expect(process.stdout.write).toBe(writes.stdout);
    expect(process.stderr.write).toBe(patchedStderr);
  });
});

describe("describeProgramError", () => {
  it("is always one line without the working directory or colour codes", () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { maxLength: 6 }), fc.boolean(), (parts, asError) => {
        const text = parts.join("\n\u001b[31m/work/app/");
        const line = describeProgramError(asError ? new Error(text) : text, "/work/app");
        expect(line).not.toMatch(/[\n\r]/);
        expect(line).not.toContain("/work/app/");
        expect(line).not.toContain("\u001b[");
        expect(line.length).toBeLessThanOrEqual(403);
      }),
    );
  });

  it("keeps the message and folds the lines of a transpiler error", () => {
    const error = new Error(
      'Transform failed with 1 error:\n/work/app/index.ts:2:16: ERROR: Expected identifier but found ";"',
    );
    expect(describeProgramError(error, "/work/app")).toBe(
      'Transform failed with 1 error: index.ts:2:16: ERROR: Expected identifier but found ";"',
    );
  });
});

describe("withoutSdkNoise", () => {
  it("drops the SDK's undefined-stack-output warnings and keeps everything else, line for line", () => {
    const noise = "warning: [runtime] Undefined value (publicIp) will not show as a stack output.\n";
    const deprecation =
      "warning: [runtime] NodeGroup is deprecated: NodeGroup uses AWS EC2 LaunchConfiguration which has been deprecated by AWS\n";
    expect(withoutSdkNoise(noise)).toBe("");
    expect(withoutSdkNoise(`deploying\n${noise}${deprecation}done`)).toBe(`deploying\n${deprecation}done`);
    // The program's own words are its own, even when they mention the same thing.
    expect(withoutSdkNoise("Undefined value (publicIp) will not show as a stack output.\n")).not.toBe("");
  });

  it("never changes output without the noise (property)", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        fc.pre(!text.includes("will not show as a stack output"));
        expect(withoutSdkNoise(text)).toBe(text);
      }),
    );
  });

  it("keeps the SDK's warnings off stderr while a program runs, and calls back as the stream would", async () => {
    const stderr: string[] = [];
    const original = process.stderr.write;
    process.stderr.write = ((chunk: string) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
    try {
      const guard = new OutputGuard(new StatusLine(fakeTerminal(false), false));
      guard.start();
      const written = new Promise<void>((resolve) =>
        process.stdout.write(
          "warning: [runtime] Undefined value (ip) will not show as a stack output.\n",
          () => resolve(),
        ),
      );
      process.stderr.write("from the program\n");
      guard.stop();
      await written;
    } finally {
      process.stderr.write = original;
    }
    expect(stderr).toEqual(["from the program\n"]);
  });
});
