import { loadPriceSheet, type PriceSheet, parsePriceSheet } from "../../src/pricing/price-sheet.js";
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

/** The sheet given inline or by path, validated by the core's schema; undefined when neither is given. */
export function resolvePriceSheet(
  problems: ArgumentProblems,
  args: { priceSheet?: PriceSheetArgs; priceSheetPath?: string },
): PriceSheet | undefined {
  if (args.priceSheet != null && args.priceSheetPath != null) {
    problems.addRelation("priceSheetPath", "give priceSheet or priceSheetPath, not both");
    return undefined;
  }
  if (args.priceSheet != null) {
    try {
      return parsePriceSheet(withoutNulls(args.priceSheet), "priceSheet");
    } catch (error) {
      // The core's message already names the argument: "priceSheet: invalid price sheet: ...".
      problems.addRelation("priceSheet", (error as Error).message);
      return undefined;
    }
  }
  if (args.priceSheetPath == null) return undefined;
  if (typeof args.priceSheetPath !== "string" || args.priceSheetPath.trim() === "") {
    problems.add("priceSheetPath", `expected a file path, got ${JSON.stringify(args.priceSheetPath)}`);
    return undefined;
  }
  try {
    return loadPriceSheet(args.priceSheetPath);
  } catch (error) {
    problems.add("priceSheetPath", (error as Error).message);
    return undefined;
  }
}
