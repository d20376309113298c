import { createRequire } from "node:module";

/** computeguard's own version from its package.json (the package exports it), for --version and audit records. */
export function packVersion(): string {
  try {
    return (
      (createRequire(import.meta.url)("computeguard/package.json") as { version?: string }).version ?? "0.0.0"
    );
  } catch {
    return "0.0.0";
  }
}
