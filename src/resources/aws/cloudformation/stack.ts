import { z } from "zod";
import { blankEstimate, malformed, notApplicable, unpricedAs, withStatus } from "../../../estimate/build.js";
import { combineEstimates, type EstimatePart } from "../../../estimate/combine.js";
import type {
  AcceleratorMention,
  EstimateContext,
  LinkResolver,
  ResourceEstimate,
  ResourceInput,
} from "../../../estimate/types.js";
import { acceleratorTypes } from "../../../pricing/accelerator-types.js";
import { isUndecidable } from "../../../unknown.js";
import { isKnown, orUnknown, readProps, Text } from "../../props.js";
import { acceleratorMentions } from "../../tripwire.js";
import * as group from "../autoscaling/group.js";
import * as instance from "../ec2/instance.js";
import { LAUNCH_CONFIGURATION, LAUNCH_TEMPLATE, sourceTypes } from "../ec2/launch-source.js";
import { cfnNumber, parseTemplate, resolver, type Template } from "./template.js";

export const TYPE = "aws:cloudformation/stack:Stack";
/** A template computed from launch configurations or templates (as @pulumi/eks NodeGroup's is) names them. */
export const REFERENCES = { templateBody: [LAUNCH_CONFIGURATION, LAUNCH_TEMPLATE] };

const StackProps = z.object({
  templateBody: orUnknown(Text).optional(),
  templateUrl: orUnknown(Text).optional(),
  parameters: orUnknown(z.record(z.string(), z.unknown())).optional(),
});

type Props = Record<string, unknown>;
const SOURCES = new Set([
  "AWS::AutoScaling::LaunchConfiguration",
  "AWS::EC2::LaunchTemplate",
  "AWS::AutoScaling::WarmPool",
]);
const asRecord = (v: unknown): Props => (v && typeof v === "object" && !Array.isArray(v) ? (v as Props) : {});
const defined = (o: Props): Props => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The template's own launch configurations and templates, found before the stack's links. */
class TemplateLinks implements LinkResolver {
  constructor(
    private readonly local: readonly ResourceInput[],
    private readonly outer: LinkResolver,
  ) {}

  get complete(): boolean {
    return this.outer.complete;
  }

  referenced(from: ResourceInput, type: string, ref: { id?: unknown; name?: unknown }) {
    const matches = (key: unknown, value: unknown) =>
      typeof key === "string" && !isUndecidable(key) && key === value;
    const own = this.local.find(
      (r) => r.type === type && (matches(ref.id, r.props.id) || matches(ref.name, r.props.name)),
    );
    return own ?? this.outer.referenced(from, type, ref);
  }

  dependencies(from: ResourceInput, types: readonly string[]) {
    return this.outer.dependencies(from, types);
  }

  ofType(type: string) {
    return [...this.local.filter((r) => r.type === type), ...this.outer.ofType(type)];
  }

  referencing(fromType: string, target: ResourceInput) {
    return this.outer.referencing(fromType, target);
  }

  referencingValue(fromType: string, targetType: string, value: string) {
    return this.outer.referencingValue(fromType, targetType, value);
  }
}

/** AWS::AutoScaling::AutoScalingGroup properties as the Auto Scaling group adapter reads them. */
function groupProps(p: Props, warmPool: Props | undefined): Props {
  const lt = p.LaunchTemplate === undefined ? undefined : asRecord(p.LaunchTemplate);
  const mixed = p.MixedInstancesPolicy === undefined ? undefined : asRecord(p.MixedInstancesPolicy);
  const mixedTemplate = asRecord(mixed?.LaunchTemplate);
  const spec = asRecord(mixedTemplate.LaunchTemplateSpecification);
  const dist = asRecord(mixed?.InstancesDistribution);
  return defined({
    minSize: cfnNumber(p.MinSize),
    maxSize: cfnNumber(p.MaxSize),
    desiredCapacity: cfnNumber(p.DesiredCapacity),
    launchConfiguration: p.LaunchConfigurationName,
    launchTemplate:
      lt && defined({ id: lt.LaunchTemplateId, name: lt.LaunchTemplateName, version: lt.Version }),
    mixedInstancesPolicy: mixed && {
      launchTemplate: defined({
        launchTemplateSpecification: defined({
          launchTemplateId: spec.LaunchTemplateId,
          launchTemplateName: spec.LaunchTemplateName,
          version: spec.Version,
        }),
        overrides: Array.isArray(mixedTemplate.Overrides)
          ? mixedTemplate.Overrides.map((o) => defined({ instanceType: asRecord(o).InstanceType }))
          : undefined,
      }),
      instancesDistribution: defined({
        onDemandBaseCapacity: cfnNumber(dist.OnDemandBaseCapacity),
        onDemandPercentageAboveBaseCapacity: cfnNumber(dist.OnDemandPercentageAboveBaseCapacity),
      }),
    },
    warmPool: warmPool && {
      ...defined({
        maxGroupPreparedCapacity: cfnNumber(warmPool.MaxGroupPreparedCapacity),
        minSize: cfnNumber(warmPool.MinSize),
        poolState: warmPool.PoolState,
      }),
    },
  });
}

function instanceProps(p: Props): Props {
  const lt = p.LaunchTemplate === undefined ? undefined : asRecord(p.LaunchTemplate);
  return defined({
    instanceType: p.InstanceType,
    availabilityZone: p.AvailabilityZone,
    launchTemplate:
      lt && defined({ id: lt.LaunchTemplateId, name: lt.LaunchTemplateName, version: lt.Version }),
  });
}

/**
 * A CloudFormation stack (what @pulumi/eks NodeGroup and awsx classic create): the Auto Scaling
 * groups and instances of its template are priced with their launch configurations or templates
 * (the template's own, or the stack's by name); any other template resource whose properties name
 * an accelerator instance type is flagged, never taken as free.
 */
export function estimate(input: ResourceInput, ctx: EstimateContext): ResourceEstimate {
  const read = readProps(StackProps, input.props);
  if (!read.ok) return malformed(input, "gpu-compute", read.problem);
  const props = read.value;
  const base = blankEstimate(input, "gpu-compute");
  if (props.templateBody === undefined) {
    if (props.templateUrl !== undefined) {
      return withStatus(
        base,
        "unknown",
        "templateUrl: computeguard reads templateBody only, so what the template launches cannot be read",
        ["templateUrl"],
      );
    }
    return notApplicable(input, "no template");
  }
  if (!isKnown(props.templateBody)) return unreadTemplate(input, base, ctx);
  let template: Template;
  try {
    template = parseTemplate(props.templateBody);
  } catch (error) {
    return malformed(
      input,
      "gpu-compute",
      `templateBody: not a JSON or YAML template: ${(error as Error).message}`,
    );
  }
  const parameters = isKnown(props.parameters) ? props.parameters : {};
  const handle = (logicalId: string) => `${input.name}/${logicalId}`;
  const resolve = resolver(template, parameters, handle);
  const resources = Object.entries(template.Resources ?? {}).map(([id, r]) => ({
    id,
    type: typeof r?.Type === "string" ? r.Type : "",
    raw: r?.Properties ?? {},
    props: asRecord(resolve(r?.Properties ?? {})),
  }));

  const sub = (type: string, id: string, subProps: Props): ResourceInput => ({
    urn: `${input.urn}$${id}`,
    type,
    name: handle(id),
    props: defined({ ...subProps, region: input.props.region }),
    providerRegion: input.providerRegion,
  });
  const local: ResourceInput[] = [];
  const warmPools = new Map<string, Props>();
  for (const r of resources) {
    if (r.type === "AWS::AutoScaling::LaunchConfiguration")
      local.push(
        sub(LAUNCH_CONFIGURATION, r.id, {
          id: handle(r.id),
          name: handle(r.id),
          instanceType: r.props.InstanceType,
          spotPrice: r.props.SpotPrice,
        }),
      );
    if (r.type === "AWS::EC2::LaunchTemplate")
      local.push(
        sub(LAUNCH_TEMPLATE, r.id, {
          id: handle(r.id),
          name: r.props.LaunchTemplateName ?? handle(r.id),
          instanceType: asRecord(r.props.LaunchTemplateData).InstanceType,
        }),
      );
    if (r.type === "AWS::AutoScaling::WarmPool" && typeof r.props.AutoScalingGroupName === "string")
      warmPools.set(r.props.AutoScalingGroupName, r.props);
  }
  const subCtx: EstimateContext = { ...ctx, links: new TemplateLinks(local, ctx.links) };
  const accelerators = acceleratorTypes(ctx.pricer.catalog);
  const parts: EstimatePart[] = [];
  for (const r of resources) {
    const field = `templateBody.Resources.${r.id}`;
    let part: ResourceEstimate;
    if (r.type === "AWS::AutoScaling::AutoScalingGroup") {
      part = group.estimate(sub(group.TYPE, r.id, groupProps(r.props, warmPools.get(handle(r.id)))), subCtx);
    } else if (r.type === "AWS::EC2::Instance") {
      part = instance.estimate(sub(instance.TYPE, r.id, instanceProps(r.props)), subCtx);
    } else {
      // Launch sources and warm pools are priced through their groups; anything else is tripwire
      // territory: named, never free.
      if (SOURCES.has(r.type)) continue;
      const mentions = unique([
        ...acceleratorMentions(r.props, accelerators, `${field}.Properties`),
        ...acceleratorMentions(r.raw, accelerators, `${field}.Properties`),
      ]);
      if (mentions.length === 0) continue;
      part = {
        ...unpricedAs(
          blankEstimate(input, "gpu-compute"),
          `computeguard does not price ${r.type || "a resource without a Type"}, and it names accelerator instance types (${mentions.map((m) => `${m.path} = ${m.value}`).join(", ")})`,
          { kind: "no-adapter" },
        ),
        instanceTypes: [...new Set(mentions.map((m) => m.value))],
        tripwire: mentions,
      };
    }
    parts.push({ label: r.id, field, estimate: part });
  }
  return combineEstimates(base, parts);
}

function unique(mentions: AcceleratorMention[]): AcceleratorMention[] {
  return [...new Map(mentions.map((m) => [`${m.path}|${m.value}`, m])).values()];
}

/**
 * During preview a template computed from other resources (a launch configuration's name, subnet
 * ids) is unknown as a whole. What it launches is one of the launch configurations or templates it
 * is computed from (with the whole stack known) or of this deployment so far: all without an
 * accelerator, it runs none; otherwise its size is inside the template, so it cannot be bounded.
 */
function unreadTemplate(
  input: ResourceInput,
  base: ResourceEstimate,
  ctx: EstimateContext,
): ResourceEstimate {
  const kinds = [LAUNCH_CONFIGURATION, LAUNCH_TEMPLATE];
  const sources = ctx.links.complete
    ? ctx.links.dependencies(input, kinds)
    : kinds.flatMap((k) => ctx.links.ofType(k));
  const types = sourceTypes(sources);
  const why = "templateBody is unknown until the resources it is computed from exist";
  if (sources.length === 0 || !types)
    return withStatus(base, "unknown", `${why}: what it launches cannot be read`, ["templateBody"]);
  const named = [...new Set(types)];
  const accelerators = acceleratorTypes(ctx.pricer.catalog);
  const gpu = named.filter((t) => accelerators.isAccelerator(t));
  const from = ctx.links.complete ? "it is computed from" : "of this deployment";
  if (named.length > 0 && gpu.length === 0) {
    return notApplicable(
      input,
      `no accelerator: ${why}, and the launch configurations and templates ${from} run ${named.join(", ")}`,
    );
  }
  return {
    ...withStatus(
      base,
      "unknown",
      gpu.length > 0
        ? `${why}: it may launch ${gpu.join(", ")} (the launch configurations and templates ${from}), and its group sizes are inside the template`
        : `${why}: the launch configurations and templates ${from} name no instance type`,
      ["templateBody"],
    ),
    instanceTypes: gpu,
  };
}
