import { z } from "zod";

const decimalString = z
  .string()
  .regex(/^\d+(\.\d+)?$/, 'must be a non-negative decimal string such as "55.04"');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be an ISO date (YYYY-MM-DD)");

export const AcceleratorSchema = z.object({
  vendor: z.string().min(1),
  model: z.string().min(1),
  count: z.number().int().nonnegative(),
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

export const CatalogSourceSchema = z.object({ title: z.string(), reference: z.string(), date: isoDate });

export const CatalogFileSchema = z
  .object({
    schemaVersion: z.literal(1),
    catalogVersion: z.string().min(1),
    description: z.string().optional(),
    currency: z.literal("USD"),
    sources: z.record(z.string(), CatalogSourceSchema),
    entries: z.array(CatalogEntrySchema).min(1),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.entries.forEach((entry, index) => {
      const key = `${entry.region}|${entry.instanceType}`;
      if (seen.has(key)) {
        ctx.addIssue({ code: "custom", path: ["entries", index], message: `duplicate entry ${key}` });
      }
      seen.add(key);
      if (!(entry.sourceId in file.sources)) {
        ctx.addIssue({
          code: "custom",
          path: ["entries", index, "sourceId"],
          message: `unknown source ${entry.sourceId}`,
        });
      }
    });
  });

export type CatalogEntry = z.infer<typeof CatalogEntrySchema>;
export type CatalogSource = z.infer<typeof CatalogSourceSchema>;
export type CatalogFile = z.infer<typeof CatalogFileSchema>;
export type Accelerator = z.infer<typeof AcceleratorSchema>;
