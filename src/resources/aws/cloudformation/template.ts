import { DEFAULT_SCHEMA, load, Type } from "js-yaml";
import { isUndecidable, UNKNOWN } from "../../../unknown.js";

/** A CloudFormation template as the core reads it: resources with their properties. */
export interface Template {
  Parameters?: Record<string, { Default?: unknown } | undefined>;
  Mappings?: Record<string, Record<string, Record<string, unknown>>>;
  Resources?: Record<string, { Type?: unknown; Properties?: Record<string, unknown> } | undefined>;
}

const FUNCTIONS = [
  "Base64",
  "Cidr",
  "FindInMap",
  "GetAtt",
  "GetAZs",
  "ImportValue",
  "Join",
  "Length",
  "Select",
  "Split",
  "Sub",
  "ToJsonString",
  "Transform",
  "And",
  "Equals",
  "If",
  "Not",
  "Or",
];

/** A short form (`!Ref X`, `!GetAtt A.B`, `!Sub ...`) as its long form (`{Ref: X}`, `{"Fn::GetAtt": [A, B]}`). */
function intrinsic(tag: string, key: string): Type[] {
  return (["scalar", "sequence", "mapping"] as const).map(
    (kind) =>
      new Type(`!${tag}`, {
        kind,
        construct: (data: unknown) => ({
          [key]: key === "Fn::GetAtt" && typeof data === "string" ? data.split(".") : data,
        }),
      }),
  );
}

const CFN_SCHEMA = DEFAULT_SCHEMA.extend([
  ...intrinsic("Ref", "Ref"),
  ...intrinsic("Condition", "Condition"),
  ...FUNCTIONS.flatMap((f) => intrinsic(f, `Fn::${f}`)),
]);

/**
 * Templates already parsed, by body: a stack's templates are read in the resource phase and again
 * with the complete stack, and YAML is slow to parse. Bounded by the characters held (a template
 * body is at most 51,200 bytes; a stack rarely has more than a few hundred).
 */
const parsedTemplates = new Map<string, Template>();
let parsedChars = 0;
const MAX_PARSED_CHARS = 8_000_000;

/**
 * Parses a template body (JSON or YAML with CloudFormation's short forms). Throws with the parser's
 * message. The same body gives the same object: callers only read it.
 */
export function parseTemplate(body: string): Template {
  const known = parsedTemplates.get(body);
  if (known) return known;
  const parsed = body.trimStart().startsWith("{") ? JSON.parse(body) : load(body, { schema: CFN_SCHEMA });
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw new Error("not a template object");
  if (parsedChars + body.length > MAX_PARSED_CHARS) {
    parsedTemplates.clear();
    parsedChars = 0;
  }
  parsedTemplates.set(body, parsed as Template);
  parsedChars += body.length;
  return parsed as Template;
}

/**
 * Resolves what pricing can resolve without AWS: `Ref` to a parameter (the stack's `parameters`,
 * else the template's default) or to a resource of the template (`handle(logicalId)`), and
 * `Fn::FindInMap` over the template's mappings. Everything else (pseudo parameters, `Fn::Sub`,
 * `Fn::GetAtt`, conditions) is unknown to the core, like a value computed during preview.
 */
export function resolver(
  template: Template,
  parameters: Record<string, unknown>,
  handle: (logicalId: string) => string,
): (value: unknown) => unknown {
  const resolve = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(resolve);
    if (value === null || typeof value !== "object" || isUndecidable(value)) return value;
    const record = value as Record<string, unknown>;
    const keys = Object.keys(record);
    if (keys.length === 1 && (keys[0] === "Ref" || keys[0]!.startsWith("Fn::"))) {
      if (keys[0] === "Ref") return ref(record.Ref);
      if (keys[0] === "Fn::FindInMap") return findInMap(resolve(record["Fn::FindInMap"]));
      return UNKNOWN;
    }
    return Object.fromEntries(keys.map((k) => [k, resolve(record[k])]));
  };
  const ref = (name: unknown): unknown => {
    if (typeof name !== "string") return UNKNOWN;
    if (template.Parameters && Object.hasOwn(template.Parameters, name)) {
      const given = parameters[name];
      if (given !== undefined) return given;
      return template.Parameters[name]?.Default ?? UNKNOWN;
    }
    if (template.Resources && Object.hasOwn(template.Resources, name)) return handle(name);
    return UNKNOWN;
  };
  const findInMap = (args: unknown): unknown => {
    if (
      !Array.isArray(args) ||
      args.length !== 3 ||
      !args.every((a) => typeof a === "string" && !isUndecidable(a))
    )
      return UNKNOWN;
    const [map, top, second] = args as string[];
    return template.Mappings?.[map!]?.[top!]?.[second!] ?? UNKNOWN;
  };
  return resolve;
}

/** A CloudFormation number (often a string: `MinSize: '1'`), or the value unchanged. */
export function cfnNumber(value: unknown): unknown {
  if (typeof value === "string" && /^\d+$/.test(value.trim())) return Number(value.trim());
  return value;
}
