/**
 * Writes offer files in the AWS Price List layout (Jackson pretty-print: `"key" : value`,
 * two-space indent, `{ }` and `[ ]` when empty), for inline cases and the large generated file.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export function awsJson(value: Json, indent = ""): string {
  const next = `${indent}  `;
  if (Array.isArray(value))
    return value.length === 0 ? "[ ]" : `[ ${value.map((v) => awsJson(v, next)).join(", ")} ]`;
  if (value !== null && typeof value === "object") {
    const keys = Object.keys(value);
    if (keys.length === 0) return "{ }";
    return `{\n${keys.map((k) => `${next}${JSON.stringify(k)} : ${awsJson(value[k]!, next)}`).join(",\n")}\n${indent}}`;
  }
  return JSON.stringify(value);
}

export interface OfferHeader {
  offerCode?: string;
  version?: string;
  publicationDate?: string;
}

const DISCLAIMER =
  "This pricing list is for informational purposes only. All prices are subject to the additional terms included in the pricing pages on http://aws.amazon.com. All Free Tier prices are also subject to the terms included at https://aws.amazon.com/free/";

export function headerFields(header: OfferHeader = {}): Record<string, Json> {
  return {
    formatVersion: "v1.0",
    disclaimer: DISCLAIMER,
    offerCode: header.offerCode ?? "AmazonEC2",
    version: header.version ?? "20260720134430",
    publicationDate: header.publicationDate ?? "2026-07-20T13:44:30Z",
  };
}

/** Attributes of a Linux, shared-tenancy, on-demand EC2 row in us-east-1, with overrides. */
export function ec2Attributes(
  instanceType: string,
  overrides: Record<string, string> = {},
): Record<string, string> {
  return {
    servicecode: "AmazonEC2",
    location: "US East (N. Virginia)",
    locationType: "AWS Region",
    instanceType,
    currentGeneration: "Yes",
    vcpu: "8",
    memory: "32 GiB",
    tenancy: "Shared",
    operatingSystem: "Linux",
    licenseModel: "No License required",
    usagetype: `BoxUsage:${instanceType}`,
    operation: "RunInstances",
    capacitystatus: "Used",
    gpuMemory: "NA",
    marketoption: "OnDemand",
    preInstalledSw: "NA",
    regionCode: "us-east-1",
    servicename: "Amazon Elastic Compute Cloud",
    ...overrides,
  };
}

export function product(
  sku: string,
  attributes: Record<string, string>,
  productFamily = "Compute Instance",
): Json {
  return { sku, productFamily, attributes };
}

export function onDemandTerm(sku: string, usd: string, unit = "Hrs"): Json {
  const code = `${sku}.JRTCKXETXF`;
  const rate = `${code}.6YS6EN2CT7`;
  return {
    [code]: {
      offerTermCode: "JRTCKXETXF",
      sku,
      effectiveDate: "2026-07-01T00:00:00Z",
      priceDimensions: {
        [rate]: {
          rateCode: rate,
          description: `$${usd} per On Demand Linux Instance Hour`,
          beginRange: "0",
          endRange: "Inf",
          unit,
          pricePerUnit: { USD: usd },
          appliesTo: [],
        },
      },
      termAttributes: {},
    },
  };
}

function reservedTerm(sku: string, usd: string): Json {
  const terms: Record<string, Json> = {};
  for (const [code, length, option] of [
    ["4NA7Y494T4", "1yr", "No Upfront"],
    ["6QCMYABX3D", "1yr", "All Upfront"],
    ["BPH4J8HBKS", "3yr", "No Upfront"],
  ] as const) {
    const rate = `${sku}.${code}.6YS6EN2CT7`;
    terms[`${sku}.${code}`] = {
      offerTermCode: code,
      sku,
      effectiveDate: "2026-07-01T00:00:00Z",
      priceDimensions: {
        [rate]: {
          rateCode: rate,
          description: "Linux/UNIX (Amazon VPC), reserved instance applied",
          beginRange: "0",
          endRange: "Inf",
          unit: "Hrs",
          pricePerUnit: { USD: usd },
          appliesTo: [],
        },
      },
      termAttributes: { LeaseContractLength: length, OfferingClass: "standard", PurchaseOption: option },
    };
  }
  return terms;
}

export function offerText(
  products: Record<string, Json>,
  onDemand: Record<string, Json>,
  header?: OfferHeader,
): string {
  return `${awsJson({ ...headerFields(header), products, terms: { OnDemand: onDemand } })}\n`;
}

/** GPU rows the large generated file carries, with their prices; everything else in it is dropped. */
export const LARGE_OFFER_GPU_ROWS: readonly (readonly [string, string, string])[] = [
  ["p5.48xlarge", "55.0400000000", "8"],
  ["p4d.24xlarge", "21.9576420000", "8"],
  ["g5.xlarge", "1.0060000000", "1"],
  ["g6e.xlarge", "1.8610000000", "1"],
  ["inf2.xlarge", "0.7582000000", "1"],
  ["trn1.32xlarge", "21.5000000000", "16"],
  ["dl1.24xlarge", "13.1090400000", "8"],
  ["p4de.24xlarge", "27.4470500000", "8"],
];

const FILLER_TYPES = [
  "m5.large",
  "c5.xlarge",
  "r6i.2xlarge",
  "m7g.large",
  "t3.micro",
  "c7g.4xlarge",
  "x2idn.metal",
];
const FILLER_VARIANTS: readonly Record<string, string>[] = [
  {},
  { operatingSystem: "Windows", operation: "RunInstances:0002" },
  { operatingSystem: "RHEL", operation: "RunInstances:0010" },
  { tenancy: "Dedicated" },
  { capacitystatus: "UnusedCapacityReservation" },
  { preInstalledSw: "SQL Std", operation: "RunInstances:0006" },
];

function skuOf(index: number): string {
  return `SKU${index.toString(36).toUpperCase().padStart(13, "0")}`;
}

/**
 * Streams an EC2-shaped offer file of about `targetBytes` to `path`: mostly non-GPU products,
 * each with on-demand and reserved terms, and the GPU rows spread from start to end.
 */
export async function writeLargeOffer(
  path: string,
  targetBytes: number,
): Promise<{ bytes: number; skus: number }> {
  const perSku = 4400; // measured size of one product plus its terms in this layout
  const skus = Math.max(LARGE_OFFER_GPU_ROWS.length * 2, Math.round(targetBytes / perSku));
  const gpuEvery = Math.floor(skus / LARGE_OFFER_GPU_ROWS.length);
  const gpuAt = (i: number) =>
    i % gpuEvery === gpuEvery - 1 ? LARGE_OFFER_GPU_ROWS[Math.floor(i / gpuEvery)] : undefined;
  const out = createWriteStream(path);
  let bytes = 0;
  let buffer = "";
  const write = async (text: string) => {
    buffer += text;
    if (buffer.length < 1 << 20) return;
    bytes += Buffer.byteLength(buffer);
    if (!out.write(buffer)) await once(out, "drain");
    buffer = "";
  };
  const head = awsJson(headerFields());
  await write(`${head.slice(0, -2)},\n  "products" : {\n`);
  for (let i = 0; i < skus; i++) {
    const gpu = gpuAt(i);
    const attributes = gpu
      ? ec2Attributes(gpu[0], { gpu: gpu[2], instanceFamily: "GPU instance" })
      : ec2Attributes(FILLER_TYPES[i % FILLER_TYPES.length]!, {
          ...FILLER_VARIANTS[i % FILLER_VARIANTS.length],
          instanceFamily: "General purpose",
          physicalProcessor: "Intel Xeon Platinum 8175",
          networkPerformance: "Up to 10 Gigabit",
          storage: "EBS only",
          processorFeatures: "Intel AVX; Intel AVX2; Intel AVX512; Intel Turbo",
          normalizationSizeFactor: String((i % 64) + 1),
        });
    const sku = skuOf(i);
    await write(
      `    ${JSON.stringify(sku)} : ${awsJson(product(sku, attributes), "    ")}${i < skus - 1 ? "," : ""}\n`,
    );
  }
  await write(`  },\n  "terms" : {\n    "OnDemand" : {\n`);
  for (let i = 0; i < skus; i++) {
    const sku = skuOf(i);
    const usd = gpuAt(i)?.[1] ?? `0.${String(1000 + (i % 9000)).padStart(4, "0")}000000`;
    await write(
      `      ${JSON.stringify(sku)} : ${awsJson(onDemandTerm(sku, usd), "      ")}${i < skus - 1 ? "," : ""}\n`,
    );
  }
  await write(`    },\n    "Reserved" : {\n`);
  for (let i = 0; i < skus; i++) {
    const sku = skuOf(i);
    await write(
      `      ${JSON.stringify(sku)} : ${awsJson(reservedTerm(sku, "0.0610000000"), "      ")}${i < skus - 1 ? "," : ""}\n`,
    );
  }
  await write("    }\n  }\n}\n");
  bytes += Buffer.byteLength(buffer);
  out.end(buffer);
  await once(out, "close");
  return { bytes, skus };
}
