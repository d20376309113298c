import * as pulumi from "@pulumi/pulumi";

/** A remote component's inputs as its provider's Construct receives them (see constructInputs). */
// biome-ignore lint/suspicious/noExplicitAny: component inputs are untyped on the wire; each expander reads its own.
export type ConstructInputs = Record<string, any>;

export interface ExpansionContext {
  /** Components this check has expanded so far, in order: a node group finds its cluster here. */
  readonly expanded: readonly pulumi.ComponentResource[];
  /** The inputs as plain values (not Outputs carrying their dependencies), to look things up in. */
  readonly plain: ConstructInputs;
}

/** What a provider's Construct returns: the component it registered and the outputs it hands back. */
export interface Expansion {
  component: pulumi.ComponentResource;
  outputs: Record<string, unknown>;
}

/**
 * Registers, offline, the component a remote (multi-language) component's provider would register
 * for these inputs, and the child resources it would register under it (types, names and the
 * properties cost depends on), and returns the component's outputs.
 */
export type Expander = (
  name: string,
  inputs: ConstructInputs,
  opts: pulumi.ComponentResourceOptions,
  context: ExpansionContext,
) => Expansion;

/** The component an expansion registers (type token of the remote component it stands for). */
export class ExpandedComponent extends pulumi.ComponentResource {
  /** Registers the outputs and returns the expansion: the last step of every expander. */
  expansion(outputs: Record<string, unknown>): Expansion {
    this.registerOutputs(outputs);
    return { component: this, outputs };
  }
}

/** A resource of another provider than AWS (eks:index:RandomSuffix, kubernetes:...), by its type token. */
export class ForeignResource extends pulumi.CustomResource {}

/** A provider of another package than AWS (the cluster's Kubernetes provider), by package name. */
export class ForeignProvider extends pulumi.ProviderResource {}
