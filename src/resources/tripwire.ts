import { blankEstimate, unpricedAs } from "../estimate/build.js";
import type { AcceleratorMention, ResourceEstimate, ResourceInput } from "../estimate/types.js";
import type { AcceleratorTypes } from "../pricing/accelerator-types.js";
import { isUnknown, SECRET_PLACEHOLDER } from "../unknown.js";
import { parseTemplate } from "./aws/cloudformation/template.js";

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Longer than any instance type: user data, policies and templates are never one. */
const LONGEST_TYPE = 40;
/**
 * Properties that describe or select capacity rather than create it: AWS tags, and Kubernetes pod
 * scheduling (a Deployment's nodeSelector naming p5.48xlarge runs on nodes priced elsewhere).
 */
const DESCRIBES_CAPACITY = new Set(["tags", "tagsAll", "nodeSelector", "affinity", "tolerations"]);
/**
 * A CloudFormation template held by a type no adapter prices (a stack set's, an aws-native stack's)
 * launches what it names: it is read as the template it is, not skipped as a long string.
 */
const TEMPLATE_KEY = /(^|\.)[tT]emplateBody$/;

/** The template a property holds, or undefined when it is not one (then it names nothing). */
function templateIn(text: string): unknown {
  try {
    return parseTemplate(text);
  } catch {
    return undefined;
  }
}

/**
 * Every property whose value is an accelerator instance type, by path. Secrets are looked into (the
 * pack sees their plaintext) but never printed. Strings are matched whole: an instance type inside
 * user data or a JSON document is not a property naming it.
 */
export function acceleratorMentions(
  value: unknown,
  types: AcceleratorTypes,
  path = "",
): AcceleratorMention[] {
  const found: AcceleratorMention[] = [];
  walk(value, path, false, types, found);
  return found;
}

function walk(
  value: unknown,
  path: string,
  secret: boolean,
  types: AcceleratorTypes,
  out: AcceleratorMention[],
) {
  if (typeof value === "string") {
    if (value.length <= LONGEST_TYPE && !isUnknown(value) && types.isAccelerator(value))
      out.push({ path: path || "(value)", value: secret ? SECRET_PLACEHOLDER : value });
    else if (value.length > LONGEST_TYPE && TEMPLATE_KEY.test(path) && types.mayMention(value))
      walk(templateIn(value), path, secret, types, out);
    return;
  }
  if (value === null || typeof value !== "object") return;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) walk(value[i], `${path}[${i}]`, secret, types, out);
    return;
  }
  const record = value as Record<string, unknown>;
  if (SECRET_SIG_KEY in record) {
    // A secret keeps its plaintext as `value` (the engine) or `plaintext` (stack exports).
    walk(record.value ?? record.plaintext, path, true, types, out);
    return;
  }
  // A Kubernetes object's metadata (labels, annotations) describes it.
  const kubernetes = path === "" && typeof record.apiVersion === "string";
  for (const key in record) {
    if (DESCRIBES_CAPACITY.has(key) || (kubernetes && key === "metadata")) continue;
    walk(record[key], path ? `${path}.${key}` : key, secret, types, out);
  }
}

/** Resources whose properties describe other resources: providers, the stack, components. */
export function describesOthers(input: Pick<ResourceInput, "type" | "custom">): boolean {
  return input.custom === false || input.type.startsWith("pulumi:");
}

/**
 * The tripwire: a resource no adapter prices is not free when its properties name an accelerator
 * instance type. It is unpriced, naming each property path and value, so the gate fails closed.
 */
export function tripwire(input: ResourceInput, types: AcceleratorTypes): ResourceEstimate | undefined {
  if (describesOthers(input)) return undefined;
  const mentions = acceleratorMentions(input.props, types);
  if (mentions.length === 0) return undefined;
  const named = mentions.map((m) => `${m.path} = ${m.value}`).join(", ");
  const estimate = unpricedAs(
    blankEstimate(input, "gpu-compute"),
    `computeguard has no adapter for ${input.type}, and its properties name accelerator instance types (${named}): its cost is unknown, not $0`,
    { kind: "no-adapter" },
  );
  return {
    ...estimate,
    instanceTypes: [...new Set(mentions.map((m) => m.value).filter((v) => v !== SECRET_PLACEHOLDER))],
    tripwire: mentions,
  };
}
