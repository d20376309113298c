/**
 * A throwaway PostgreSQL server for the store tests: initdb into a temp directory, listen on a
 * private Unix socket directory and a free loopback port, stop and delete it afterwards.
 * PostgreSQL refuses to run as root, so as root the binaries run as the `postgres` OS user.
 */
import { execFile, execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface PostgresServer {
  port: number;
  socketDir: string;
  /** postgres://postgres@127.0.0.1:PORT/<database>, trust authentication. */
  url(database?: string, user?: string): string;
  stop(): Promise<void>;
}

export type PostgresSupport =
  | { available: true; bin: string; runAs: string[] | undefined }
  | { available: false; reason: string };

const BIN_DIRS = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"];

/** Where initdb and pg_ctl are, and how to run them; or why the store suites must skip. */
export function postgresSupport(): PostgresSupport {
  const pathDirs = (process.env.PATH ?? "").split(path.delimiter).filter(Boolean);
  const bin = [...BIN_DIRS, ...pathDirs].find(
    (dir) => existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl")),
  );
  if (!bin)
    return {
      available: false,
      reason: "no PostgreSQL initdb/pg_ctl found (looked in /usr/lib/postgresql/*/bin and PATH)",
    };
  if (process.getuid?.() !== 0) return { available: true, bin, runAs: undefined };
  try {
    execFileSync("id", ["-u", "postgres"], { stdio: "ignore" });
  } catch {
    return {
      available: false,
      reason: "running as root and there is no `postgres` OS user to run PostgreSQL as",
    };
  }
  const runuser = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser"].find(existsSync);
  if (runuser) return { available: true, bin, runAs: [runuser, "-u", "postgres", "--"] };
  const setpriv = ["/usr/bin/setpriv", "/bin/setpriv"].find(existsSync);
  if (setpriv)
    return {
      available: true,
      bin,
      runAs: [setpriv, "--reuid=postgres", "--regid=postgres", "--init-groups"],
    };
  return {
    available: false,
    reason: "running as root without runuser or setpriv to drop to the postgres user",
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startPostgres(): Promise<PostgresServer> {
  const support = postgresSupport();
  if (!support.available) throw new Error(support.reason);
  const dir = mkdtempSync(path.join(tmpdir(), "computeguard-pg-"));
  const as = async (command: string, args: string[]) => {
    const [file, ...prefix] = support.runAs ?? [];
    const exe = path.join(support.bin, command);
    return file ? run(file, [...prefix, exe, ...args]) : run(exe, args);
  };
  if (support.runAs) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const data = path.join(dir, "data");
  try {
    await as("initdb", [
      "-D",
      data,
      "-U",
      "postgres",
      "-A",
      "trust",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    const port = await freePort();
    const options = [
      "-c listen_addresses=127.0.0.1",
      `-c port=${port}`,
      `-c unix_socket_directories=${dir}`,
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=200",
    ].join(" ");
    await as("pg_ctl", [
      "-D",
      data,
      "-l",
      path.join(dir, "server.log"),
      "-w",
      "-t",
      "60",
      "-o",
      options,
      "start",
    ]);
    return {
      port,
      socketDir: dir,
      url: (database = "postgres", user = "postgres") => `postgres://${user}@127.0.0.1:${port}/${database}`,
      stop: async () => {
        await as("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await as("pg_ctl", ["-D", data, "-m", "immediate", "stop"]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
