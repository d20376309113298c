/**
 * The floor for plan reading: a child node process that reads a JSON file and parses it, the
 * least any reader of `pulumi preview --json` output has to do. Usage: node parse-json-child.js FILE
 */
import { readFileSync } from "node:fs";

const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: parse-json-child FILE\n");
  process.exit(2);
}
const doc = JSON.parse(readFileSync(file, "utf8")) as { steps?: unknown[] };
// Use the result, so the parse cannot be skipped.
process.exitCode = Array.isArray(doc.steps) ? 0 : 1;
