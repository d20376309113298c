import type { ResourceInput } from "../../src/estimate/types.js";

/** Where a component's children live, for the URNs and provider region the core is handed. */
export interface EstimateScope {
  stack: string;
  project: string;
  /** e.g. computeguard:index:GpuInstance */
  componentType: string;
  /** The provider's region, when the component was not given one. */
  providerRegion?: string | undefined;
}

/**
 * A child resource as the core sees it: the URN Pulumi gives a child of the component, and the plain
 * props passed to the AWS resource. Names that AWS auto-generates are replaced by the child's logical
 * name, so links (endpoint -> configuration -> scaling target) resolve before the names exist.
 */
export function childInput(
  scope: EstimateScope,
  type: string,
  name: string,
  props: Record<string, unknown>,
): ResourceInput {
  return {
    urn: `urn:pulumi:${scope.stack}::${scope.project}::${scope.componentType}$${type}::${name}`,
    type,
    name,
    props,
    providerRegion: scope.providerRegion,
  };
}
