import type { ArgumentProblems } from "./invalid-arguments.js";
import type { PriceSheetArgs } from "./shared-args.js";

/** Other languages may send absent optional fields as null; the sheet schema is strict about keys. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, withoutNulls(v)]),
    );
  }
  return value;
}

/**
 * The sheet given inline or by path (the resolver reads and validates it), with the argument's
 * name for messages; undefined when neither is given.
 */
export function priceSheetChoice(
  problems: ArgumentProblems,
  args: { priceSheet?: PriceSheetArgs; priceSheetPath?: string },
): { value: string | object; name: string } | undefined {
  if (args.priceSheet != null && args.priceSheetPath != null) {
    problems.addRelation("priceSheetPath", "give priceSheet or priceSheetPath, not both");
    return undefined;
  }
  if (args.priceSheet != null) return { value: withoutNulls(args.priceSheet) as object, name: "priceSheet" };
  if (args.priceSheetPath == null) return undefined;
  if (typeof args.priceSheetPath !== "string" || args.priceSheetPath.trim() === "") {
    problems.add("priceSheetPath", `expected a file path, got ${JSON.stringify(args.priceSheetPath)}`);
    return undefined;
  }
  return { value: args.priceSheetPath, name: "priceSheetPath" };
}
