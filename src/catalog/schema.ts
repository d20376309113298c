import { z } from "zod";

const decimalString = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal string such as "55.04"');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be an ISO date (YYYY-MM-DD)");

export const AcceleratorSchema = z.object({
  vendor: z.string().min(1),
  model: z.string().min(1),
  /** Fractional for shares of one GPU (g6f.large: 0.125 of an L4). */
  count: z.number().nonnegative(),
  memoryGiBEach: z.number().nonnegative(),
});

export const CatalogEntrySchema = z
  .object({
    instanceType: z.string().min(1),
    service: z.enum(["ec2", "sagemaker"]),
    family: z.string().min(1),
    region: z.string().min(1),
    /** null = the type exists but has no on-demand price here (never read as $0). */
    usdPerHour: decimalString.nullable(),
    unpricedReason: z.string().optional(),
    sourceId: z.string().min(1),
    priceAsOf: isoDate,
    note: z.string().optional(),
    accelerator: AcceleratorSchema,
    vcpu: z.number().int().positive(),
    memoryGiB: z.number().positive(),
  })
  .refine((e) => e.usdPerHour !== null || (e.unpricedReason ?? "").length > 0, {
    message: "an unpriced entry must say why (unpricedReason)",
    path: ["unpricedReason"],
  });

/** Bedrock provisioned throughput: USD per model unit per hour, by model, commitment term and region. */
export const BedrockRateEntrySchema = z
  .object({
    /** A Bedrock model id, or a glob such as "anthropic.claude-v2*" that covers its versions. */
    modelId: z.string().min(1),
    /** The model as the source names it. */
    model: z.string().min(1),
    commitment: z.enum(["none", "1-month", "6-month"]),
    region: z.string().min(1),
    /** null = the source says there is no such rate (never read as $0). */
    usdPerModelUnitHour: decimalString.nullable(),
    unpricedReason: z.string().optional(),
    sourceId: z.string().min(1),
    priceAsOf: isoDate,
    note: z.string().optional(),
  })
  .refine((e) => e.usdPerModelUnitHour !== null || (e.unpricedReason ?? "").length > 0, {
    message: "an unpriced rate must say why (unpricedReason)",
    path: ["unpricedReason"],
  });

export const CatalogSourceSchema = z.object({ title: z.string(), reference: z.string(), date: isoDate });

export const CatalogFileSchema = z
  .object({
    schemaVersion: z.literal(1),
    catalogVersion: z.string().min(1),
    description: z.string().optional(),
    currency: z.literal("USD"),
    sources: z.record(z.string(), CatalogSourceSchema),
    entries: z.array(CatalogEntrySchema).min(1),
    bedrockRates: z.array(BedrockRateEntrySchema).optional(),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.entries.forEach((entry, index) => {
      const key = `${entry.region}|${entry.instanceType}`;
      if (seen.has(key)) {
        ctx.addIssue({ code: "custom", path: ["entries", index], message: `duplicate entry ${key}` });
      }
      seen.add(key);
      checkSource(file.sources, entry.sourceId, ["entries", index], ctx);
    });
    file.bedrockRates?.forEach((rate, index) => {
      const key = `bedrock|${rate.region}|${rate.modelId}|${rate.commitment}`;
      if (seen.has(key)) {
        ctx.addIssue({ code: "custom", path: ["bedrockRates", index], message: `duplicate rate ${key}` });
      }
      seen.add(key);
      checkSource(file.sources, rate.sourceId, ["bedrockRates", index], ctx);
    });
  });

function checkSource(
  sources: Record<string, unknown>,
  sourceId: string,
  path: (string | number)[],
  ctx: z.RefinementCtx,
): void {
  if (!(sourceId in sources)) {
    ctx.addIssue({ code: "custom", path: [...path, "sourceId"], message: `unknown source ${sourceId}` });
  }
}

export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;
export type BedrockRateEntry = z.infer<typeof BedrockRateEntrySchema>;
export type BedrockCommitment = BedrockRateEntry["commitment"];
export type CatalogSource = z.infer<typeof CatalogSourceSchema>;
export type CatalogFile = z.infer<typeof CatalogFileSchema>;
export type Accelerator = z.infer<typeof AcceleratorSchema>;
