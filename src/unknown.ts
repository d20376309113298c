/**
 * Two different things:
 * - UNKNOWN (and its variants, and secrets) is what arrives on the wire: a string or object the
 *   engine, the SDK or a preview writes for a value not known until apply, or hidden.
 * - UNDECIDABLE is what an adapter's parsed prop holds in its place: a value that cannot decide a
 *   price. It is a symbol, so the compiler refuses to use it as the number or string it stands for.
 */

/** The string the Pulumi engine sends for any value not known until the resource exists. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** How `pulumi preview --json` and stack exports show a secret value. */
export const SECRET_PLACEHOLDER = "[secret]";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

/** The engine sends UNKNOWN for every type; the policy SDK also knows typed variants of it. */
const UNKNOWN_VARIANTS = new Set([
  UNKNOWN,
  "1c4a061d-8072-4f0a-a4cb-0ff528b18fe7",
  "3eeb2bf0-c639-47a8-9e75-3b44932eb421",
  "6a19a0b0-7e62-4c92-b797-7f8e31da9cc2",
  "030794c1-ac77-496b-92df-f27374a8bd58",
  "e48ece36-62e2-4504-bad9-02848725956a",
  "dd056dcd-154b-4c76-9bd3-c8f88648b5ff",
]);

export function isUnknown(value: unknown): boolean {
  return typeof value === "string" && UNKNOWN_VARIANTS.has(value);
}

/** A secret is an opaque value for pricing: as undecidable as an unknown. */
export function isSecret(value: unknown): boolean {
  if (value === SECRET_PLACEHOLDER) return true;
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[SECRET_SIG] !== undefined
  );
}

/** True when the value cannot be read during pricing (unknown or secret). */
export function isUndecidable(value: unknown): boolean {
  return isUnknown(value) || isSecret(value);
}

/** A parsed prop whose wire value was unknown or secret (see isUndecidable). */
export const UNDECIDABLE: unique symbol = Symbol("undecidable");
export type Undecidable = typeof UNDECIDABLE;
