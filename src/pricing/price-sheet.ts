import { readFileSync } from "node:fs";
import { z } from "zod";
import { money } from "../money.js";
import { describeZodError } from "../validation.js";

const decimal = z
  .union([z.string(), z.number()])
  // Numbers via decimal.js, so a small JSON number (1e-7) reads as "0.0000001", not "1e-7".
  .transform((v) => (typeof v === "number" && Number.isFinite(v) ? money(v).toFixed() : String(v).trim()))
  .refine((v) => /^\d+(\.\d+)?$/.test(v), 'must be a non-negative decimal (e.g. "40.00")');
const percent = z.number().min(0, "must be >= 0").max(100, "must be <= 100");

const CustomRateSchema = z
  .object({
    instanceType: z.string().min(1).optional(),
    family: z.string().min(1).optional(),
    service: z.enum(["ec2", "sagemaker"]).default("ec2"),
    region: z.string().min(1).default("*"),
    usdPerHour: decimal,
    note: z.string().optional(),
  })
  .strict()
  .refine((r) => (r.instanceType === undefined) !== (r.family === undefined), {
    message: "give exactly one of instanceType or family",
  });

const BedrockRateSchema = z
  .object({
    /** Model id (e.g. "anthropic.claude-3-sonnet-20240229-v1:0") or a glob such as "anthropic.claude-3-*". */
    model: z.string().min(1),
    commitment: z.enum(["none", "1-month", "6-month"]).default("none"),
    region: z.string().min(1).default("*"),
    usdPerModelUnitHour: decimal,
    note: z.string().optional(),
  })
  .strict();

const RegionRuleSchema = z
  .object({
    priceLike: z.string().min(1),
    multiplier: decimal.default("1"),
  })
  .strict();

/** What a platform team writes to adjust catalog prices for its account. */
export const PriceSheetSchema = z
  .object({
    name: z.string().min(1).default("price sheet"),
    effectiveDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "must be an ISO date (YYYY-MM-DD)")
      .optional(),
    /** Negotiated discount on catalog (public) prices; custom rates are taken as already negotiated. */
    discountPercent: percent.default(0),
    /** Spot price as a fraction of on-demand, for spot baselines. Without it spot is priced at on-demand. */
    spotFactor: decimal
      .refine((v) => Number(v) > 0 && Number(v) <= 1, "must be greater than 0 and at most 1")
      .optional(),
    /** Savings-plan discount on the on-demand baseline of the listed services. */
    savingsPlan: z
      .object({ discountPercent: percent, services: z.array(z.enum(["ec2", "sagemaker"])).min(1) })
      .strict()
      .optional(),
    rates: z.array(CustomRateSchema).default([]),
    bedrockRates: z.array(BedrockRateSchema).default([]),
    regions: z.record(z.string(), RegionRuleSchema).default({}),
    sagemakerServerless: z.object({ usdPerGbSecond: decimal }).strict().optional(),
  })
  .strict();

export type PriceSheet = z.infer<typeof PriceSheetSchema>;
export type CustomRate = PriceSheet["rates"][number];
export type BedrockRate = PriceSheet["bedrockRates"][number];

export function parsePriceSheet(json: unknown, origin = "price sheet"): PriceSheet {
  const parsed = PriceSheetSchema.safeParse(json);
  if (!parsed.success) throw new Error(`${origin}: invalid price sheet: ${describeZodError(parsed.error)}`);
  return parsed.data;
}

export function loadPriceSheet(path: string): PriceSheet {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new Error(`cannot read price sheet ${path}: ${(error as Error).message}`);
  }
  return parsePriceSheet(json, path);
}
