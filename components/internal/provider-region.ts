import { getRegionOutput } from "@pulumi/aws/getRegion.js";
import * as pulumi from "@pulumi/pulumi";

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
