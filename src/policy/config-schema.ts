import { z } from "zod";

export interface PolicyConfigSchema {
  properties: Record<string, unknown>;
  required?: string[];
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
  };
}
