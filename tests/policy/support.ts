import type { ResourceInput } from "../../src/estimate/types.js";
import type { Rule } from "../../src/policy/rule.js";
import { GateSession } from "../../src/policy/session.js";
import type { Verdict } from "../../src/policy/verdict.js";
import type { PriceSheet } from "../../src/pricing/price-sheet.js";
import { parsePriceSheet } from "../../src/pricing/price-sheet.js";

export const NOW = new Date("2026-11-27T12:00:00Z");

export function session(opts: { priceSheet?: PriceSheet; stack?: string } = {}): GateSession {
  return new GateSession({
    stack: opts.stack ?? "prod",
    now: () => NOW,
    defaultRegion: "us-east-1",
    ...(opts.priceSheet ? { priceSheet: opts.priceSheet } : {}),
  });
}

export const sheet = (json: unknown) => parsePriceSheet(json);

const urn = (type: string, name: string) => `urn:pulumi:prod::ml::${type}::${name}`;

export function resource(
  type: string,
  name: string,
  props: Record<string, unknown>,
  region = "us-east-1",
): ResourceInput {
  return { urn: urn(type, name), type, name, props, providerRegion: region };
}

export const tags = { team: "research", "cost-center": "cc-42" };

export function instance(
  name: string,
  instanceType: string,
  extra: Record<string, unknown> = {},
): ResourceInput {
  return resource("aws:ec2/instance:Instance", name, { instanceType, tags, ...extra });
}

export function nodeGroup(
  name: string,
  instanceTypes: string[],
  scaling: Record<string, unknown>,
  extra: Record<string, unknown> = {},
) {
  return resource("aws:eks/nodeGroup:NodeGroup", name, {
    instanceTypes,
    scalingConfig: scaling,
    tags,
    ...extra,
  });
}

export function endpointConfig(
  name: string,
  instanceType: string,
  count: number,
  extraTags: Record<string, string> = {},
) {
  return resource("aws:sagemaker/endpointConfiguration:EndpointConfiguration", name, {
    name,
    productionVariants: [
      { variantName: "AllTraffic", instanceType, initialInstanceCount: count, modelName: "m" },
    ],
    tags: { ...tags, ...extraTags },
  });
}

/** Verdicts other than passes, as `decision: message`. */
export function findings(verdicts: Verdict[]): string[] {
  return verdicts.filter((v) => v.decision !== "passed").map((v) => `${v.decision}: ${v.message}`);
}

export function check<C>(rule: Rule<C>, config: unknown, inputs: ResourceInput[], s = session()): Verdict[] {
  return inputs.flatMap((i) => s.resourceVerdicts(rule, config, i));
}
