import { z } from "zod";
import { isUndecidable } from "../unknown.js";
import { describeZodError } from "../validation.js";

/** A value not known yet (preview) or hidden (secret): it cannot decide a price. */
export const Undecidable = z.custom<"undecidable">((v) => isUndecidable(v), "unknown");

export function orUnknown<T extends z.ZodType>(schema: T) {
  return z.union([Undecidable, schema]);
}

export const MAX_COUNT = 100_000;

export const Count = z
  .number({
    error: (i) => (i.input === undefined ? "required" : `expected a number, got ${JSON.stringify(i.input)}`),
  })
  .int("must be a whole number")
  .min(0, "must not be negative")
  .max(MAX_COUNT, `must be at most ${MAX_COUNT}`);

export const Text = z.string({ error: (i) => `expected a string, got ${JSON.stringify(i.input)}` });

export function isKnown<T>(value: T | "undecidable" | undefined): value is T {
  return value !== undefined && !isUndecidable(value) && value !== "undecidable";
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
