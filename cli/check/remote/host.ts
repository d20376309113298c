import * as pulumi from "@pulumi/pulumi";
import type { RegisterResourceRequest } from "@pulumi/pulumi/proto/resource_pb.js";
import resourcePb from "@pulumi/pulumi/proto/resource_pb.js";
import structPb from "google-protobuf/google/protobuf/struct_pb.js";
import { constructInputs } from "./construct-inputs.js";
import { COMPUTE_FREE, EXPANDERS } from "./registry.js";

/** A remote component this check could not look inside. */
export interface UnexpandedComponent {
  type: string;
  name: string;
  /** Why it cannot run accelerators, for the components known not to create compute. */
  computeFree?: string;
}

/** The resource options a provider's Construct rebuilds from the registration (as the SDK's provider server does). */
function constructOptions(request: RegisterResourceRequest): pulumi.ComponentResourceOptions {
  const providers: Record<string, pulumi.ProviderResource> = {};
  request.getProvidersMap().forEach((ref, pkg) => {
    providers[pkg] = new pulumi.DependencyProviderResource(ref);
  });
  const parent = request.getParent();
  return {
    ...(parent ? { parent: new pulumi.DependencyResource(parent) } : {}),
    providers,
    dependsOn: request.getDependenciesList().map((urn) => new pulumi.DependencyResource(urn)),
    ...(request.getProtect() ? { protect: true } : {}),
  };
}

function known<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** An output value the engine does not know yet, inside an object or list. */
const UNKNOWN_OUTPUT_VALUE = { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialOutputValueSig };

/**
 * A component's outputs in wire form, as a provider's Construct returns them: resources as
 * references, and a value not known during a preview stays unknown on its own (an output value)
 * rather than making the object or list around it unknown, so `cluster.core.cluster` stays usable.
 */
async function wireState(label: string, value: unknown, nested: boolean): Promise<unknown> {
  if (pulumi.Output.isInstance(value) || pulumi.Resource.isInstance(value)) {
    const wire = await pulumi.runtime.serializeProperty(label, value);
    return nested && wire === pulumi.runtime.unknownValue ? UNKNOWN_OUTPUT_VALUE : wire;
  }
  if (Array.isArray(value)) return Promise.all(value.map((v, i) => wireState(`${label}[${i}]`, v, true)));
  if (value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    const wired = await Promise.all(entries.map(([k, v]) => wireState(`${label}.${k}`, v, true)));
    return Object.fromEntries(entries.map(([k], i) => [k, wired[i]]));
  }
  return pulumi.runtime.serializeProperty(label, value);
}

/**
 * Stands in for the engine and the component providers of @pulumi/eks and @pulumi/awsx: when the
 * program registers one of their remote components, the component and its children are registered
 * here, in this process, with the same mock runtime, and the program gets back the component's
 * URN and outputs. Remote components of other packages (or types not known here) are passed to the
 * mock runtime as they are and listed as unexpanded.
 */
export class RemoteComponentHost {
  /** Mock URN -> the component expanded for it: the program passes its components back by reference. */
  private readonly local = new Map<string, pulumi.ComponentResource>();

  canExpand(type: string): boolean {
    return Object.hasOwn(EXPANDERS, type);
  }

  unexpandedComponent(type: string, name: string): UnexpandedComponent {
    const computeFree = COMPUTE_FREE[type];
    return { type, name, ...(computeFree ? { computeFree } : {}) };
  }

  async construct(request: RegisterResourceRequest): Promise<resourcePb.RegisterResourceResponse> {
    const type = request.getType();
    const name = request.getName();
    const expand = EXPANDERS[type]!;
    const { inputs, plain } = constructInputs(
      request,
      (urn, reference) => this.local.get(urn) ?? pulumi.runtime.deserializeProperty(reference, true),
    );
    const { component, outputs } = expand(name, inputs, constructOptions(request), {
      expanded: [...this.local.values()],
      plain,
    });
    const urn = await known(component.urn);
    this.local.set(urn, component);
    const state = (await wireState(
      `construct(${type}, ${name})`,
      outputs,
      false,
    )) as structPb.JavaScriptValue;
    const response = new resourcePb.RegisterResourceResponse();
    response.setUrn(urn);
    response.setObject(structPb.Struct.fromJavaScript(state as Record<string, structPb.JavaScriptValue>));
    return response;
  }
}
