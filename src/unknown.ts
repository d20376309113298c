/** The string the Pulumi engine sends for any value not known until the resource exists. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
/** How `pulumi preview --json` and stack exports show a secret value. */
export const SECRET_PLACEHOLDER = "[secret]";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

export function isUnknown(value: unknown): boolean {
  return value === UNKNOWN;
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
