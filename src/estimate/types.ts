import type { Money } from "../money.js";
import type { MissingPrice, PriceRef, Pricer } from "../pricing/pricer.js";
import type { EconomicsTags } from "./economics-tags.js";

export type EstimateStatus = "priced" | "unpriced" | "unknown" | "not-applicable";

/** What a resource is, for the policies: which budgets and checks apply to it. */
export type CostCategory =
  | "gpu-compute"
  | "inference-endpoint"
  | "bedrock-throughput"
  | "capacity-reservation"
  | "training-capacity"
  | "none";

/** One priced line: unit price x quantity x count = amount (rounded to the cent). */
export interface LineItem {
  description: string;
  unitPrice: Money;
  unit: "hour" | "model-unit-hour" | "fee";
  quantity: Money;
  count: number;
  amount: Money;
  price: PriceRef;
}

export interface CostBreakdown {
  total: Money;
  lineItems: LineItem[];
}

export interface RegionChoice {
  region: string;
  /** Which step of the documented order decided it; `dearest`: none could (secret or unknown). */
  from: "resource" | "provider" | "availability-zone" | "arn" | "stack-config" | "default" | "dearest";
}

export interface ScalingBounds {
  min: number;
  desired: number;
  /** undefined = no explicit maximum (unbounded). */
  max: number | undefined;
}

export interface AcceleratorSummary {
  vendor: string;
  model: string;
  perInstance: number;
  /** At the worst-case instance count. */
  total: number;
}

/** A proposed resource as every front door hands it to the core. */
export interface ResourceInput {
  urn: string;
  type: string;
  name: string;
  props: Record<string, unknown>;
  /** Provider-assigned id, when the resource exists (stack exports, AnalyzeStack after an update). */
  id?: string | undefined;
  /** The region of the resource's provider, when known. */
  providerRegion?: string | undefined;
  /** Property name -> URNs it was computed from (AnalyzeStack, stack exports): links unknown ids. */
  propertyDependencies?: Record<string, string[]> | undefined;
  /**
   * False for a component resource (and the stack), whose properties describe children that are
   * analysed themselves; undefined means a custom resource, the cloud resource a provider creates.
   */
  custom?: boolean | undefined;
}

export interface ResourceEstimate {
  urn: string;
  type: string;
  name: string;
  status: EstimateStatus;
  /** Why it is unpriced, unknown or not applicable. */
  reason?: string;
  category: CostCategory;
  region?: RegionChoice;
  /** Monthly run-rate; present when priced (and when a bounded estimate exists for an unknown). */
  monthly?: { baseline: CostBreakdown; worstCase: CostBreakdown };
  /**
   * A term the run-rate is committed for at the price it was bought at (Bedrock provisioned
   * throughput's 1- or 6-month terms): projections hold the price for each term, not deflate it.
   */
  commitment?: { term: string; months: number };
  /** One-time spend (capacity blocks, declared training runs), reported apart from run-rate. */
  oneTime?: CostBreakdown;
  instanceTypes: string[];
  accelerators?: AcceleratorSummary;
  scaling?: ScalingBounds;
  /** Fields whose unknown value decided the outcome, by property path. */
  unknownFields: string[];
  /** Those of unknownFields that are a scaler's maximum: while one is unknown nothing bounds the scale. */
  unknownMaxima?: string[];
  /** Why it has no price (set with status unpriced, read by the findings that say how to price it). */
  unpriced?: Unpriced;
  assumptions: string[];
  economics: EconomicsTags;
  tags: Record<string, string>;
  /** Another resource this one's cost is counted with, or depends on. */
  linkedTo?: string;
  /**
   * The resource whose extra capacity this estimate prices (a scaling target analysed before the
   * whole stack is known): a per-resource limit judges that resource, not this one on its own.
   */
  capacityOf?: string;
  /** Accelerator instance types that decide the cost but have no price (named in the finding). */
  unpricedTypes?: string[];
  /** No adapter prices this type, yet its properties name accelerator instance types (the tripwire). */
  tripwire?: AcceleratorMention[];
}

/** Why a resource is unpriced: the price-sheet rate it lacks, or no adapter prices its type (the tripwire). */
export type Unpriced = MissingPrice | { kind: "no-adapter" };

/** A property whose value is an accelerator instance type. */
export interface AcceleratorMention {
  /** Property path, e.g. `ec2InstanceType` or `templateBody.Resources.Fleet.Properties.InstanceType`. */
  path: string;
  /** The instance type, or "[secret]" when the value is a secret. */
  value: string;
}

export interface EstimateContext {
  pricer: Pricer;
  /** The stack's `aws:region` config (preview `config`, `Pulumi.<stack>.yaml`), when known. */
  stackRegion?: string;
  /** Where that came from, said in the estimate, e.g. "Pulumi.prod.yaml". */
  stackRegionSource?: string;
  /** Region used when neither the resource, its provider nor the stack's config says. */
  defaultRegion: string;
  defaultRegionSource: string;
  hoursPerMonth: number;
  /** Resolves references between resources (group -> launch template, target -> endpoint variant). */
  links: LinkResolver;
  /** When an instance type is unknown, the most expensive of these bounds the worst case. */
  boundingInstanceTypes?: readonly string[];
}

/** Property name -> the resource types a value of that property references (declared by each adapter). */
export type References = Readonly<Record<string, readonly string[]>>;

/** Resource type -> its references: what links resources to each other, from the adapter registry. */
export type ReferenceTable = ReadonlyMap<string, References>;

/** What an adapter may look up about other resources in the same stack. */
export interface LinkResolver {
  /** Whole-stack mode: every resource is known, so a missing link is a real gap. */
  readonly complete: boolean;
  /**
   * The resource of `type` that `from` references by id or name, or else through the
   * propertyDependencies of the properties `from`'s adapter declares as references to `type`.
   */
  referenced(
    from: ResourceInput,
    type: string,
    ref: { id?: unknown; name?: unknown },
  ): ResourceInput | undefined;
  /** Resources of these types that `from`'s reference properties were computed from (propertyDependencies). */
  dependencies(from: ResourceInput, types: readonly string[]): ResourceInput[];
  /** Every resource of the type known so far, in the order they arrived. */
  ofType(type: string): ResourceInput[];
  /** Resources of `fromType` that reference `target` by its name or id, or through their propertyDependencies. */
  referencing(fromType: string, target: ResourceInput): ResourceInput[];
  /** Resources of `fromType` whose reference to `targetType` is exactly `value` (e.g. a scaling target's resourceId). */
  referencingValue(fromType: string, targetType: string, value: string): ResourceInput[];
}
