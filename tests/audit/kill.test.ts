import { type ChildProcessByStdio, spawn } from "node:child_process";
import { existsSync, readFileSync, utimesSync } from "node:fs";
import { join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditRecord, lockPathFor, readAuditRecords, verifyAuditLog } from "../../src/audit/index.js";
import { buildForChildren } from "./helpers/child-build.js";
import { sampleDraft } from "./helpers/draft.js";
import { tempDirs } from "./helpers/temp-dir.js";

const WORKER = fileURLToPath(new URL("./workers/append-worker.mjs", import.meta.url));
const RUNS = 30;
/** Half the runs write each line in two calls 25 ms apart, so a kill can land mid-line. */
const SPLIT_PAUSE_MS = 25;

const dirs = tempDirs("audit-kill");
let build: ReturnType<typeof buildForChildren>;
/** Every writer started, so a failing test leaves none running. */
const started = new Set<ChildProcessByStdio<Writable, Readable, null>>();

beforeAll(() => {
  build = buildForChildren(["src/audit/index.ts", "tests/audit/helpers/draft.ts"]);
});
afterAll(() => {
  for (const child of started)
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  build.dispose();
  dirs.removeAll();
});

interface Writer {
  child: ChildProcessByStdio<Writable, Readable, null>;
  ready: Promise<void>;
  firstAppend: Promise<void>;
  acknowledged: string[];
  exited: Promise<void>;
}

function startWriter(logPath: string, splitPauseMs: number): Writer {
  const args = [
    WORKER,
    build.urlOf("src/audit/index.ts"),
    build.urlOf("tests/audit/helpers/draft.ts"),
    logPath,
  ];
  const child = spawn(process.execPath, [...args, "forever", String(splitPauseMs)], {
    stdio: ["pipe", "pipe", "ignore"],
  });
  started.add(child);
  const acknowledged: string[] = [];
  let buffered = "";
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    markReady = resolve;
  });
  let markAppended: () => void = () => {};
  const firstAppend = new Promise<void>((resolve) => {
    markAppended = resolve;
  });
  child.stdout.on("data", (chunk: Buffer) => {
    buffered += chunk.toString("utf8");
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) {
      if (line === "ready") markReady();
      else if (line.startsWith("appended ")) {
        acknowledged.push(line.slice("appended ".length));
        markAppended();
      }
    }
  });
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return { child, ready, firstAppend, acknowledged, exited };
}

function lineCount(path: string): number {
  return readFileSync(path, "utf8").split("\n").length;
}

describe("a writer killed with SIGKILL at random points", () => {
  it(`leaves at most a torn tail, ${RUNS} times over; repair keeps every complete record`, async () => {
    const logPath = join(dirs.make(), "audit.jsonl");
    const acknowledged = new Set<string>();
    let torn = 0;
    let locksLeft = 0;
    let wholeRecordsKept = 0;
    // Writers load ahead while the previous one is being killed and checked (process start dominates).
    const pauseFor = (run: number) => (run % 2 === 0 ? SPLIT_PAUSE_MS : 0);
    const warm = [startWriter(logPath, pauseFor(0)), startWriter(logPath, pauseFor(1))];
    for (let run = 0; run < RUNS; run++) {
      const writer = warm.shift()!;
      if (run + 2 < RUNS) warm.push(startWriter(logPath, pauseFor(run + 2)));
      await writer.ready;
      writer.child.stdin.write("go\n");
      // Mostly mid-stream (after a first record, then 0-35 ms); sometimes before anything is written.
      if (run % 5 !== 4) await writer.firstAppend;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 35));
      writer.child.kill("SIGKILL");
      await writer.exited;
      for (const id of writer.acknowledged) acknowledged.add(id);

      // A lock held by a dead writer goes stale after staleMs (10 s); age it rather than wait.
      const lock = lockPathFor(logPath);
      if (existsSync(lock)) {
        locksLeft++;
        const past = new Date(Date.now() - 60_000);
        utimesSync(lock, past, past);
      }

      const found = await verifyAuditLog(logPath);
      if (!found.ok) {
        // Only a torn final line is acceptable after a kill, never damage earlier in the file.
        expect(found.tornTail, JSON.stringify(found.firstProblem)).toBe(true);
        expect(found.firstProblem?.line).toBe(lineCount(logPath));
        torn++;
        const refused = await appendAuditRecord(sampleDraft(), { path: logPath });
        expect(refused).toMatchObject({ ok: false, code: "torn-tail" });
        expect(refused.ok ? "" : refused.reason).toContain("computeguard audit verify --repair");
        const repaired = await verifyAuditLog(logPath, { repair: true });
        expect(repaired).toMatchObject({ ok: true, repaired: true });
        if (repaired.removedBytes === 0) wholeRecordsKept++;
      }
      const intact = await verifyAuditLog(logPath);
      expect(intact.ok).toBe(true);
      const ids = new Set([...readAuditRecords(logPath)].map((r) => r.id));
      for (const id of acknowledged) expect(ids.has(id)).toBe(true);

      const continued = await appendAuditRecord(sampleDraft({ message: `after kill ${run}` }), {
        path: logPath,
      });
      expect(continued.ok, continued.ok ? "" : continued.reason).toBe(true);
      if (continued.ok) {
        expect(continued.record.seq).toBe(intact.records + 1);
        expect(continued.record.prevHash).toBe(intact.head.hash);
      }
    }
    const final = await verifyAuditLog(logPath);
    expect(final.ok).toBe(true);
    console.info(
      `[audit kill] ${RUNS} SIGKILLs: ${torn} left a torn tail (${wholeRecordsKept} of them a whole record missing only its newline), ` +
        `${locksLeft} left the lock behind; ${final.records} records intact, ${acknowledged.size} acknowledged by killed writers`,
    );
    // Half the runs split their writes; with 25 ms pauses at least one kill lands mid-line.
    expect(torn).toBeGreaterThan(0);
  }, 120_000);
});
