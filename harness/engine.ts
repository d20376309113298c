/**
 * A stand-in for the Pulumi engine that drives a CrossGuard policy pack over gRPC, exactly the
 * way `pulumi preview|up --policy-pack DIR` does (see /work/shared/reference/pulumi-engine.md):
 *
 *  1. spawn `node <DIR's @pulumi/pulumi/cmd/run-policy-pack> <engineAddress> .` with cwd = DIR and
 *     the PULUMI_NODEJS_* / PULUMI_* environment the engine sets;
 *  2. read the first stdout line, which must be only the gRPC port ("wrote an invalid port"
 *     otherwise); anything after it is collected (the engine forwards it as diagnostics);
 *  3. talk to the pack with the generated Analyzer client: Handshake, ConfigureStack,
 *     GetAnalyzerInfo, Configure (with the engine's config reconciliation), GetPluginInfo,
 *     Remediate/Analyze per resource and AnalyzeStack.
 *
 * No Pulumi CLI is needed. Used by tests and benchmarks.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { performance } from "node:perf_hooks";
import type * as GrpcJs from "@grpc/grpc-js";
import type * as AnalyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb.js";
import type * as AnalyzerPb from "@pulumi/pulumi/proto/analyzer_pb.js";
import type * as PluginPb from "@pulumi/pulumi/proto/plugin_pb.js";
import type * as EmptyPb from "google-protobuf/google/protobuf/empty_pb.js";
import type * as StructPb from "google-protobuf/google/protobuf/struct_pb.js";

// ------------------------------------------------------------------------------------------------
// Generated stubs. Everything is loaded relative to @pulumi/pulumi's proto directory so the
// client, the messages, google-protobuf and @grpc/grpc-js are the very instances the stubs use.
// ------------------------------------------------------------------------------------------------

const requireHere = createRequire(import.meta.url);
const requireProto = createRequire(requireHere.resolve("@pulumi/pulumi/proto/analyzer_grpc_pb"));
const pb = requireProto("./analyzer_pb") as typeof AnalyzerPb;
const rpc = requireProto("./analyzer_grpc_pb") as typeof AnalyzerGrpc;
const grpc = requireProto("@grpc/grpc-js") as typeof GrpcJs;
const structPb = requireProto("google-protobuf/google/protobuf/struct_pb") as typeof StructPb;
const emptyPb = requireProto("google-protobuf/google/protobuf/empty_pb") as typeof EmptyPb;

// ------------------------------------------------------------------------------------------------
// Wire-level constants.
// ------------------------------------------------------------------------------------------------

/** The value the engine sends, as a plain string of any type, for properties not known during preview. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** Key of the signature property of Pulumi's special objects (secrets, assets, archives...). */
export const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
/** Signature value marking a secret: `{ [SPECIAL_SIG_KEY]: SECRET_SIG, value }`. */
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Wraps a value the way the engine sends a secret property (it marshals with KeepSecrets). */
export function secret<T>(value: T): { [SPECIAL_SIG_KEY]: string; value: T } {
  return { [SPECIAL_SIG_KEY]: SECRET_SIG, value };
}

/** Address passed as the first argument; run-policy-pack discards it (the Node SDK never dials the engine). */
export const FAKE_ENGINE_ADDRESS = "127.0.0.1:1";

const MAX_RPC_MESSAGE_SIZE = 1024 * 1024 * 400; // same limit as the Node policy SDK

// ------------------------------------------------------------------------------------------------
// Public types.
// ------------------------------------------------------------------------------------------------

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";
export type PolicySeverity = "low" | "medium" | "high" | "critical";
export type PolicyType = "resource" | "stack" | "unknown";
export type JsonSchema = Record<string, unknown>;

export const ENFORCEMENT_LEVELS: readonly EnforcementLevel[] = [
  "advisory",
  "mandatory",
  "disabled",
  "remediate",
];

export interface PolicyConfigSchema {
  properties: Record<string, JsonSchema>;
  required: string[];
}

export interface PolicyInfo {
  name: string;
  displayName?: string;
  description: string;
  message?: string;
  enforcementLevel: EnforcementLevel;
  policyType: PolicyType;
  configSchema?: PolicyConfigSchema;
  severity?: PolicySeverity;
  remediationSteps?: string;
  url?: string;
  tags: string[];
  framework?: { name: string; version: string; reference: string; specification: string };
}

/** One policy's configuration as the engine sends it in Configure: always with a level. */
export interface EffectivePolicyConfig {
  enforcementLevel: EnforcementLevel;
  properties: Record<string, unknown>;
}

export interface AnalyzerInfo {
  name: string;
  displayName?: string;
  /** PulumiPolicy.yaml `version` if set (the engine prefers it), else the pack's package.json version. */
  version: string;
  supportsConfig: boolean;
  description?: string;
  readme?: string;
  provider?: string;
  repository?: string;
  tags: string[];
  /** Sorted by name, as the engine does. */
  policies: PolicyInfo[];
  /**
   * The pack's programmatic initial config as the engine reads it. The proto field is a plain
   * enum, so an entry that set no level arrives as `advisory` (the engine then applies it).
   */
  initialConfig: Record<string, EffectivePolicyConfig>;
}

/**
 * Policy config as `--policy-pack-config FILE` holds it: per policy (or `"all"`) either a bare
 * enforcement level or an object with an optional `enforcementLevel` plus config properties.
 */
export type PolicyPackConfig = Record<string, string | Record<string, unknown>>;

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  /** Policy description, a newline, then the violation message (for the string form of reportViolation). */
  message: string;
  enforcementLevel: EnforcementLevel;
  /** As sent by the pack ("" when the violation named no URN). */
  urn: string;
  /** The diagnostic's severity, or else the policy's (the engine fills it in the same way). */
  severity?: PolicySeverity;
}

export interface NotApplicable {
  policyName: string;
  reason: string;
}

export interface AnalyzeResult {
  diagnostics: Diagnostic[];
  notApplicable: NotApplicable[];
}

export interface Remediation {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  properties?: Record<string, unknown>;
  diagnostic?: string;
}

export interface RemediateResult {
  remediations: Remediation[];
  notApplicable: NotApplicable[];
}

export interface ResourceOptionsInput {
  protect?: boolean;
  ignoreChanges?: string[];
  deleteBeforeReplace?: boolean;
  additionalSecretOutputs?: string[];
  aliases?: string[];
  customTimeouts?: { create?: number; update?: number; delete?: number };
  /** Parent URN. */
  parent?: string;
}

export interface ProviderInput {
  type: string;
  name: string;
  /** Defaults to `urn:pulumi:<stack>::<project>::<type>::<name>`. */
  urn?: string;
  properties?: Record<string, unknown>;
}

export interface ResourceInput {
  /** Defaults to the engine's URN for type/name (and parent, if any). */
  urn?: string;
  type: string;
  name: string;
  /** Inputs (Analyze) or outputs (AnalyzeStack). Use UNKNOWN for computed values, secret() for secrets. */
  properties?: Record<string, unknown>;
  options?: ResourceOptionsInput;
  provider?: ProviderInput;
  /** Parent URN (also sent as options.parent unless that is given). */
  parent?: string;
}

export interface StackResourceInput extends ResourceInput {
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
}

export interface StackSettings {
  stack: string;
  project: string;
  organization: string;
  dryRun: boolean;
}

export interface ConfigureStackArgs extends Partial<StackSettings> {
  tags?: Record<string, string>;
  /** Stack config (`namespace:key` → value), as ConfigureStack and PULUMI_CONFIG carry it. */
  config?: Record<string, string>;
  configSecretKeys?: string[];
}

export interface StartOptions extends Partial<StackSettings> {
  /** Extra environment for the pack process (applied last). */
  env?: Record<string, string>;
  /** Spawn-to-port timeout. Default 30 s. */
  timeoutMs?: number;
  /** Deadline for each RPC. Default 30 s. */
  rpcTimeoutMs?: number;
  /** Stack config; sets PULUMI_CONFIG and is the default for configureStack(). */
  stackConfig?: Record<string, string>;
  /** Extra arguments for node itself (before the run-policy-pack script). */
  nodeArgs?: string[];
}

export interface PolicyPackProcess {
  readonly packDir: string;
  readonly port: number;
  readonly pid: number;
  /** Milliseconds from spawn to a valid port line. */
  readonly startupMs: number;
  /** Everything the pack wrote to stderr so far. */
  stderr(): string;
  /** Everything the pack wrote to stdout after the port line (the engine shows it as diagnostics). */
  stdoutAfterPort(): string;
  /** Exit status once the process has ended, else undefined. */
  exitStatus(): ExitStatus | undefined;
  /** Closes the gRPC channel, stops the process and waits for it to exit. Idempotent. */
  close(): Promise<ExitStatus>;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export interface EngineClient extends PolicyPackProcess {
  /** Handshake RPC as the engine sends it; false when the pack does not implement it (the Node SDK). */
  handshake(): Promise<boolean>;
  configureStack(args?: ConfigureStackArgs): Promise<void>;
  getAnalyzerInfo(): Promise<AnalyzerInfo>;
  getPluginInfo(): Promise<{ version: string }>;
  /**
   * Reconciles `config` with the pack's metadata like the engine (defaults, initial config,
   * `"all"`, per-policy entries, JSON-schema validation), then sends Configure with every policy
   * and an explicit level. Throws PolicyConfigError without calling Configure on invalid config.
   */
  configure(config?: PolicyPackConfig): Promise<Record<string, EffectivePolicyConfig>>;
  remediate(resource: ResourceInput): Promise<RemediateResult>;
  analyze(resource: ResourceInput): Promise<AnalyzeResult>;
  analyzeStack(resources: StackResourceInput[]): Promise<AnalyzeResult>;
  /** Stack settings in effect (start options, updated by configureStack). */
  readonly settings: Readonly<StackSettings>;
}

// ------------------------------------------------------------------------------------------------
// Errors.
// ------------------------------------------------------------------------------------------------

function withStderr(message: string, stderr: string): string {
  const text = stderr.trim();
  return text ? `${message}\n--- policy pack stderr ---\n${text}` : message;
}

/** The pack failed to start: bad port line, early exit, timeout, missing files. */
export class PolicyPackStartError extends Error {
  constructor(
    message: string,
    readonly stderr = "",
    readonly stdout = "",
  ) {
    super(withStderr(message, stderr));
    this.name = "PolicyPackStartError";
  }
}

/** An RPC to the pack failed. `code` is the gRPC status code. */
export class PolicyPackRpcError extends Error {
  readonly code: number;
  readonly details: string;
  constructor(method: string, err: GrpcJs.ServiceError, stderr: string) {
    super(
      withStderr(
        `${method} failed (${grpc.status[err.code] ?? err.code}): ${err.details || err.message}`,
        stderr,
      ),
    );
    this.name = "PolicyPackRpcError";
    this.code = err.code;
    this.details = err.details;
  }
}

/** Policy config rejected by reconciliation/validation, like the CLI rejects it. */
export class PolicyConfigError extends Error {
  constructor(
    message: string,
    readonly errors: string[],
  ) {
    super(errors.length ? `${message}\n  ${errors.join("\n  ")}` : message);
    this.name = "PolicyConfigError";
  }
}

// ------------------------------------------------------------------------------------------------
// Small helpers.
// ------------------------------------------------------------------------------------------------

function isEnforcementLevel(v: unknown): v is EnforcementLevel {
  return typeof v === "string" && (ENFORCEMENT_LEVELS as readonly string[]).includes(v);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== "object" || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

const levelToProto: Record<EnforcementLevel, AnalyzerPb.EnforcementLevel> = {
  advisory: pb.EnforcementLevel.ADVISORY,
  mandatory: pb.EnforcementLevel.MANDATORY,
  disabled: pb.EnforcementLevel.DISABLED,
  remediate: pb.EnforcementLevel.REMEDIATE,
};

function levelFromProto(level: number): EnforcementLevel {
  switch (level) {
    case pb.EnforcementLevel.ADVISORY:
      return "advisory";
    case pb.EnforcementLevel.MANDATORY:
      return "mandatory";
    case pb.EnforcementLevel.DISABLED:
      return "disabled";
    case pb.EnforcementLevel.REMEDIATE:
      return "remediate";
    default:
      throw new Error(`invalid enforcement level ${level}`);
  }
}

function severityFromProto(severity: number): PolicySeverity | undefined {
  switch (severity) {
    case pb.PolicySeverity.POLICY_SEVERITY_LOW:
      return "low";
    case pb.PolicySeverity.POLICY_SEVERITY_MEDIUM:
      return "medium";
    case pb.PolicySeverity.POLICY_SEVERITY_HIGH:
      return "high";
    case pb.PolicySeverity.POLICY_SEVERITY_CRITICAL:
      return "critical";
    default:
      return undefined;
  }
}

function policyTypeFromProto(t: number): PolicyType {
  if (t === pb.PolicyType.POLICY_TYPE_RESOURCE) return "resource";
  if (t === pb.PolicyType.POLICY_TYPE_STACK) return "stack";
  return "unknown";
}

/** Deep-copies a value into plain JSON-like data for google.protobuf.Struct (undefined dropped, like the engine). */
function toStructData(value: unknown, where: string): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "boolean":
    case "number":
      return value;
    case "undefined":
      return undefined;
    case "object": {
      if (Array.isArray(value)) {
        return value.map((v, i) => {
          const converted = toStructData(v, `${where}[${i}]`);
          return converted === undefined ? null : converted;
        });
      }
      if (!isPlainObject(value)) {
        throw new TypeError(`${where}: only plain objects, arrays and primitives can be sent as properties`);
      }
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const converted = toStructData(v, `${where}.${k}`);
        if (converted !== undefined) out[k] = converted;
      }
      return out;
    }
    default:
      throw new TypeError(`${where}: cannot send a ${typeof value} as a property value`);
  }
}

/** Converts plain properties to a google.protobuf.Struct. UNKNOWN and secret() pass through as-is. */
export function toStruct(
  properties: Record<string, unknown> | undefined,
  where = "properties",
): StructPb.Struct {
  const data = toStructData(properties ?? {}, where) as Record<string, StructPb.JavaScriptValue>;
  return structPb.Struct.fromJavaScript(data);
}

/** Qualified type of a URN (`parentType$type`), i.e. the part between project and name. */
function urnQualifiedType(urn: string): string | undefined {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts[2] : undefined;
}

/**
 * The engine's URN: `urn:pulumi:<stack>::<project>::<qualified type>::<name>`, where the
 * qualified type is prefixed with the parent's (`parentType$type`) unless the parent is the stack.
 */
export function makeUrn(
  stack: string,
  project: string,
  type: string,
  name: string,
  parentUrn?: string,
): string {
  let qualified = type;
  if (parentUrn) {
    const parentType = urnQualifiedType(parentUrn);
    if (parentType && parentType !== "pulumi:pulumi:Stack") qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

/** Reads the top-level scalar keys of a PulumiPolicy.yaml (runtime, version, description...). */
function readPolicyProject(packDir: string): Record<string, string> {
  const file = path.join(packDir, "PulumiPolicy.yaml");
  if (!existsSync(file)) {
    throw new PolicyPackStartError(
      `failed to load Pulumi policy project located at "${packDir}": no PulumiPolicy.yaml`,
    );
  }
  const out: Record<string, string> = {};
  let inRuntime = false;
  for (const line of readFileSync(file, "utf8").split(/\r?\n/)) {
    if (/^\s*(#|$)/.test(line)) continue;
    const top = /^([A-Za-z_][\w-]*):\s*(.*?)\s*$/.exec(line);
    if (top) {
      const [, key = "", rawValue = ""] = top;
      out[key] = rawValue.replace(/^(["'])(.*)\1$/, "$2");
      inRuntime = key === "runtime" && rawValue === "";
      continue;
    }
    const nested = inRuntime ? /^\s+name:\s*(.*?)\s*$/.exec(line) : null;
    if (nested) out.runtime = (nested[1] ?? "").replace(/^(["'])(.*)\1$/, "$2");
  }
  if (!out.runtime) {
    throw new PolicyPackStartError(
      `failed to load Pulumi policy project located at "${packDir}": runtime is required`,
    );
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Config reconciliation (what the engine does before Configure).
// ------------------------------------------------------------------------------------------------

interface GivenPolicyConfig {
  enforcementLevel?: EnforcementLevel;
  properties?: Record<string, unknown>;
}

/** Parses a config file's contents like the CLI (a bare string is a level; objects may carry `enforcementLevel`). */
function parsePolicyPackConfig(config: PolicyPackConfig): Record<string, GivenPolicyConfig> {
  const result: Record<string, GivenPolicyConfig> = {};
  for (const [key, value] of Object.entries(config)) {
    let enforcementLevel: EnforcementLevel | undefined;
    let properties: Record<string, unknown> | undefined;
    if (typeof value === "string") {
      if (!isEnforcementLevel(value)) {
        throw new PolicyConfigError(
          `parsing enforcement level for "${key}": "${value}" is not a valid enforcement level`,
          [],
        );
      }
      enforcementLevel = value;
    } else if (isPlainObject(value)) {
      const { enforcementLevel: level, ...rest } = value;
      if (level !== undefined) {
        if (typeof level !== "string") {
          throw new PolicyConfigError(
            `parsing enforcement level for "${key}": ${JSON.stringify(level)} is not a valid enforcement level; must be a string`,
            [],
          );
        }
        if (!isEnforcementLevel(level)) {
          throw new PolicyConfigError(
            `parsing enforcement level for "${key}": "${level}" is not a valid enforcement level`,
            [],
          );
        }
        enforcementLevel = level;
      }
      if (Object.keys(rest).length > 0) properties = toStructData(rest, key) as Record<string, unknown>;
    } else {
      throw new PolicyConfigError(
        `parsing "${key}": ${JSON.stringify(value)} is not a valid value; must be a string or object`,
        [],
      );
    }
    if (enforcementLevel === undefined && properties === undefined) continue; // empty entries are dropped
    result[key] = { enforcementLevel, properties };
  }
  return result;
}

/** The engine's applyConfig: `"all"` sets every policy's level (only its level), then per-policy entries merge. */
function applyConfig(
  result: Record<string, EffectivePolicyConfig>,
  toApply: Record<string, GivenPolicyConfig>,
): void {
  const allLevel = toApply.all?.enforcementLevel;
  if (allLevel) {
    for (const entry of Object.values(result)) entry.enforcementLevel = allLevel;
  }
  for (const [name, given] of Object.entries(toApply)) {
    const entry = result[name];
    if (!entry) continue; // "all" and unknown names: see reconcilePolicyConfig
    if (given.enforcementLevel) entry.enforcementLevel = given.enforcementLevel;
    if (given.properties) Object.assign(entry.properties, structuredClone(given.properties));
  }
}

function jsonTypeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(expected: string, v: unknown): boolean {
  const actual = jsonTypeOf(v);
  return expected === actual || (expected === "number" && actual === "integer");
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * A small JSON-schema validator covering what policy config schemas use (type, enum, const,
 * minimum/maximum, exclusive bounds, multipleOf, string length, pattern, items, array length,
 * nested properties/required/additionalProperties). Messages follow gojsonschema (the CLI's
 * validator): `field: Invalid type. Expected: integer, given: string`, `field is required`.
 */
export function validateJsonSchema(schema: JsonSchema, value: unknown, field = "(root)"): string[] {
  const errors: string[] = [];
  const at = (msg: string) => errors.push(field === "(root)" ? msg : `${field}: ${msg}`);
  const child = (key: string | number) => (field === "(root)" ? String(key) : `${field}.${key}`);

  const type = schema.type;
  if (typeof type === "string" || Array.isArray(type)) {
    const types = (Array.isArray(type) ? type : [type]).map(String);
    if (!types.some((t) => typeMatches(t, value))) {
      at(`Invalid type. Expected: ${types.join(", ")}, given: ${jsonTypeOf(value)}`);
      return errors;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e) => sameJson(e, value))) {
    at(`${field} must be one of the following: ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}`);
  }
  if ("const" in schema && !sameJson(schema.const, value)) {
    at(`${field} does not match: ${JSON.stringify(schema.const)}`);
  }
  if (typeof value === "number") {
    const { minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf } = schema;
    if (typeof minimum === "number" && value < minimum) at(`Must be greater than or equal to ${minimum}`);
    if (typeof maximum === "number" && value > maximum) at(`Must be less than or equal to ${maximum}`);
    if (typeof exclusiveMinimum === "number" && value <= exclusiveMinimum)
      at(`Must be greater than ${exclusiveMinimum}`);
    if (typeof exclusiveMaximum === "number" && value >= exclusiveMaximum)
      at(`Must be less than ${exclusiveMaximum}`);
    if (typeof multipleOf === "number" && multipleOf > 0 && !Number.isInteger(value / multipleOf)) {
      at(`Must be a multiple of ${multipleOf}`);
    }
  }
  if (typeof value === "string") {
    const length = [...value].length;
    if (typeof schema.minLength === "number" && length < schema.minLength) {
      at(`String length must be greater than or equal to ${schema.minLength}`);
    }
    if (typeof schema.maxLength === "number" && length > schema.maxLength) {
      at(`String length must be less than or equal to ${schema.maxLength}`);
    }
    if (typeof schema.pattern === "string" && !new RegExp(schema.pattern, "u").test(value)) {
      at(`Does not match pattern '${schema.pattern}'`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) {
      at(`Array must have at least ${schema.minItems} items`);
    }
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
      at(`Array must have at most ${schema.maxItems} items`);
    }
    if (isPlainObject(schema.items)) {
      const items = schema.items;
      value.forEach((item, i) => {
        errors.push(...validateJsonSchema(items, item, child(i)));
      });
    }
  }
  if (isPlainObject(value)) {
    const props = isPlainObject(schema.properties) ? schema.properties : {};
    if (Array.isArray(schema.required)) {
      for (const req of schema.required) {
        if (typeof req === "string" && !(req in value)) errors.push(`${req} is required`);
      }
    }
    for (const [key, v] of Object.entries(value)) {
      const propSchema = props[key];
      if (isPlainObject(propSchema)) {
        errors.push(...validateJsonSchema(propSchema, v, child(key)));
      } else if (schema.additionalProperties === false) {
        at(`Additional property ${key} is not allowed`);
      } else if (isPlainObject(schema.additionalProperties)) {
        errors.push(...validateJsonSchema(schema.additionalProperties, v, child(key)));
      }
    }
  }
  return errors;
}

/**
 * The engine's ReconcilePolicyPackConfig, for a pack's GetAnalyzerInfo result and a config file's
 * contents: start every policy from its level and its schema `default`s, apply the pack's initial
 * config, then `config` (`"all"` level first, then per-policy entries), and validate each policy's
 * properties against `{ type: object, properties, required }`. Returns one entry per policy of
 * the pack, each with an explicit level.
 *
 * Differences from the engine, on purpose: a name that is neither a policy nor `"all"` is an error
 * (the engine forwards it and the SDK ignores it), and `"all"` is not itself sent to the pack
 * (only its level is used; the engine forwards it too and the SDK ignores it).
 */
export function reconcilePolicyConfig(
  info: AnalyzerInfo,
  config: PolicyPackConfig = {},
): Record<string, EffectivePolicyConfig> {
  const given = parsePolicyPackConfig(config);
  const unknownNames = Object.keys(given).filter(
    (name) => name !== "all" && !info.policies.some((p) => p.name === name),
  );
  if (unknownNames.length > 0) {
    throw new PolicyConfigError(
      `policy pack "${info.name}" has no polic${unknownNames.length === 1 ? "y" : "ies"} named ${unknownNames
        .map((n) => `"${n}"`)
        .join(", ")}`,
      [],
    );
  }

  const result: Record<string, EffectivePolicyConfig> = {};
  for (const policy of info.policies) {
    const properties: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
      if ("default" in schema) properties[key] = structuredClone(schema.default);
    }
    result[policy.name] = { enforcementLevel: policy.enforcementLevel, properties };
  }

  const initial: Record<string, GivenPolicyConfig> = {};
  for (const [name, entry] of Object.entries(info.initialConfig)) {
    initial[name] = { enforcementLevel: entry.enforcementLevel, properties: entry.properties };
  }
  applyConfig(result, initial);
  applyConfig(result, given);

  const errors: string[] = [];
  for (const policy of info.policies) {
    if (!policy.configSchema) continue;
    const schema: JsonSchema = {
      type: "object",
      properties: policy.configSchema.properties,
      required: policy.configSchema.required,
    };
    for (const e of validateJsonSchema(schema, result[policy.name]?.properties ?? {})) {
      errors.push(`${policy.name}: ${e}`);
    }
  }
  if (errors.length > 0) {
    throw new PolicyConfigError(
      `invalid configuration for policy pack "${info.name}" ${info.version}:`,
      errors,
    );
  }
  return result;
}

// ------------------------------------------------------------------------------------------------
// Message conversion.
// ------------------------------------------------------------------------------------------------

function policyInfoFromProto(p: AnalyzerPb.PolicyInfo): PolicyInfo {
  const info: PolicyInfo = {
    name: p.getName(),
    description: p.getDescription(),
    enforcementLevel: levelFromProto(p.getEnforcementlevel()),
    policyType: policyTypeFromProto(p.getPolicyType()),
    tags: p.getTagsList(),
  };
  if (p.getDisplayname()) info.displayName = p.getDisplayname();
  if (p.getMessage()) info.message = p.getMessage();
  const schema = p.getConfigschema();
  if (schema) {
    info.configSchema = {
      properties: (schema.getProperties()?.toJavaScript() ?? {}) as Record<string, JsonSchema>,
      required: schema.getRequiredList(),
    };
  }
  const severity = severityFromProto(p.getSeverity());
  if (severity) info.severity = severity;
  if (p.getRemediationSteps()) info.remediationSteps = p.getRemediationSteps();
  if (p.getUrl()) info.url = p.getUrl();
  const fw = p.getFramework();
  if (fw) {
    info.framework = {
      name: fw.getName(),
      version: fw.getVersion(),
      reference: fw.getReference(),
      specification: fw.getSpecification(),
    };
  }
  return info;
}

function notApplicableFromProto(list: AnalyzerPb.PolicyNotApplicable[]): NotApplicable[] {
  return list.map((n) => ({ policyName: n.getPolicyName(), reason: n.getReason() }));
}

function optionsToProto(
  opts: ResourceOptionsInput = {},
  parent?: string,
): AnalyzerPb.AnalyzerResourceOptions {
  const o = new pb.AnalyzerResourceOptions();
  o.setProtect(opts.protect ?? false);
  o.setIgnorechangesList(opts.ignoreChanges ?? []);
  o.setDeletebeforereplace(opts.deleteBeforeReplace ?? false);
  o.setDeletebeforereplacedefined(opts.deleteBeforeReplace !== undefined);
  o.setAdditionalsecretoutputsList(opts.additionalSecretOutputs ?? []);
  o.setAliasesList(opts.aliases ?? []);
  const timeouts = new pb.AnalyzerResourceOptions.CustomTimeouts();
  timeouts.setCreate(opts.customTimeouts?.create ?? 0);
  timeouts.setUpdate(opts.customTimeouts?.update ?? 0);
  timeouts.setDelete(opts.customTimeouts?.delete ?? 0);
  o.setCustomtimeouts(timeouts); // the engine always sends one
  o.setParent(opts.parent ?? parent ?? "");
  return o;
}

// ------------------------------------------------------------------------------------------------
// Process + client.
// ------------------------------------------------------------------------------------------------

const liveChildren = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  liveChildren.add(child);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.once("exit", () => {
      for (const c of liveChildren) c.kill("SIGKILL");
    });
  }
}

class PolicyPackEngine implements EngineClient {
  private readonly client: AnalyzerGrpc.AnalyzerClient;
  private info: AnalyzerInfo | undefined;
  private current: StackSettings;
  private closing: Promise<ExitStatus> | undefined;

  constructor(
    readonly packDir: string,
    readonly port: number,
    readonly startupMs: number,
    private readonly child: ChildProcess,
    private readonly output: { stdoutAfterPort: string; stderr: string },
    private readonly exited: Promise<ExitStatus>,
    private readonly getExit: () => ExitStatus | undefined,
    private readonly project: Record<string, string>,
    private readonly opts: StartOptions,
    settings: StackSettings,
  ) {
    this.current = settings;
    this.client = new rpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": MAX_RPC_MESSAGE_SIZE,
      "grpc.max_send_message_length": MAX_RPC_MESSAGE_SIZE,
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get settings(): Readonly<StackSettings> {
    return { ...this.current };
  }

  stderr(): string {
    return this.output.stderr;
  }

  stdoutAfterPort(): string {
    return this.output.stdoutAfterPort;
  }

  exitStatus(): ExitStatus | undefined {
    return this.getExit();
  }

  private unary<Res>(
    method: string,
    invoke: (
      metadata: GrpcJs.Metadata,
      options: Partial<GrpcJs.CallOptions>,
      callback: (err: GrpcJs.ServiceError | null, res: Res) => void,
    ) => void,
  ): Promise<Res> {
    if (this.closing) return Promise.reject(new Error(`${method}: the policy pack client is closed`));
    const deadline = Date.now() + (this.opts.rpcTimeoutMs ?? 30_000);
    return new Promise<Res>((resolve, reject) => {
      invoke(new grpc.Metadata(), { deadline }, (err, res) => {
        if (err) reject(new PolicyPackRpcError(method, err, this.output.stderr));
        else resolve(res);
      });
    });
  }

  async handshake(): Promise<boolean> {
    const req = new pb.AnalyzerHandshakeRequest();
    req.setEngineAddress(FAKE_ENGINE_ADDRESS);
    req.setRootDirectory(this.packDir);
    req.setProgramDirectory(this.packDir);
    try {
      await this.unary<AnalyzerPb.AnalyzerHandshakeResponse>("Handshake", (m, o, cb) =>
        this.client.handshake(req, m, o, cb),
      );
      return true;
    } catch (e) {
      if (e instanceof PolicyPackRpcError && e.code === grpc.status.UNIMPLEMENTED) return false;
      throw e;
    }
  }

  async configureStack(args: ConfigureStackArgs = {}): Promise<void> {
    const next: StackSettings = {
      stack: args.stack ?? this.current.stack,
      project: args.project ?? this.current.project,
      organization: args.organization ?? this.current.organization,
      dryRun: args.dryRun ?? this.current.dryRun,
    };
    const req = new pb.AnalyzerStackConfigureRequest();
    req.setStack(next.stack);
    req.setProject(next.project);
    req.setOrganization(next.organization);
    req.setDryRun(next.dryRun);
    for (const [k, v] of Object.entries(args.tags ?? {})) req.getTagsMap().set(k, v);
    for (const [k, v] of Object.entries(args.config ?? this.opts.stackConfig ?? {}))
      req.getConfigMap().set(k, v);
    req.setConfigSecretKeysList(args.configSecretKeys ?? []);
    try {
      await this.unary<AnalyzerPb.AnalyzerStackConfigureResponse>("ConfigureStack", (m, o, cb) =>
        this.client.configureStack(req, m, o, cb),
      );
    } catch (e) {
      // The engine tolerates packs that predate ConfigureStack.
      if (!(e instanceof PolicyPackRpcError && e.code === grpc.status.UNIMPLEMENTED)) throw e;
    }
    this.current = next;
  }

  async getAnalyzerInfo(): Promise<AnalyzerInfo> {
    const res = await this.unary<AnalyzerPb.AnalyzerInfo>("GetAnalyzerInfo", (m, o, cb) =>
      this.client.getAnalyzerInfo(new emptyPb.Empty(), m, o, cb),
    );
    const initialConfig: Record<string, EffectivePolicyConfig> = {};
    res.getInitialconfigMap().forEach((cfg, name) => {
      initialConfig[name] = {
        enforcementLevel: levelFromProto(cfg.getEnforcementlevel()),
        properties: (cfg.getProperties()?.toJavaScript() ?? {}) as Record<string, unknown>,
      };
    });
    const info: AnalyzerInfo = {
      name: res.getName(),
      version: this.project.version || res.getVersion(),
      supportsConfig: res.getSupportsconfig(),
      tags: res.getTagsList(),
      policies: res
        .getPoliciesList()
        .map(policyInfoFromProto)
        .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
      initialConfig,
    };
    if (res.getDisplayname()) info.displayName = res.getDisplayname();
    const description = res.getDescription() || this.project.description;
    if (description) info.description = description;
    if (res.getReadme()) info.readme = res.getReadme();
    if (res.getProvider()) info.provider = res.getProvider();
    if (res.getRepository()) info.repository = res.getRepository();
    this.info = info;
    return info;
  }

  async getPluginInfo(): Promise<{ version: string }> {
    const res = await this.unary<PluginPb.PluginInfo>("GetPluginInfo", (m, o, cb) =>
      this.client.getPluginInfo(new emptyPb.Empty(), m, o, cb),
    );
    return { version: res.getVersion() };
  }

  async configure(config: PolicyPackConfig = {}): Promise<Record<string, EffectivePolicyConfig>> {
    const info = this.info ?? (await this.getAnalyzerInfo());
    const effective = reconcilePolicyConfig(info, config);
    if (!info.supportsConfig) return effective; // the engine skips Configure then
    const req = new pb.ConfigureAnalyzerRequest();
    for (const [name, entry] of Object.entries(effective)) {
      const pc = new pb.PolicyConfig();
      pc.setEnforcementlevel(levelToProto[entry.enforcementLevel]); // always explicit: 0 would mean advisory
      pc.setProperties(toStruct(entry.properties, `config.${name}`)); // the SDK dereferences it unconditionally
      req.getPolicyconfigMap().set(name, pc);
    }
    await this.unary<EmptyPb.Empty>("Configure", (m, o, cb) => this.client.configure(req, m, o, cb));
    return effective;
  }

  private urnFor(r: {
    urn?: string;
    type: string;
    name: string;
    parent?: string;
    options?: ResourceOptionsInput;
  }) {
    return (
      r.urn ??
      makeUrn(this.current.stack, this.current.project, r.type, r.name, r.parent ?? r.options?.parent)
    );
  }

  private providerToProto(p: ProviderInput): AnalyzerPb.AnalyzerProviderResource {
    const prov = new pb.AnalyzerProviderResource();
    prov.setType(p.type);
    prov.setName(p.name);
    prov.setUrn(p.urn ?? makeUrn(this.current.stack, this.current.project, p.type, p.name));
    prov.setProperties(toStruct(p.properties, "provider.properties"));
    return prov;
  }

  private analyzeRequest(r: ResourceInput): AnalyzerPb.AnalyzeRequest {
    const req = new pb.AnalyzeRequest();
    req.setUrn(this.urnFor(r));
    req.setType(r.type);
    req.setName(r.name);
    req.setProperties(toStruct(r.properties));
    req.setOptions(optionsToProto(r.options, r.parent));
    if (r.provider) req.setProvider(this.providerToProto(r.provider));
    return req;
  }

  private async diagnosticsFromProto(list: AnalyzerPb.AnalyzeDiagnostic[]): Promise<Diagnostic[]> {
    if (list.some((d) => !severityFromProto(d.getSeverity())) && !this.info) {
      await this.getAnalyzerInfo(); // the engine looks policy severities up lazily too
    }
    return list.map((d) => {
      const diag: Diagnostic = {
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        policyPackVersion: this.project.version || d.getPolicypackversion(),
        description: d.getDescription(),
        message: d.getMessage(),
        enforcementLevel: levelFromProto(d.getEnforcementlevel()),
        urn: d.getUrn(),
      };
      const severity =
        severityFromProto(d.getSeverity()) ??
        this.info?.policies.find((p) => p.name === diag.policyName)?.severity;
      if (severity) diag.severity = severity;
      return diag;
    });
  }

  async remediate(resource: ResourceInput): Promise<RemediateResult> {
    const res = await this.unary<AnalyzerPb.RemediateResponse>("Remediate", (m, o, cb) =>
      this.client.remediate(this.analyzeRequest(resource), m, o, cb),
    );
    return {
      remediations: res.getRemediationsList().map((r) => {
        const out: Remediation = {
          policyName: r.getPolicyname(),
          policyPackName: r.getPolicypackname(),
          policyPackVersion: this.project.version || r.getPolicypackversion(),
          description: r.getDescription(),
        };
        const props = r.getProperties();
        if (props) out.properties = props.toJavaScript() as Record<string, unknown>;
        if (r.getDiagnostic()) out.diagnostic = r.getDiagnostic();
        return out;
      }),
      notApplicable: notApplicableFromProto(res.getNotApplicableList()),
    };
  }

  async analyze(resource: ResourceInput): Promise<AnalyzeResult> {
    const res = await this.unary<AnalyzerPb.AnalyzeResponse>("Analyze", (m, o, cb) =>
      this.client.analyze(this.analyzeRequest(resource), m, o, cb),
    );
    return {
      diagnostics: await this.diagnosticsFromProto(res.getDiagnosticsList()),
      notApplicable: notApplicableFromProto(res.getNotApplicableList()),
    };
  }

  async analyzeStack(resources: StackResourceInput[]): Promise<AnalyzeResult> {
    const req = new pb.AnalyzeStackRequest();
    for (const r of resources) {
      const ar = new pb.AnalyzerResource();
      ar.setUrn(this.urnFor(r));
      ar.setType(r.type);
      ar.setName(r.name);
      ar.setProperties(toStruct(r.properties));
      ar.setOptions(optionsToProto(r.options, r.parent));
      if (r.provider) ar.setProvider(this.providerToProto(r.provider));
      ar.setParent(r.parent ?? r.options?.parent ?? "");
      ar.setDependenciesList(r.dependencies ?? []);
      for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
        if (urns.length === 0) continue; // the engine skips properties without dependencies
        const deps = new pb.AnalyzerPropertyDependencies();
        deps.setUrnsList(urns);
        ar.getPropertydependenciesMap().set(key, deps);
      }
      req.addResources(ar);
    }
    const res = await this.unary<AnalyzerPb.AnalyzeResponse>("AnalyzeStack", (m, o, cb) =>
      this.client.analyzeStack(req, m, o, cb),
    );
    return {
      diagnostics: await this.diagnosticsFromProto(res.getDiagnosticsList()),
      notApplicable: notApplicableFromProto(res.getNotApplicableList()),
    };
  }

  close(): Promise<ExitStatus> {
    if (!this.closing) {
      this.client.close();
      this.closing = (async () => {
        if (!this.getExit()) {
          this.child.kill("SIGTERM");
          const timer = setTimeout(() => this.child.kill("SIGKILL"), 5_000);
          try {
            await this.exited;
          } finally {
            clearTimeout(timer);
          }
        }
        return this.exited;
      })();
    }
    return this.closing;
  }
}

/**
 * Starts the policy pack in `packDir` the way the engine does and returns a client once it has
 * written a valid port. Stack settings default to organization "organization", project
 * "project", stack "dev", dryRun true (a preview).
 */
export async function startPolicyPack(packDir: string, opts: StartOptions = {}): Promise<EngineClient> {
  const dir = path.resolve(packDir);
  const project = readPolicyProject(dir);
  if (project.runtime !== "nodejs") {
    throw new PolicyPackStartError(
      `the harness only runs nodejs policy packs; ${dir} has runtime "${project.runtime}"`,
    );
  }
  let runPolicyPack: string;
  try {
    runPolicyPack = createRequire(path.join(dir, "package.json")).resolve(
      "@pulumi/pulumi/cmd/run-policy-pack",
    );
  } catch {
    throw new PolicyPackStartError(
      `it looks like the policy pack's dependencies are not installed; try running npm install or yarn install in "${dir}"`,
    );
  }

  const settings: StackSettings = {
    stack: opts.stack ?? "dev",
    project: opts.project ?? "project",
    organization: opts.organization ?? "organization",
    dryRun: opts.dryRun ?? true,
  };
  const env: Record<string, string | undefined> = { ...process.env };
  const setIfNonEmpty = (k: string, v: string) => {
    if (v !== "") env[k] = v;
  };
  if (opts.stackConfig) setIfNonEmpty("PULUMI_CONFIG", JSON.stringify(opts.stackConfig));
  setIfNonEmpty("PULUMI_NODEJS_ORGANIZATION", settings.organization);
  setIfNonEmpty("PULUMI_NODEJS_PROJECT", settings.project);
  setIfNonEmpty("PULUMI_NODEJS_STACK", settings.stack);
  setIfNonEmpty("PULUMI_NODEJS_DRY_RUN", String(settings.dryRun));
  setIfNonEmpty("PULUMI_ORGANIZATION", settings.organization);
  setIfNonEmpty("PULUMI_PROJECT", settings.project);
  setIfNonEmpty("PULUMI_STACK", settings.stack);
  setIfNonEmpty("PULUMI_DRY_RUN", String(settings.dryRun));
  Object.assign(env, opts.env);

  const timeoutMs = opts.timeoutMs ?? 30_000;
  const t0 = performance.now();
  const child = spawn(process.execPath, [...(opts.nodeArgs ?? []), runPolicyPack, FAKE_ENGINE_ADDRESS, "."], {
    cwd: dir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  track(child);

  const output = { stdoutBeforePort: "", stdoutAfterPort: "", stderr: "" };
  let exitStatus: ExitStatus | undefined;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once("close", (code, signal) => {
      exitStatus = { code, signal };
      liveChildren.delete(child);
      resolve(exitStatus);
    });
  });
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => {
    output.stderr += chunk;
  });
  child.stdout?.setEncoding("utf8");

  const kill = async () => {
    if (!exitStatus) child.kill("SIGKILL");
    await exited;
  };

  const port = await new Promise<number>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    // A spawn error may come without a "close" event, so that path does not wait for the exit.
    const fail = (message: string, waitForExit = true) =>
      settle(() => {
        void (waitForExit ? kill() : Promise.resolve()).then(() =>
          reject(
            new PolicyPackStartError(
              message,
              output.stderr,
              output.stdoutBeforePort + output.stdoutAfterPort,
            ),
          ),
        );
      });
    const timer = setTimeout(
      () => fail(`policy pack at ${dir} did not write its port within ${timeoutMs} ms`),
      timeoutMs,
    );

    child.stdout?.on("data", (chunk: string) => {
      if (settled) {
        output.stdoutAfterPort += chunk;
        return;
      }
      output.stdoutBeforePort += chunk;
      const nl = output.stdoutBeforePort.indexOf("\n");
      if (nl < 0) return;
      const line = output.stdoutBeforePort.slice(0, nl).trim();
      output.stdoutAfterPort = output.stdoutBeforePort.slice(nl + 1);
      const n = Number(line);
      if (!/^\d+$/.test(line) || n <= 0 || n > 65535) {
        fail(`policy pack at ${dir} wrote an invalid port to stdout: ${JSON.stringify(line)}`);
        return;
      }
      settle(() => resolve(n));
    });
    child.once("error", (err) => fail(`failed to start policy pack at ${dir}: ${err.message}`, false));
    void exited.then((status) =>
      fail(
        `policy pack at ${dir} exited (code ${status.code}, signal ${status.signal}) before writing its port` +
          (output.stdoutBeforePort ? `; stdout: ${JSON.stringify(output.stdoutBeforePort)}` : ""),
      ),
    );
  });

  const startupMs = performance.now() - t0;
  return new PolicyPackEngine(
    dir,
    port,
    startupMs,
    child,
    output,
    exited,
    () => exitStatus,
    project,
    opts,
    settings,
  );
}

export interface LaunchOptions extends StartOptions {
  /** Policy pack config, as a `--policy-pack-config` file holds it. */
  config?: PolicyPackConfig;
  /** Stack tags sent with ConfigureStack. */
  tags?: Record<string, string>;
}

export interface LaunchedPolicyPack {
  client: EngineClient;
  info: AnalyzerInfo;
  config: Record<string, EffectivePolicyConfig>;
}

/**
 * Starts a pack and runs the engine's whole start-up sequence: Handshake (tolerating
 * UNIMPLEMENTED), ConfigureStack, GetAnalyzerInfo, Configure, GetPluginInfo. Closes the pack if
 * any step fails.
 */
export async function launchPolicyPack(
  packDir: string,
  opts: LaunchOptions = {},
): Promise<LaunchedPolicyPack> {
  const client = await startPolicyPack(packDir, opts);
  try {
    await client.handshake();
    await client.configureStack(opts.tags ? { tags: opts.tags } : {});
    const info = await client.getAnalyzerInfo();
    const config = await client.configure(opts.config);
    await client.getPluginInfo();
    return { client, info, config };
  } catch (e) {
    await client.close();
    throw e;
  }
}
