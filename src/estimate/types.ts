import type { Money } from "../money.js";
import type { PriceRef, Pricer } from "../pricing/pricer.js";
import type { EconomicsTags } from "../resources/economics-tags.js";

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
  from: "resource" | "availability-zone" | "provider" | "default";
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
  /** One-time spend (capacity blocks, declared training runs), reported apart from run-rate. */
  oneTime?: CostBreakdown;
  instanceTypes: string[];
  accelerators?: AcceleratorSummary;
  scaling?: ScalingBounds;
  /** Fields whose unknown value decided the outcome, by property path. */
  unknownFields: string[];
  assumptions: string[];
  economics: EconomicsTags;
  tags: Record<string, string>;
  /** Another resource this one's cost is counted with, or depends on. */
  linkedTo?: string;
}

export interface EstimateContext {
  pricer: Pricer;
  /** Region used when neither the resource nor its provider says. */
  defaultRegion: string;
  defaultRegionSource: string;
  hoursPerMonth: number;
  /** Resolves references between resources (group -> launch template, target -> endpoint variant). */
  links: LinkResolver;
  /** When an instance type is unknown, the most expensive of these bounds the worst case. */
  boundingInstanceTypes?: readonly string[];
}

/** What an adapter may look up about other resources in the same stack. */
export interface LinkResolver {
  /** Whole-stack mode: every resource is known, so a missing link is a real gap. */
  readonly complete: boolean;
  launchTemplate(ref: { id?: unknown; name?: unknown }, from: ResourceInput): ResourceInput | undefined;
  launchTemplates(): ResourceInput[];
  endpointConfiguration(name: unknown, from: ResourceInput): ResourceInput | undefined;
  endpoint(name: unknown, from: ResourceInput): ResourceInput | undefined;
  /** Endpoints naming the configuration, or computed from it (`configUrn` in propertyDependencies). */
  endpointsUsingConfiguration(configName: unknown, configUrn?: string): ResourceInput[];
  scalingTargetsFor(endpointName: string, variantName: string): ResourceInput[];
}
