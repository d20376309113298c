import { spawn } from "node:child_process";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENESIS_HASH, logFiles, readAuditRecords, verifyAuditLog } from "../../src/audit/index.js";
import { buildForChildren } from "./helpers/child-build.js";
import { tempDirs } from "./helpers/temp-dir.js";

const WORKER = fileURLToPath(new URL("./workers/append-worker.mjs", import.meta.url));
const dirs = tempDirs("audit-concurrency");
let build: ReturnType<typeof buildForChildren>;

beforeAll(() => {
  build = buildForChildren(["src/audit/index.ts", "tests/audit/helpers/draft.ts"]);
});
afterAll(() => {
  build.dispose();
  dirs.removeAll();
});

function runWorker(
  logPath: string,
  count: number,
  id: number,
  maxBytes?: number,
): Promise<{ ok: number; failures: string[] }> {
  const args = [
    WORKER,
    build.urlOf("src/audit/index.ts"),
    build.urlOf("tests/audit/helpers/draft.ts"),
    logPath,
  ];
  args.push("count", String(count), String(id), ...(maxBytes ? [String(maxBytes)] : []));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => {
      out += d;
    });
    child.stderr.on("data", (d) => {
      err += d;
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`worker ${id} exited ${code}: ${err}`)),
    );
  });
}

/** Every record links to the one before it: seq 1..n, no gaps, no fork. */
function expectOneChain(logPath: string, expected: number): void {
  const records = [...readAuditRecords(logPath)];
  expect(records).toHaveLength(expected);
  records.forEach((record, i) => {
    expect(record.seq).toBe(i + 1);
    expect(record.prevHash).toBe(i === 0 ? GENESIS_HASH : records[i - 1]!.hash);
  });
  expect(new Set(records.map((r) => r.hash)).size).toBe(expected);
}

describe("concurrent writer processes", () => {
  it("8 processes x 200 records make one unbroken chain of 1,600", async () => {
    const logPath = join(dirs.make(), "audit.jsonl");
    const started = performance.now();
    const results = await Promise.all(Array.from({ length: 8 }, (_, id) => runWorker(logPath, 200, id)));
    const seconds = (performance.now() - started) / 1000;
    const all = [...readAuditRecords(logPath)];
    const appendingSeconds = (Date.parse(all[all.length - 1]!.time) - Date.parse(all[0]!.time)) / 1000;
    console.info(
      `[audit concurrency] 8 processes x 200 records: ${seconds.toFixed(2)} s wall incl. process start ` +
        `(${(1600 / seconds).toFixed(0)} records/s); first to last record ${appendingSeconds.toFixed(2)} s ` +
        `(${(1599 / appendingSeconds).toFixed(0)} records/s)`,
    );
    expect(results.flatMap((r) => r.failures)).toEqual([]);
    expect(results.map((r) => r.ok)).toEqual(Array(8).fill(200));

    const verified = await verifyAuditLog(logPath);
    expect(verified).toMatchObject({ ok: true, records: 1600 });
    expectOneChain(logPath, 1600);
    // Each worker's own records keep their order: appends are serialised, not shuffled.
    const records = [...readAuditRecords(logPath)];
    for (let id = 0; id < 8; id++) {
      const mine = records.filter((r) => r.message.startsWith(`worker ${id} `)).map((r) => r.message);
      expect(mine).toEqual(Array.from({ length: 200 }, (_, i) => `worker ${id} record ${i}`));
    }
  });

  it("rotation under contention keeps one chain across files", async () => {
    const logPath = join(dirs.make(), "audit.jsonl");
    const results = await Promise.all(
      Array.from({ length: 4 }, (_, id) => runWorker(logPath, 50, id, 20_000)),
    );
    expect(results.flatMap((r) => r.failures)).toEqual([]);
    expect(logFiles(logPath).length).toBeGreaterThan(3);
    expect(await verifyAuditLog(logPath)).toMatchObject({ ok: true, records: 200 });
    expectOneChain(logPath, 200);
  });
});
