import type { PriceSheet } from "../../src/pricing/price-sheet.js";
import { checkRegion } from "./checks.js";
import { ArgumentProblems, requireArgumentsObject } from "./invalid-arguments.js";
import { resolvePriceSheet } from "./price-sheet.js";
import type { CostArgs } from "./shared-args.js";

/** The checks every component starts with: an args object, then its price sheet and region. */
export function checkCommonArgs(
  component: string,
  name: string,
  args: CostArgs,
): { problems: ArgumentProblems; priceSheet: PriceSheet | undefined; region: string | undefined } {
  requireArgumentsObject(component, name, args);
  const problems = new ArgumentProblems();
  const priceSheet = resolvePriceSheet(problems, args);
  const region = checkRegion(problems, "region", args.region) ? args.region : undefined;
  return { problems, priceSheet, region };
}
