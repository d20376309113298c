// The computeguard component library: Pulumi components that carry their economics and expose the
// projected cost the policy pack will judge. Everything exported here is what `pulumi package add` sees.
export * from "./gpu-instance.js";
export * from "./gpu-node-group.js";
export * from "./inference-endpoint.js";
export type { CostSummary } from "./internal/cost-summary.js";
export { InvalidArgumentsError } from "./internal/invalid-arguments.js";
export type { EstimateScope } from "./internal/resource-input.js";
export type {
  CostArgs,
  EconomicsArgs,
  PriceSheetArgs,
  PriceSheetBedrockRateArgs,
  PriceSheetRateArgs,
  PriceSheetRegionRuleArgs,
  PriceSheetSavingsPlanArgs,
  PriceSheetServerlessArgs,
} from "./internal/shared-args.js";
export * from "./provisioned-throughput.js";
export * from "./training-capacity-block.js";
