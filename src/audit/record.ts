import { z } from "zod";

export const OPERATIONS = ["preview", "update", "check"] as const;
export const DECISIONS = ["blocked", "warned", "waived", "passed"] as const;
/** Pulumi's enforcement levels ("remediate" included so a record never fails on a valid level). */
export const ENFORCEMENT_LEVELS = ["advisory", "mandatory", "remediate", "disabled"] as const;

export type Operation = (typeof OPERATIONS)[number];
export type Decision = (typeof DECISIONS)[number];

/** Version of the record layout; bump when a field changes meaning. */
export const RECORD_VERSION = 1;
export const GENESIS_HASH = "0".repeat(64);

const text = z.string().min(1);
const decimal = z.string().regex(/^-?\d+(\.\d+)?$/, 'must be a decimal string such as "55.04"');
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, "must be a lowercase SHA-256 hex digest");
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "must be an ISO date (YYYY-MM-DD)");
/** A date or a date-time, as waivers carry either. */
const isoDateOrTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2}))?$/, "must be an ISO date");
/** ULID (what the store generates) or a UUID (what another writer may use). */
const recordId = z
  .string()
  .regex(
    /^([0-9A-HJKMNP-TV-Z]{26}|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/,
    "must be a ULID or a UUID",
  );

export const ActorSchema = z.object({
  user: text,
  /** CI system name ("github-actions", "gitlab", ...), null on a workstation. */
  ci: text.nullable(),
  repository: text.nullable(),
  commit: text.nullable(),
  runUrl: text.optional(),
});

export const CostsSchema = z.object({
  monthlyBaseline: decimal.nullable(),
  monthlyWorstCase: decimal.nullable(),
  oneTime: decimal.nullable(),
});

const factShape = {
  organization: text,
  project: text,
  stack: text,
  operation: z.enum(OPERATIONS),
  /** null for stack-level decisions. */
  resource: z.object({ urn: text, type: text }).nullable(),
  policy: text,
  decision: z.enum(DECISIONS),
  enforcementLevel: z.enum(ENFORCEMENT_LEVELS),
  costs: CostsSchema,
  limit: decimal.nullable(),
  /** Which budget the limit belongs to: "stack", "resource", "team:ml", ... */
  budget: text.nullable(),
  marginPercent: decimal.nullable(),
  waiver: z.object({ id: text, approvedBy: text, expires: isoDateOrTime }).nullable(),
  catalog: z.object({ version: text, date: isoDate }),
  /**
   * What priced the decision: digests (SHA-256 of the canonical JSON) of the catalog and price sheet
   * in use, and the hours per month. Optional only so records written before it still read.
   */
  pricing: z
    .object({ catalogDigest: sha256Hex, priceSheetDigest: sha256Hex.nullable(), hoursPerMonth: z.number() })
    .optional(),
  /** SHA-256 of the canonical effective policy config: see configDigest(). */
  configDigest: sha256Hex,
  pack: z.object({ name: text, version: text }),
  actor: ActorSchema,
  message: z.string(),
};

/**
 * What the policy pack hands the store. Strict, so a misspelt field is an error rather than lost;
 * id, time and actor are filled in when absent, resource defaults to null (stack-level).
 */
export const AuditDraftSchema = z.strictObject({
  ...factShape,
  id: recordId.optional(),
  time: z.iso.datetime({ offset: true }).optional(),
  resource: factShape.resource.default(null),
  actor: ActorSchema.optional(),
});

/**
 * One line of the audit log. Not strict: a reader keeps working when a newer writer adds fields
 * (the hash covers the raw line, so added fields are still tamper-evident).
 */
export const AuditRecordSchema = z.object({
  v: z.literal(RECORD_VERSION),
  id: recordId,
  time: z.iso.datetime({ offset: true }),
  ...factShape,
  /** 1-based position in the whole chain, across rotated files. */
  seq: z.number().int().positive(),
  prevHash: sha256Hex,
  hash: sha256Hex,
});

export type Actor = z.infer<typeof ActorSchema>;
export type AuditDraft = z.input<typeof AuditDraftSchema>;
export type AuditRecord = z.infer<typeof AuditRecordSchema>;
