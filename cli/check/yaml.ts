import { createRequire } from "node:module";

interface JsYaml {
  load(text: string, options?: { filename?: string }): unknown;
}

// js-yaml is the parser @pulumi/pulumi itself depends on; resolving it from there reads Pulumi.yaml
// the way the SDK does without adding a dependency of our own.
const fromPulumi = createRequire(createRequire(import.meta.url).resolve("@pulumi/pulumi"));
const jsYaml = fromPulumi("js-yaml") as JsYaml;

/** Parses YAML text (js-yaml 4's safe default schema); throws with the file name and line on bad YAML. */
export function parseYaml(text: string, filename: string): unknown {
  return jsYaml.load(text, { filename });
}
