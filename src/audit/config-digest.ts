import { createHash } from "node:crypto";
import { canonicalJson } from "./canonical-json.js";

/**
 * SHA-256 (hex) of the canonical effective policy config, so a record says exactly which config
 * judged it: key order and whitespace do not change the digest, any value change does.
 */
export function configDigest(config: unknown): string {
  return createHash("sha256").update(canonicalJson(config), "utf8").digest("hex");
}
