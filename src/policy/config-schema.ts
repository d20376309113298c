import { z } from "zod";
import { describeZodError } from "../validation.js";
import { suggestion } from "./did-you-mean.js";

export interface PolicyConfigSchema {
  properties: Record<string, unknown>;
  required?: string[];
  /**
   * Always false: a typo (`monthlyLimit`) must not run with the default limit. The Node SDK sends
   * only `properties` and `required` over GetAnalyzerInfo, so the engine enforces this for nested
   * objects only; the pack refuses unknown top-level keys itself (parseRuleConfig).
   */
  additionalProperties: false;
}

/**
 * The JSON schema the Pulumi CLI validates `--policy-pack-config` with, generated from the rule's
 * zod schema (draft-07, input side so every default is present and optional).
 */
export function toPolicyConfigSchema(schema: z.ZodType): PolicyConfigSchema {
  const json = z.toJSONSchema(schema, { target: "draft-7", io: "input", unrepresentable: "any" }) as {
    properties?: Record<string, unknown>;
    required?: string[];
  };
  return {
    properties: json.properties ?? {},
    ...(json.required && json.required.length > 0 ? { required: json.required } : {}),
    additionalProperties: false,
  };
}

interface JsonNode {
  properties?: Record<string, JsonNode>;
  items?: JsonNode;
  additionalProperties?: JsonNode | boolean;
}

/** The keys the schema knows at `path` (through objects' properties and arrays' items). */
function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let node: JsonNode | undefined = z.toJSONSchema(schema, {
    target: "draft-7",
    io: "input",
    unrepresentable: "any",
  }) as JsonNode;
  for (const segment of path) {
    if (!node) break;
    if (typeof segment === "number") node = node.items;
    else {
      const extra: JsonNode | boolean | undefined = node.additionalProperties;
      node = node.properties?.[String(segment)] ?? (typeof extra === "object" ? extra : undefined);
    }
  }
  return Object.keys(node?.properties ?? {});
}

/**
 * One line for a policy's bad config: every bad field by path, and for a key the policy does not
 * know, the key, where it is and the nearest one it does (`unknown key monthlyLimit in
 * gpu-stack-budget; did you mean monthlyLimitUsd?`).
 */
export function describeConfigError(rule: { name: string; config: z.ZodType }, error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      if (issue.code !== "unrecognized_keys") return describeZodError(new z.ZodError([issue]));
      const where = [rule.name, ...issue.path.map(String)].join(".");
      // At the top, a policy's entry may also set its level.
      const known = [
        ...knownKeysAt(rule.config, issue.path),
        ...(issue.path.length === 0 ? ["enforcementLevel"] : []),
      ];
      return issue.keys.map((key) => `unknown key ${key} in ${where}${suggestion(key, known)}`).join("; ");
    })
    .join("; ");
}
