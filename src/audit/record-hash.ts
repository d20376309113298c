import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";

/** SHA-256 (hex) of a record's canonical form without its own `hash` member. */
export function recordHash(record: Record<string, unknown>): string {
  const { hash: _ignored, ...content } = record;
  return createHash("sha256").update(canonicalJson(content), "utf8").digest("hex");
}
