import type { PriceCatalog } from "../catalog/catalog.js";
import {
  createContext,
  type EstimatorOptions,
  estimateResource,
  estimateStack,
  type StackEstimate,
} from "../estimate/estimator.js";
import { StackLinks } from "../estimate/links.js";
import type { ResourceEstimate, ResourceInput } from "../estimate/types.js";
import { ZERO } from "../money.js";
import { familyOf } from "../pricing/pricer.js";
import { describeZodError } from "../validation.js";
import { type Rule, type RuleContext, RunningTotal } from "./rule.js";
import type { Verdict } from "./verdict.js";

export interface GateOptions extends EstimatorOptions {
  stack: string;
  now?: () => Date;
}

/** Parsed configs by policy and raw JSON: the SDK hands a fresh copy of the same config per resource. */
const parsedConfigs = new Map<string, unknown>();

export function parseRuleConfig<C>(rule: Rule<C>, raw: unknown): C {
  const key = `${rule.name}|${JSON.stringify(raw ?? {})}`;
  if (parsedConfigs.has(key)) return parsedConfigs.get(key) as C;
  const parsed = rule.config.safeParse(raw ?? {});
  if (!parsed.success) {
    throw new Error(`computeguard policy ${rule.name}: invalid config: ${describeZodError(parsed.error)}`);
  }
  parsedConfigs.set(key, parsed.data);
  return parsed.data;
}

/**
 * One analysis (a pack process, a `check` run): estimates resources as they arrive, keeps the
 * running totals budgets are judged on, and remembers what was already reported so the stack
 * phase adds only what the complete picture changes.
 */
export class GateSession {
  private readonly links = new StackLinks(false);
  private readonly cache = new Map<string, { key: string; estimate: ResourceEstimate }>();
  private readonly running = new Map<string, RunningTotal>();
  private readonly configs = new Map<string, unknown>();
  private readonly reported = new Set<string>();
  private complete: { inputs: readonly ResourceInput[]; estimate: StackEstimate } | undefined;
  private bounding: readonly string[] | undefined;

  readonly context: RuleContext;

  constructor(private readonly options: GateOptions) {
    this.context = {
      stack: options.stack,
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
    };
  }

  /** The price catalog in use (loaded on first use). */
  catalog(): PriceCatalog {
    return createContext(this.options, this.links).pricer.catalog;
  }

  /** The price catalog's version, for audit records. */
  catalogVersion(): string {
    return this.catalog().version;
  }

  /** Allowed families bound the worst case of an instance type that is unknown during preview. */
  useAllowedFamilies(families: readonly string[]): void {
    if (families.length === 0 || this.bounding) return;
    const catalog = createContext(this.options, this.links).pricer.catalog;
    this.bounding = [
      ...new Set(
        catalog.entries.filter((e) => families.includes(familyOf(e.instanceType))).map((e) => e.instanceType),
      ),
    ];
  }

  private estimatorOptions(): EstimatorOptions {
    return this.bounding ? { ...this.options, boundingInstanceTypes: this.bounding } : this.options;
  }

  /** Per-resource estimate (links to resources analysed before it), cached by URN and props. */
  estimate(input: ResourceInput): ResourceEstimate {
    const key = JSON.stringify(input.props) + (input.providerRegion ?? "");
    const hit = this.cache.get(input.urn);
    if (hit && hit.key === key) return hit.estimate;
    this.links.add(input);
    const estimate = estimateResource(input, createContext(this.estimatorOptions(), this.links));
    this.cache.set(input.urn, { key, estimate });
    return estimate;
  }

  estimateComplete(inputs: readonly ResourceInput[]): StackEstimate {
    if (this.complete?.inputs !== inputs)
      this.complete = { inputs, estimate: estimateStack(inputs, this.estimatorOptions()) };
    return this.complete.estimate;
  }

  private lastStackInputs: { fingerprint: string; inputs: ResourceInput[] } | undefined;

  /**
   * The SDK rebuilds the resource list for every stack policy; converting once per AnalyzeStack
   * (same priced resources, same props) lets every policy share one complete estimate.
   */
  stackInputsFor<T>(resources: T[], convert: (resources: T[]) => ResourceInput[]): ResourceInput[] {
    const inputs = convert(resources);
    const fingerprint =
      JSON.stringify(
        inputs.filter(isCandidate).map((i) => [i.urn, i.props, i.providerRegion, i.propertyDependencies]),
      ) + inputs.length;
    if (this.lastStackInputs?.fingerprint === fingerprint) return this.lastStackInputs.inputs;
    this.lastStackInputs = { fingerprint, inputs };
    return inputs;
  }

  resourceVerdicts<C>(rule: Rule<C>, rawConfig: unknown, input: ResourceInput): Verdict[] {
    const config = this.remember(rule, rawConfig);
    if (!rule.checkResource || !isCandidate(input)) return [];
    const verdicts = rule.checkResource(this.estimate(input), config, this.context);
    for (const v of verdicts) this.reported.add(verdictKey(v));
    return verdicts;
  }

  stackVerdicts<C>(rule: Rule<C>, rawConfig: unknown, inputs: readonly ResourceInput[]): Verdict[] {
    const config = this.remember(rule, rawConfig);
    const { resources } = this.estimateComplete(inputs);
    if (rule.checkStack) return rule.checkStack(resources, config, this.context);
    if (!rule.checkResource) return [];
    // Resource rules again over linked estimates; only what the resource phase did not already say.
    return resources
      .flatMap((e) => rule.checkResource!(e, config, this.context))
      .filter((v) => !this.reported.has(verdictKey(v)));
  }

  private remember<C>(rule: Rule<C>, raw: unknown): C {
    const config = parseRuleConfig(rule, raw);
    this.configs.set(rule.name, config);
    if (rule.name === "accelerator-allowlist") {
      this.useAllowedFamilies(
        (config as { allowedInstanceFamilies?: string[] }).allowedInstanceFamilies ?? [],
      );
    }
    return config;
  }
}

function verdictKey(v: Verdict): string {
  return `${v.policy}|${v.urn ?? ""}|${v.decision}|${v.message}`;
}

const PRICED_TYPES =
  /^aws:(ec2\/(instance|launchTemplate|capacityReservation|capacityBlockReservation)|autoscaling\/group|eks\/nodeGroup|sagemaker\/(endpointConfiguration|endpoint)|appautoscaling\/target|bedrock\/provisionedModelThroughput):/;

/** Cheap pre-filter: most resources in a stack (buckets, roles) never reach an adapter. */
export function isCandidate(input: ResourceInput): boolean {
  return PRICED_TYPES.test(input.type);
}
