import { getRegionOutput } from "@pulumi/aws/getRegion.js";
import * as pulumi from "@pulumi/pulumi";
import type { EstimateScope } from "./resource-input.js";

/**
 * The provider's region when the component was given none (what aws:region or an explicit provider
 * says), looked up through the component so it follows the component's provider.
 */
export function providerRegionOf(
  parent: pulumi.Resource,
  explicitRegion: string | undefined,
): pulumi.Output<string | undefined> {
  if (explicitRegion !== undefined) return pulumi.output(undefined);
  return getRegionOutput({}, { parent }).apply((r) => r.region || r.name || undefined);
}

/** Where a component's children are estimated: its stack, project, type and (looked-up) region. */
export function estimateScope(
  component: pulumi.Resource,
  componentType: string,
  explicitRegion: string | undefined,
): pulumi.Output<EstimateScope> {
  const stack = pulumi.getStack();
  const project = pulumi.getProject();
  return providerRegionOf(component, explicitRegion).apply((providerRegion) => ({
    stack,
    project,
    componentType,
    providerRegion,
  }));
}
