import { z } from "zod";
import { blankEstimate, malformed, withStatus } from "../../../estimate/build.js";
import type { EstimateContext, ResourceEstimate, ResourceInput } from "../../../estimate/types.js";
import { isKnown, orUnknown, readProps, Text } from "../../props.js";

export const TYPE = "aws:sagemaker/endpoint:Endpoint";
export const ENDPOINT_CONFIGURATION = "aws:sagemaker/endpointConfiguration:EndpointConfiguration";
export const REFERENCES = { endpointConfigName: [ENDPOINT_CONFIGURATION] };

const EndpointProps = z.object({ endpointConfigName: orUnknown(Text) });

/** An endpoint runs its configuration's capacity; that cost is counted once, on the configuration. */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(EndpointProps, input.props);
  if (!read.ok) return malformed(input, "inference-endpoint", read.problem);
  const base = blankEstimate(input, "inference-endpoint");
  const configName = read.value.endpointConfigName;
  // An unknown name (preview) can still be linked through propertyDependencies.
  const config = ctx.links.referenced(input, ENDPOINT_CONFIGURATION, { name: configName });
  if (!config) {
    if (!isKnown(configName)) {
      return withStatus(base, "unknown", "endpointConfigName is unknown: its capacity cannot be found", [
        "endpointConfigName",
      ]);
    }
    return withStatus(
      base,
      "unknown",
      `endpoint configuration ${configName} is not in this ${ctx.links.complete ? "stack" : "analysis"}: its capacity cannot be priced here`,
      ["endpointConfigName"],
    );
  }
  return {
    ...withStatus(base, "not-applicable", `capacity counted on endpoint configuration ${config.name}`),
    category: "inference-endpoint",
    linkedTo: config.urn,
  };
}
