import { readdirSync } from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, extname, join } from "node:path";

type Env = Readonly<Record<string, string | undefined>>;

/**
 * Where the audit log lives: COMPUTEGUARD_AUDIT_LOG, else the XDG state directory
 * ($XDG_STATE_HOME/computeguard/audit.jsonl, falling back to ~/.local/state as the spec says).
 */
export function defaultAuditPath(env: Env = process.env): string {
  if (env.COMPUTEGUARD_AUDIT_LOG) return env.COMPUTEGUARD_AUDIT_LOG;
  // The XDG spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  const stateHome = env.XDG_STATE_HOME?.startsWith("/")
    ? env.XDG_STATE_HOME
    : join(homeOf(env), ".local", "state");
  return join(stateHome, "computeguard", "audit.jsonl");
}

function homeOf(env: Env): string {
  return env.HOME || homedir();
}

/** `audit.jsonl` rotates to `audit.<n>.jsonl`, n = 1 for the oldest. */
export function rotatedPath(activePath: string, n: number): string {
  const ext = extname(activePath);
  return join(dirname(activePath), `${basename(activePath, ext)}.${n}${ext}`);
}

export interface LogFile {
  path: string;
  /** Rotation number; null for the active file. */
  rotation: number | null;
}

/** Rotated files oldest first; the active file last when it exists. */
export function logFiles(activePath: string): LogFile[] {
  const ext = extname(activePath);
  const stem = basename(activePath, ext);
  const pattern = new RegExp(`^${escapeRegExp(stem)}\\.([1-9]\\d*)${escapeRegExp(ext)}$`);
  let names: string[];
  try {
    names = readdirSync(dirname(activePath));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const rotated = names
    .map((name) => pattern.exec(name)?.[1])
    .filter((n): n is string => n !== undefined)
    .map(Number)
    .sort((a, b) => a - b)
    .map((n) => ({ path: rotatedPath(activePath, n), rotation: n }));
  const active = names.includes(basename(activePath)) ? [{ path: activePath, rotation: null }] : [];
  return [...rotated, ...active];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
