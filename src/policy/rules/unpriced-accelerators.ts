import { z } from "zod";
import type { ResourceEstimate } from "../../estimate/types.js";
import { defineRule } from "../rule.js";
import { passed } from "./common.js";

const Config = z.strictObject({});

const SHEET = "to the price sheet (computeguard-settings priceSheet)";

/** A reason as a clause the message ends itself (never "rate.."). */
const clause = (text: string | undefined) => (text ?? "no reason given").replace(/[\s.]+$/, "");

/**
 * Tells the user exactly what to add to the price sheet for this resource, from the kind of price
 * it lacks. Where the catalog prices the type (or Bedrock model) in another region, a one-line
 * `regions` rule prices the whole region like that one.
 */
export function howToPrice(e: ResourceEstimate): string {
  const region = e.region?.region ?? "<region>";
  const why = e.unpriced;
  const like = why && "priceLike" in why ? why.priceLike : undefined;
  const regionsRule = like
    ? `{"regions": {"${region}": {"priceLike": "${like}", "multiplier": "<ratio>"}}} (one line: everything in ${region} at ${like}'s catalog prices x the ratio), or `
    : "";
  if (why?.kind === "bedrock-rate") {
    return `add ${regionsRule}{"bedrockRates": [{"model": "${why.model}", "commitment": "${why.commitment}", "usdPerModelUnitHour": "<rate>"}]} ${SHEET}`;
  }
  if (why?.kind === "serverless-rate") {
    return `add {"sagemakerServerless": {"usdPerGbSecond": "<rate>"}} ${SHEET}`;
  }
  const type =
    e.unpricedTypes?.[0] ??
    (why?.kind === "instance-rate" ? why.instanceType : undefined) ??
    e.instanceTypes[0] ??
    "<instance type>";
  return `add ${regionsRule}{"rates": [{"instanceType": "${type}", "region": "${region}", ${type.startsWith("ml.") ? '"service": "sagemaker", ' : ""}"usdPerHour": "<rate>"}]} ${SHEET}`;
}

export const unpricedAccelerators = defineRule({
  name: "unpriced-accelerators",
  description:
    "A GPU, accelerator or inference resource whose cost cannot be determined is not treated as free: it must be priced before it deploys.",
  remediationSteps:
    "Give the resource a price in the price sheet (computeguard-settings priceSheet in the policy config): a `regions` rule (priceLike + multiplier) prices everything in a region the catalog lacks like a region it has; a rate prices one instance type/region, Bedrock model or serverless memory. Or make the value that decides its cost known at deploy time. A type computeguard has no adapter for (the tripwire) cannot be priced by a rate: use a type it prices, or have the platform team accept it in policy config.",
  severity: "critical",
  enforcementLevel: "mandatory",
  config: Config,
  checkResource(e) {
    const base = { policy: this.name, urn: e.urn, resourceType: e.type };
    if (e.status === "unpriced" && e.tripwire) {
      return [
        {
          ...base,
          decision: "blocked",
          message: `${e.name}: ${clause(e.reason)}. Use a resource type computeguard prices, or ask the platform team to accept it (this policy's enforcement level)`,
        },
      ];
    }
    if (e.status === "unpriced") {
      return [
        {
          ...base,
          decision: "blocked",
          message: `${e.name} cannot be priced: ${clause(e.reason)}. To price it, ${howToPrice(e)}`,
        },
      ];
    }
    if (e.status === "unknown" && !e.monthly && !e.oneTime) {
      const fields = e.unknownFields.length > 0 ? ` (${e.unknownFields.join(", ")})` : "";
      return [
        {
          ...base,
          decision: "blocked",
          message: `${e.name}'s cost cannot be bounded${fields}: ${clause(e.reason)}`,
        },
      ];
    }
    if (e.status === "priced" || e.status === "unknown") return [passed(this.name, e, "priced")];
    return [];
  },
});
