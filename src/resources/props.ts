import { z } from "zod";
import { isUndecidable, UNDECIDABLE, type Undecidable } from "../unknown.js";
import { describeZodError } from "../validation.js";

/**
 * The schema's value, or UNDECIDABLE for an unknown or secret. Not a union: a bad value keeps the
 * schema's own message and nested path (`scalingConfig.minSize: expected a number`), not "Invalid input".
 */
export function orUnknown<T extends z.ZodType>(schema: T) {
  return z.unknown().transform((value, ctx): z.output<T> | Undecidable => {
    if (isUndecidable(value)) return UNDECIDABLE;
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      ctx.addIssue({ code: "custom", message: issue.message, path: issue.path, input: value });
    }
    return z.NEVER;
  });
}

export const MAX_COUNT = 100_000;

export const Count = z
  .number({
    error: (i) => (i.input === undefined ? "required" : `expected a number, got ${JSON.stringify(i.input)}`),
  })
  .int("must be a whole number")
  .min(0, "must not be negative")
  .max(MAX_COUNT, `must be at most ${MAX_COUNT}`);

export const Text = z.string({
  error: (i) => (i.input === undefined ? "required" : `expected a string, got ${JSON.stringify(i.input)}`),
});

export function isKnown<T>(value: T | Undecidable | undefined): value is T {
  return value !== undefined && value !== UNDECIDABLE && !isUndecidable(value);
}

/** A parsed value as a message shows it: UNDECIDABLE reads "unknown". */
export function shown<T>(value: T | Undecidable): T | "unknown" {
  return value === UNDECIDABLE ? "unknown" : (value as T);
}

export type ReadResult<T> = { ok: true; value: T } | { ok: false; problem: string };

/** Reads a resource's props through its adapter's schema; a malformed prop becomes a named problem. */
export function readProps<T extends z.ZodType>(
  schema: T,
  props: Record<string, unknown>,
): ReadResult<z.infer<T>> {
  const parsed = schema.safeParse(props);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, problem: describeZodError(parsed.error) };
}
