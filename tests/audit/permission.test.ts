/**
 * A lock the writer is not allowed to create (a read-only directory, another user's log) is a
 * permission error named at once — not 15 s of lock-contention retries per decision.
 */
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, existsSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { appendAuditRecord, DEFAULT_LOCK_TIMEOUT_MS } from "../../src/audit/index.js";
import { buildForChildren } from "./helpers/child-build.js";
import { sampleDraft } from "./helpers/draft.js";
import { tempDirs } from "./helpers/temp-dir.js";

const dirs = tempDirs("audit-permission");
afterAll(() => dirs.removeAll());

/** How to run a command as an unprivileged user when this runs as root (root ignores file modes). */
function asNobody(): string[] | undefined {
  if (process.getuid?.() !== 0) return [];
  try {
    execFileSync("id", ["-u", "nobody"], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  const runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find(existsSync);
  if (runuser) return [runuser, "-u", "nobody", "--"];
  const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find(existsSync);
  return setpriv ? [setpriv, "--reuid=nobody", "--regid=nogroup", "--clear-groups"] : undefined;
}

describe("a lock the writer may not create", () => {
  it.skipIf(!existsSync("/sys/kernel"))(
    "is a named permission failure at once (sysfs refuses mkdir even to root)",
    async () => {
      const path = "/sys/computeguard-permission-test.jsonl";
      const started = performance.now();
      const result = await appendAuditRecord(sampleDraft(), { path });
      const ms = performance.now() - started;
      expect(result).toMatchObject({ ok: false, code: "permission" });
      expect(result.ok ? "" : result.reason).toMatch(
        /^no permission to lock audit log \/sys\/computeguard-permission-test\.jsonl \(\/sys\/computeguard-permission-test\.jsonl\.lock\): EPERM/,
      );
      // The default lock timeout is 15 s; a permission error does not wait for any of it.
      expect(ms).toBeLessThan(DEFAULT_LOCK_TIMEOUT_MS / 10);
    },
  );

  const runAs = asNobody();
  it.skipIf(runAs === undefined)(
    "is a named permission failure at once for a writer without write access to the log's directory",
    async () => {
      const dir = dirs.make();
      const path = join(dir, "audit.jsonl");
      expect((await appendAuditRecord(sampleDraft(), { path })).ok).toBe(true);
      chmodSync(dir, 0o755); // readable by everyone, writable by its owner only
      const build = buildForChildren(["src/audit/file-store.ts", "tests/audit/helpers/draft.ts"]);
      try {
        execFileSync("chmod", ["-R", "a+rX", new URL(build.urlOf("src")).pathname.replace(/\/src$/, "")]);
        const script = `
          const { appendAuditRecord } = await import(${JSON.stringify(build.urlOf("src/audit/file-store.ts"))});
          const { sampleDraft } = await import(${JSON.stringify(build.urlOf("tests/audit/helpers/draft.ts"))});
          const t0 = performance.now();
          const result = await appendAuditRecord(sampleDraft(), { path: ${JSON.stringify(path)} });
          process.stdout.write(JSON.stringify({ result, ms: performance.now() - t0 }));`;
        const [file, ...prefix] = [...runAs!, process.execPath];
        const { stdout } = await promisify(execFile)(
          file!,
          [...prefix, "--input-type=module", "-e", script],
          {
            cwd: "/",
          },
        );
        const { result, ms } = JSON.parse(stdout) as { result: { code: string; reason: string }; ms: number };
        expect(result).toMatchObject({ ok: false, code: "permission" });
        expect(result.reason).toContain(`no permission to lock audit log ${path} (${path}.lock): EACCES`);
        expect(ms).toBeLessThan(DEFAULT_LOCK_TIMEOUT_MS / 10);
        console.info(`[audit permission] unprivileged writer refused in ${ms.toFixed(0)} ms`);
      } finally {
        build.dispose();
      }
    },
  );
});
