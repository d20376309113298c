/**
 * StackLinks answers the endpoint and scaling-target questions from indexes. They must give exactly
 * what a scan of every resource gives, and scale linearly: a stack of thousands of SageMaker
 * endpoints used to be quadratic to price.
 */

import { performance } from "node:perf_hooks";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { stackLinks } from "../../src/estimate/estimator.js";
import type { ResourceInput } from "../../src/estimate/types.js";
import { UNKNOWN } from "../../src/unknown.js";

const ENDPOINT = "aws:sagemaker/endpoint:Endpoint";
const CONFIG = "aws:sagemaker/endpointConfiguration:EndpointConfiguration";
const TARGET = "aws:appautoscaling/target:Target";
const urn = (type: string, name: string) => `urn:pulumi:prod::ml::${type}::${name}`;

/** The latest of each resource, in the order of its last add: what the stack holds. */
function latest(all: ResourceInput[]): ResourceInput[] {
  const byUrn = new Map<string, ResourceInput>();
  for (const r of all) {
    byUrn.delete(r.urn);
    byUrn.set(r.urn, r);
  }
  return [...byUrn.values()];
}

/** The scans the indexes replace, as the link resolver defined them. */
function scanEndpoints(all: ResourceInput[], configName: unknown, configUrn?: string): ResourceInput[] {
  const known = typeof configName === "string" && configName !== UNKNOWN;
  return latest(all).filter(
    (e) =>
      e.type === ENDPOINT &&
      ((known && e.props.endpointConfigName === configName) ||
        (configUrn !== undefined && (e.propertyDependencies?.endpointConfigName ?? []).includes(configUrn))),
  );
}

function scanTargets(all: ResourceInput[], endpoint: string, variant: string): ResourceInput[] {
  return latest(all).filter(
    (t) => t.type === TARGET && t.props.resourceId === `endpoint/${endpoint}/variant/${variant}`,
  );
}

const names = fc.constantFrom("a", "b", "c", UNKNOWN);
const resourceArb = fc.oneof(
  fc.record({
    type: fc.constant(ENDPOINT),
    name: fc.constantFrom("e1", "e2", "e3"),
    configName: names,
    dependsOn: fc.subarray(["a", "b", "c"]),
  }),
  fc.record({
    type: fc.constant(TARGET),
    name: fc.constantFrom("t1", "t2"),
    endpoint: fc.constantFrom("e1", "e2", UNKNOWN),
    variant: fc.constantFrom("primary", "shadow"),
  }),
);

const configInput = (name: string): ResourceInput => ({
  urn: urn(CONFIG, name),
  type: CONFIG,
  name,
  props: { name },
});

function toInput(r: Record<string, unknown>): ResourceInput {
  if (r.type === ENDPOINT) {
    return {
      urn: urn(ENDPOINT, r.name as string),
      type: ENDPOINT,
      name: r.name as string,
      props: { name: r.name, endpointConfigName: r.configName },
      propertyDependencies: { endpointConfigName: (r.dependsOn as string[]).map((n) => urn(CONFIG, n)) },
    };
  }
  return {
    urn: urn(TARGET, r.name as string),
    type: TARGET,
    name: r.name as string,
    props: { resourceId: `endpoint/${r.endpoint}/variant/${r.variant}` },
  };
}

describe("stack links", () => {
  it("find the same endpoints and scaling targets, in the same order, as a scan (re-added resources too)", () => {
    fc.assert(
      fc.property(fc.array(resourceArb, { maxLength: 25 }), (raw) => {
        const all = raw.map(toInput);
        const links = stackLinks(true, all);
        for (const config of ["a", "b", "c", UNKNOWN]) {
          // A configuration known by name, and one whose name is unknown (linked by URN only).
          for (const target of [configInput(config), { ...configInput(config), props: { name: UNKNOWN } }]) {
            const byName = target.props.name === config ? config : UNKNOWN;
            expect(links.referencing(ENDPOINT, target)).toEqual(scanEndpoints(all, byName, target.urn));
          }
        }
        for (const endpoint of ["e1", "e2", UNKNOWN])
          for (const variant of ["primary", "shadow"])
            expect(
              links.referencingValue(TARGET, ENDPOINT, `endpoint/${endpoint}/variant/${variant}`),
            ).toEqual(scanTargets(all, endpoint, variant));
      }),
    );
  });

  it("keep the latest of each launch template, however often it is added", () => {
    const lt = (instanceType: string): ResourceInput => ({
      urn: urn("aws:ec2/launchTemplate:LaunchTemplate", "lt"),
      type: "aws:ec2/launchTemplate:LaunchTemplate",
      name: "lt",
      props: { instanceType },
    });
    const links = stackLinks(false, [lt("g5.xlarge"), lt("g6.xlarge")]);
    expect(links.ofType("aws:ec2/launchTemplate:LaunchTemplate").map((t) => t.props.instanceType)).toEqual([
      "g6.xlarge",
    ]);
  });

  it("answer every configuration of a stack in time linear in its size", () => {
    const stack = (n: number) => {
      const inputs: ResourceInput[] = [];
      for (let i = 0; i < n; i++) {
        inputs.push({
          urn: urn(ENDPOINT, `ep-${i}`),
          type: ENDPOINT,
          name: `ep-${i}`,
          props: { endpointConfigName: `cfg-${i}` },
        });
        inputs.push({
          urn: urn(TARGET, `t-${i}`),
          type: TARGET,
          name: `t-${i}`,
          props: { resourceId: `endpoint/ep-${i}/variant/v` },
        });
      }
      return inputs;
    };
    const time = (n: number) => {
      const links = stackLinks(true, stack(n));
      let best = Number.POSITIVE_INFINITY;
      for (let round = 0; round < 5; round++) {
        const t0 = performance.now();
        for (let i = 0; i < n; i++) {
          links.referencing(ENDPOINT, configInput(`cfg-${i}`));
          links.referencingValue(TARGET, ENDPOINT, `endpoint/ep-${i}/variant/v`);
        }
        best = Math.min(best, performance.now() - t0);
      }
      return best;
    };
    time(2_000); // warm-up
    // 10x the stack: linear is ~10x the time, the old scans were ~100x.
    expect(time(20_000) / time(2_000)).toBeLessThanOrEqual(40);
  });
});
