import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";

const GNU_TIME = "/usr/bin/time";

export interface ChildRun {
  wallMs: number;
  /** Peak resident set of the child (GNU time's %M), when /usr/bin/time is there. */
  peakRssBytes: number | undefined;
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node ...args` to completion: wall time from spawn to exit, and its peak RSS. Its stdout
 * goes to /dev/null unless `captureStdout` (a report to read back).
 */
export async function runNode(args: string[], cwd: string, captureStdout = false): Promise<ChildRun> {
  const haveTime = existsSync(GNU_TIME);
  const dir = mkdtempSync(path.join(tmpdir(), "cg-bench-time-"));
  const report = path.join(dir, "time.txt");
  const [command, argv] = haveTime
    ? [GNU_TIME, ["-f", "%M", "-o", report, process.execPath, ...args]]
    : [process.execPath, args];
  try {
    const t0 = performance.now();
    const child = spawn(command, argv, { cwd, stdio: ["ignore", captureStdout ? "pipe" : "ignore", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout?.setEncoding("utf8");
    child.stdout?.on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr?.setEncoding("utf8");
    child.stderr?.on("data", (chunk: string) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once("error", reject);
      child.once("close", resolve);
    });
    const wallMs = performance.now() - t0;
    const kb = haveTime ? Number(readFileSync(report, "utf8").trim().split("\n").pop()) : Number.NaN;
    return { wallMs, peakRssBytes: Number.isFinite(kb) ? kb * 1024 : undefined, code, stdout, stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
