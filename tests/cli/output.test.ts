/**
 * What the CLI's output does around it: a reader that stops early (EPIPE), a terminal (colour,
 * NO_COLOR), and the documented exit codes for what could not be evaluated.
 */
import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { appendAuditRecord } from "../../src/audit/index.js";
import { sampleDraft } from "../audit/helpers/draft.js";
import { tempDirs } from "../audit/helpers/temp-dir.js";
import { BIN, cliEnv, ensureBuilt, expectOneLineError, ROOT, runCli } from "../support/cli.js";

const dirs = tempDirs("cli-output");
let bigLog: string;

beforeAll(async () => {
  ensureBuilt();
  // Well over a pipe's buffer, so `| head` closes it while the CLI is still writing.
  bigLog = path.join(dirs.make(), "audit.jsonl");
  for (let i = 0; i < 400; i++) {
    const result = await appendAuditRecord(sampleDraft({ message: `record ${i} ${"x".repeat(200)}` }), {
      path: bigLog,
    });
    if (!result.ok) throw new Error(result.reason);
  }
}, 180_000);
afterAll(() => dirs.removeAll());

/** `computeguard ARGS | head -1` in bash with pipefail: the exit code is the CLI's unless head fails. */
function pipedToHead(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const quoted = args.map((a) => `'${a}'`).join(" ");
  const result = spawnSync(
    "bash",
    ["-c", `set -o pipefail; '${process.execPath}' '${BIN}' ${quoted} | head -1`],
    {
      cwd: ROOT,
      env: cliEnv(),
      encoding: "utf8",
    },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("a reader that stops early (EPIPE)", () => {
  it("`prices list | head -1` prints one line and exits 0, no stack trace", () => {
    const result = pipedToHead(["prices", "list"]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^TYPE\s+REGION\s+PER HOUR/);
    expect(result.stdout.split("\n")).toHaveLength(2);
  });

  it("`audit export | head -1` and `audit export --format csv | head -1` exit 0, no stack trace", () => {
    for (const format of ["json", "csv"]) {
      const result = pipedToHead(["audit", "export", "--format", format, "--log", bigLog]);
      expect(result.stderr, format).toBe("");
      expect(result.code, format).toBe(0);
      expect(result.stdout.split("\n"), format).toHaveLength(2);
    }
  });

  it("a pipe closed before the first write: still exit 0 and nothing on stderr", async () => {
    const child = spawn(process.execPath, [BIN, "audit", "export", "--log", bigLog], {
      cwd: ROOT,
      env: cliEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  });
});

describe("colour", () => {
  const gated = [
    "estimate",
    "--preview",
    "tests/fixtures/plans/scale-endpoint-delete-dev.json",
    "--policy-config",
    "tests/fixtures/plans/budgets.json",
  ];
  const RED = "\u001b[1;31m";

  it("marks outcomes on a terminal, and only there", async () => {
    const tty = await runCli(gated, { tty: true });
    const pipe = await runCli(gated);
    expect(tty.code).toBe(1);
    expect(pipe.code).toBe(1);
    expect(tty.stdout).toContain(`${RED}BLOCKED`);
    expect(pipe.stdout).toContain("BLOCKED");
    expect(pipe.stdout).not.toContain("\u001b[");
    // The same text once the colour is taken out.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the escapes are what is removed
    expect(tty.stdout.replace(/\u001b\[[0-9;]*m/g, "")).toBe(pipe.stdout);
  });

  it("honours NO_COLOR, and never colours JSON, markdown or HTML", async () => {
    const noColor = await runCli(gated, { tty: true, env: { NO_COLOR: "1" } });
    expect(noColor.stdout).toContain("BLOCKED");
    expect(noColor.stdout).not.toContain("\u001b[");
    for (const format of ["json", "markdown", "html"]) {
      const result = await runCli([...gated, "--format", format], { tty: true });
      expect(result.stdout, format).not.toContain(RED);
    }
  });
});

describe("exit 3: could not evaluate", () => {
  let closedPort: number;
  beforeAll(async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closedPort = (server.address() as { port: number }).port;
    await new Promise((resolve) => server.close(resolve));
  });

  it("an unreachable store is exit 3 in one line (a malformed store URL stays exit 2)", async () => {
    const env = { COMPUTEGUARD_STORE_URL: `postgres://computeguard@127.0.0.1:${closedPort}/computeguard` };
    for (const args of [
      ["audit", "list"],
      ["audit", "verify"],
      ["ledger", "list"],
      ["store", "migrate"],
    ]) {
      expectOneLineError(await runCli(args, { env }), 3, /^computeguard: .*127\.0\.0\.1/);
    }
    expectOneLineError(
      await runCli(["audit", "list"], { env: { COMPUTEGUARD_STORE_URL: "mysql://x" } }),
      2,
      /COMPUTEGUARD_STORE_URL must be a postgres/,
    );
  });

  it("a price list endpoint nothing listens at is exit 3", async () => {
    const refused = await runCli([
      "prices",
      "refresh",
      "--region",
      "us-east-1",
      "--endpoint",
      `http://127.0.0.1:${closedPort}`,
    ]);
    expectOneLineError(refused, 3, /^computeguard: GET http:\/\/127\.0\.0\.1:\d+\/.* failed: ECONNREFUSED$/);
  });

  it("is documented in the README", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    expect(readme).toMatch(/\| *3 *\| *could not evaluate/i);
  });
});
