import { OfferImportError } from "./offer-error.js";
import { regionOfProduct } from "./regions.js";

export const OFFER_SERVICES = ["AmazonEC2", "AmazonSageMaker"] as const;
export type OfferService = (typeof OFFER_SERVICES)[number];

/** Hardware facts a product's attributes state; anything missing comes from the specs catalog. */
export interface OfferedSpecs {
  acceleratorCount?: number;
  acceleratorMemoryGiBTotal?: number;
  vcpu?: number;
  memoryGiB?: number;
}

export interface OfferedInstance {
  sku: string;
  /** Catalog form: "p5.48xlarge", or "ml.g5.xlarge" for SageMaker hosting. */
  instanceType: string;
  service: "ec2" | "sagemaker";
  region: string;
  specs: OfferedSpecs;
}

export type ProductClass =
  | { kind: "on-demand"; instance: OfferedInstance }
  | { kind: "capacity-block"; instance: OfferedInstance }
  | { kind: "other" };

const OTHER: ProductClass = { kind: "other" };

/** GPU and accelerator families: p*, g* (incl. gr*), inf*, trn*, dl*. Graviton types (m7g) start otherwise. */
const ACCELERATOR_FAMILY = /^(?:p\d|g\d|gr\d|inf\d|trn\d|dl\d)/;

export function isAcceleratorOfferType(instanceType: string): boolean {
  const bare = instanceType.startsWith("ml.") ? instanceType.slice(3) : instanceType;
  return ACCELERATOR_FAMILY.test(bare);
}

const EC2_PRODUCT_FAMILIES = new Set(["Compute Instance", "Compute Instance (bare metal)"]);
const SAGEMAKER_HOSTING_USAGE = /(?:^|-)Host:(ml\.[a-z0-9-]+\.[a-z0-9-]+)$/;

/**
 * Sorts one `products[sku]` entry into a Linux, shared-tenancy, on-demand GPU row, a Capacity
 * Block row of a GPU type (priced through reservations: its "on-demand" term is a dummy $0), or
 * anything else. `service` limits which product shapes count.
 */
export function classifyProduct(
  sku: string,
  product: unknown,
  service: OfferService | undefined,
): ProductClass {
  if (!isRecord(product)) throw new OfferImportError(`products.${sku}: expected an object`);
  const rawAttributes = product.attributes;
  if (rawAttributes === undefined) return OTHER;
  if (!isRecord(rawAttributes)) throw new OfferImportError(`products.${sku}.attributes: expected an object`);
  const attributes = stringFields(rawAttributes);
  const productFamily = typeof product.productFamily === "string" ? product.productFamily : "";
  if (attributes.locationType !== undefined && attributes.locationType !== "AWS Region") return OTHER;
  if (service !== "AmazonSageMaker" && EC2_PRODUCT_FAMILIES.has(productFamily)) {
    return classifyEc2(sku, attributes);
  }
  if (service !== "AmazonEC2" && productFamily === "ML Instance") return classifySageMaker(sku, attributes);
  return OTHER;
}

function classifyEc2(sku: string, a: Record<string, string>): ProductClass {
  const instanceType = a.instanceType;
  if (!instanceType || !isAcceleratorOfferType(instanceType)) return OTHER;
  const isLinuxShared =
    a.operatingSystem === "Linux" &&
    a.tenancy === "Shared" &&
    a.preInstalledSw === "NA" &&
    a.capacitystatus === "Used" &&
    (a.licenseModel === undefined || a.licenseModel === "No License required");
  if (!isLinuxShared) return OTHER;
  const instance = offeredInstance(sku, instanceType, "ec2", a, true);
  if (instance === undefined) return OTHER;
  if (a.marketoption === undefined || a.marketoption === "OnDemand") return { kind: "on-demand", instance };
  if (a.marketoption === "CapacityBlock") return { kind: "capacity-block", instance };
  return OTHER;
}

function classifySageMaker(sku: string, a: Record<string, string>): ProductClass {
  const hosted = SAGEMAKER_HOSTING_USAGE.exec(a.usagetype ?? "")?.[1];
  if (hosted === undefined || !isAcceleratorOfferType(hosted)) return OTHER;
  if (a.instanceType !== undefined && a.instanceType.toLowerCase() !== `${hosted}-hosting`) return OTHER;
  if (a.component !== undefined && a.component !== "Hosting") return OTHER;
  // SageMaker's gpuMemory is not documented as total or per GPU, so it is not read.
  const instance = offeredInstance(sku, hosted, "sagemaker", a, false);
  return instance === undefined ? OTHER : { kind: "on-demand", instance };
}

function offeredInstance(
  sku: string,
  instanceType: string,
  service: "ec2" | "sagemaker",
  a: Record<string, string>,
  readGpuMemory: boolean,
): OfferedInstance | undefined {
  const region = regionOfProduct(a);
  if (region === undefined) return undefined;
  const specs: OfferedSpecs = {};
  const count = positiveInteger(a.gpu);
  if (count !== undefined) specs.acceleratorCount = count;
  const gpuMemory = readGpuMemory ? gibibytes(a.gpuMemory, /^([\d,]+(?:\.\d+)?)\s*(?:GB|GiB)\b/) : undefined;
  if (gpuMemory !== undefined) specs.acceleratorMemoryGiBTotal = gpuMemory;
  const vcpu = positiveInteger(a.vcpu ?? a.vCpu);
  if (vcpu !== undefined) specs.vcpu = vcpu;
  const memory = gibibytes(a.memory, /^([\d,]+(?:\.\d+)?)\s*GiB$/);
  if (memory !== undefined) specs.memoryGiB = memory;
  // Copies, so a kept row does not pin the whole text chunk its strings were sliced from.
  return { sku: owned(sku), instanceType: owned(instanceType), service, region: owned(region), specs };
}

function positiveInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^\d+$/.test(text.trim())) return undefined;
  const n = Number(text.trim());
  return n > 0 ? n : undefined;
}

function gibibytes(text: string | undefined, pattern: RegExp): number | undefined {
  const match = text === undefined ? null : pattern.exec(text.trim());
  if (!match) return undefined;
  const n = Number(match[1]!.replaceAll(",", ""));
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function stringFields(record: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) if (typeof value === "string") out[key] = value;
  return out;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function owned(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}
