import type { PriceCatalog } from "../catalog/catalog.js";
import {
  createContext,
  type EstimatorOptions,
  estimateResource,
  estimateStack,
  type StackEstimate,
  stackLinks,
} from "../estimate/estimator.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../estimate/types.js";
import { ZERO } from "../money.js";
import { type AcceleratorTypes, acceleratorTypes } from "../pricing/accelerator-types.js";
import { familyOf } from "../pricing/pricer.js";
import { isPricedType } from "../resources/registry.js";
import { acceleratorMentions, describesOthers } from "../resources/tripwire.js";
import { describeConfigError } from "./config-schema.js";
import { jsonEqual } from "./json-equal.js";
import type { OrgSpend } from "./org-spend.js";
import { type Rule, type RuleContext, RunningTotal, type StackBefore } from "./rule.js";
import type { Verdict } from "./verdict.js";

export interface GateOptions extends EstimatorOptions {
  stack: string;
  organization?: string | undefined;
  now?: () => Date;
  /** The organisation's spend in other stacks, for a front door that read the ledger up front (`check`). */
  orgSpend?: OrgSpend;
  /** Why that front door could not read it. */
  orgSpendUnavailable?: string;
  /** The old state, for a front door that has it: budgets judge the change. */
  before?: StackBefore;
}

/** Parsed configs by policy and raw JSON: the SDK hands a fresh copy of the same config per resource. */
const parsedConfigs = new Map<string, unknown>();
/**
 * The config each policy was last given. The SDK's copy is shallow (its values are the very objects
 * Configure built), so a shallow comparison recognises it without serialising it per resource.
 */
const lastConfigs = new Map<string, { raw: Record<string, unknown>; parsed: unknown }>();

function shallowEqual(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}

export function parseRuleConfig<C>(rule: Rule<C>, raw: unknown): C {
  const given = (raw ?? {}) as Record<string, unknown>;
  const last = lastConfigs.get(rule.name);
  if (last && typeof given === "object" && shallowEqual(last.raw, given)) return last.parsed as C;
  const key = `${rule.name}|${JSON.stringify(given)}`;
  let parsed = parsedConfigs.get(key) as C | undefined;
  if (parsed === undefined) {
    const result = rule.config.safeParse(given);
    if (!result.success) {
      throw new Error(
        `computeguard policy ${rule.name}: invalid config: ${describeConfigError(rule, result.error)}`,
      );
    }
    parsed = result.data;
    parsedConfigs.set(key, parsed);
  }
  if (typeof given === "object") lastConfigs.set(rule.name, { raw: given, parsed });
  return parsed;
}

/**
 * One analysis (a pack process, a `check` run): estimates resources as they arrive, keeps the
 * running totals budgets are judged on, and remembers what was already reported so the stack
 * phase adds only what the complete picture changes.
 */
export class GateSession {
  private links = stackLinks(false);
  private readonly cache = new Map<
    string,
    { props: Record<string, unknown>; providerRegion: string | undefined; estimate: ResourceEstimate }
  >();
  private readonly running = new Map<string, RunningTotal>();
  private readonly configs = new Map<string, unknown>();
  /** Per policy and resource, the most severe verdict the resource phase gave (one finding each). */
  private readonly said = new Map<string, Verdict>();
  /** Budgets the resource phase already judged, by policy, budget and decision. */
  private readonly saidBudgets = new Set<string>();
  /** The complete picture's figure for a finding the resource phase already made. */
  private readonly refined = new Map<string, Verdict>();
  private complete: { inputs: readonly ResourceInput[]; estimate: StackEstimate } | undefined;
  private bounding: readonly string[] | undefined;

  readonly context: RuleContext;

  constructor(private options: GateOptions) {
    this.context = {
      stack: options.stack,
      organization: options.organization,
      now: (options.now ?? (() => new Date()))(),
      totals: (key) => {
        let t = this.running.get(key);
        if (!t) {
          t = new RunningTotal(ZERO);
          this.running.set(key, t);
        }
        return t;
      },
      configOf: (policy) => this.configs.get(policy),
      ...(options.orgSpend ? { orgSpend: options.orgSpend } : {}),
      ...(options.orgSpendUnavailable ? { orgSpendUnavailable: options.orgSpendUnavailable } : {}),
      ...(options.before ? { before: options.before } : {}),
    };
  }

  /**
   * New pricing settings (the pack's, once Configure hands it computeguard-settings): everything
   * estimated, totalled or remembered with the old ones is dropped.
   */
  reconfigure(options: Omit<GateOptions, "stack" | "organization">): void {
    this.options = { ...options, stack: this.options.stack, organization: this.options.organization };
    this.links = stackLinks(false);
    this.resourceContext = undefined;
    this.cache.clear();
    this.running.clear();
    this.said.clear();
    this.saidBudgets.clear();
    this.refined.clear();
    this.complete = undefined;
    this.bounding = undefined;
    this.lastStackInputs = undefined;
    this.mentions = new WeakMap();
  }

  /** The price catalog in use (loaded on first use). */
  catalog(): PriceCatalog {
    return createContext(this.options, this.links).pricer.catalog;
  }

  /** Which instance types carry accelerators (from the catalog in use): what the tripwire looks for. */
  acceleratorTypes(): AcceleratorTypes {
    return acceleratorTypes(this.catalog());
  }

  /**
   * Whether any policy has something to say about this resource: its type has an adapter, or its
   * properties name an accelerator type no adapter prices (the tripwire). Most resources of a stack
   * (buckets, roles) are neither and never reach an adapter.
   */
  isCandidate(input: ResourceInput): boolean {
    return isPricedType(input.type) || this.tripped(input);
  }

  private mentions = new WeakMap<object, boolean>();

  private tripped(input: ResourceInput): boolean {
    if (describesOthers(input)) return false;
    let found = this.mentions.get(input.props);
    if (found === undefined) {
      found = acceleratorMentions(input.props, this.acceleratorTypes()).length > 0;
      this.mentions.set(input.props, found);
    }
    return found;
  }

  /** The price catalog's version, for audit records. */
  catalogVersion(): string {
    return this.catalog().version;
  }

  /** Allowed families bound the worst case of an instance type that is unknown during preview. */
  useAllowedFamilies(families: readonly string[]): void {
    if (families.length === 0 || this.bounding) return;
    const catalog = createContext(this.options, this.links).pricer.catalog;
    this.resourceContext = undefined;
    this.bounding = [
      ...new Set(
        catalog.entries.filter((e) => families.includes(familyOf(e.instanceType))).map((e) => e.instanceType),
      ),
    ];
  }

  private estimatorOptions(): EstimatorOptions {
    return this.bounding ? { ...this.options, boundingInstanceTypes: this.bounding } : this.options;
  }

  /** The resource phase's estimate context: built once per settings, allowed families and links. */
  private resourceContext: EstimateContext | undefined;

  /**
   * Per-resource estimate (links to resources analysed before it), cached by URN and props: every
   * policy asks for it in turn. Props are compared structurally (the same object, most of the
   * time), never serialised; callers hand in props they do not mutate afterwards.
   */
  estimate(input: ResourceInput): ResourceEstimate {
    const hit = this.cache.get(input.urn);
    if (hit && hit.providerRegion === input.providerRegion && jsonEqual(hit.props, input.props))
      return hit.estimate;
    this.links.add(input);
    this.resourceContext ??= createContext(this.estimatorOptions(), this.links);
    const estimate = estimateResource(input, this.resourceContext);
    this.cache.set(input.urn, { props: input.props, providerRegion: input.providerRegion, estimate });
    return estimate;
  }

  estimateComplete(inputs: readonly ResourceInput[]): StackEstimate {
    if (this.complete?.inputs !== inputs)
      this.complete = { inputs, estimate: estimateStack(inputs, this.estimatorOptions()) };
    return this.complete.estimate;
  }

  private lastStackInputs: { priced: ResourceInput[]; inputs: ResourceInput[] } | undefined;

  /**
   * The SDK rebuilds the resource list for every stack policy; converting once per AnalyzeStack
   * (same priced resources, same props) lets every policy share one complete estimate.
   */
  stackInputsFor<T>(resources: T[], convert: (resources: T[]) => ResourceInput[]): ResourceInput[] {
    const inputs = convert(resources);
    const last = this.lastStackInputs;
    if (last?.inputs === inputs) return inputs;
    const priced = inputs.filter((i) => this.isCandidate(i));
    if (last && last.inputs.length === inputs.length && samePricedInputs(last.priced, priced))
      return last.inputs;
    this.lastStackInputs = { priced, inputs };
    return inputs;
  }

  resourceVerdicts<C>(rule: Rule<C>, rawConfig: unknown, input: ResourceInput): Verdict[] {
    const config = this.remember(rule, rawConfig);
    if (!rule.checkResource || !this.isCandidate(input)) return [];
    const verdicts = rule.checkResource(this.estimate(input), config, this.context);
    for (const v of verdicts) {
      const key = resourceKey(v);
      const before = this.said.get(key);
      if (!before || RANK[v.decision] >= RANK[before.decision]) this.said.set(key, v);
      if (v.decision !== "passed")
        for (const b of budgetsOf(v)) this.saidBudgets.add(`${v.policy}|${b}|${v.decision}`);
    }
    return verdicts;
  }

  /**
   * The stack phase's version of a finding the resource phase already made, when the complete
   * picture gives it another figure (an endpoint configuration priced up to its scaling target's
   * maximum): a front door that shows one finding per resource shows this figure.
   */
  refinedVerdict(policy: string, urn: string): Verdict | undefined {
    return this.refined.get(`${policy}|${urn}`);
  }

  /** Whether the resource phase already said this (one finding per resource, policy and budget). */
  private alreadySaid(v: Verdict, rule: Rule<unknown>): boolean {
    if (v.urn === undefined) {
      return (
        rule.restatesBudgets === true &&
        v.decision !== "passed" &&
        budgetsOf(v).length > 0 &&
        budgetsOf(v).every((b) => this.saidBudgets.has(`${v.policy}|${b}|${v.decision}`))
      );
    }
    const before = this.said.get(resourceKey(v));
    if (!before || RANK[v.decision] > RANK[before.decision]) return false;
    if (v.decision === before.decision && v.message !== before.message) this.refined.set(resourceKey(v), v);
    return true;
  }

  stackVerdicts<C>(rule: Rule<C>, rawConfig: unknown, inputs: readonly ResourceInput[]): Verdict[] {
    const config = this.remember(rule, rawConfig);
    const { resources } = this.estimateComplete(inputs);
    // What the resource phase already said about a resource (or a budget) is not said again, at
    // another figure either: only what the complete picture makes worse, or adds, is.
    if (rule.checkStack)
      return rule
        .checkStack(resources, config, this.context)
        .filter((v) => !this.alreadySaid(v, rule as Rule<unknown>));
    if (!rule.checkResource) return [];
    // Resource rules again over linked estimates.
    return resources
      .flatMap((e) => rule.checkResource!(e, config, this.context))
      .filter((v) => !this.alreadySaid(v, rule as Rule<unknown>));
  }

  private remember<C>(rule: Rule<C>, raw: unknown): C {
    const config = parseRuleConfig(rule, raw);
    this.configs.set(rule.name, config);
    const families = rule.boundingFamilies?.(config);
    if (families) this.useAllowedFamilies(families);
    return config;
  }
}

const RANK: Readonly<Record<Verdict["decision"], number>> = { passed: 0, waived: 1, warned: 2, blocked: 3 };

function resourceKey(v: Verdict): string {
  return `${v.policy}|${v.urn ?? ""}`;
}

function budgetsOf(v: Verdict): readonly string[] {
  return v.budgets ?? (v.budget ? [v.budget] : []);
}

function samePricedInputs(a: readonly ResourceInput[], b: readonly ResourceInput[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (x.urn !== y.urn || x.providerRegion !== y.providerRegion) return false;
    if (!jsonEqual(x.props, y.props) || !jsonEqual(x.propertyDependencies, y.propertyDependencies))
      return false;
  }
  return true;
}
