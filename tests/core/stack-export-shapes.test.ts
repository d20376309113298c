import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { estimateStack } from "../../src/estimate/estimator.js";
import { parseStackExport, stateProps } from "../../src/inputs/stack-export.js";
import { diffCosts } from "../../src/plan/cost-diff.js";
import { planFromStackExports } from "../../src/plan/stack-exports.js";

const DIR = "tests/fixtures/realworld";
const load = (name: string): unknown => JSON.parse(readFileSync(`${DIR}/${name}`, "utf8"));
const SECRET_SIG = "4dabf18193072939515e22adb298388d";

function keysAtAnyDepth(value: unknown, into = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) keysAtAnyDepth(v, into);
  else if (typeof value === "object" && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      into.add(k);
      keysAtAnyDepth(v, into);
    }
  }
  return into;
}

describe("stack exports as Pulumi writes them", () => {
  it("reads a v3 export with null propertyDependencies and a null-free input overlay (pulumi/docs example)", () => {
    const [vpc, ...rest] = parseStackExport(load("docs-webserver-v3-export.json"), "web.json");
    expect(rest).toEqual([]);
    expect(vpc!.type).toBe("aws:ec2/vpc:Vpc");
    expect(vpc!.props.cidrBlock).toBe("10.0.0.0/16");
    // `cidrBlock: null` in propertyDependencies says nothing: dropped, not an empty list.
    expect(vpc!.propertyDependencies).toEqual({});
    expect(vpc!.providerRegion).toBe("us-west-2");
    expect(keysAtAnyDepth(vpc!.props).has("__defaults")).toBe(false);
  });

  it("reads pulumi-eks managed node groups (Pulumi ~3.94): engine keys gone at every depth, default_5_42_0 by URN::ID", () => {
    const inputs = parseStackExport(load("eks-managed-nodegroup-v3-export.json"), "ng.json");
    // The stack, the eks:index:Cluster component and the provider are not cloud resources.
    expect(inputs.map((i) => i.type)).toEqual(["aws:iam/role:Role", "aws:eks/nodeGroup:NodeGroup"]);
    const [role, group] = inputs;
    expect(role!.propertyDependencies).toEqual({});
    expect(group!.providerRegion).toBe("us-west-2");
    expect(group!.props.instanceTypes).toEqual(["t3.medium"]);
    expect(group!.props.scalingConfig).toEqual({ desiredSize: 2, maxSize: 2, minSize: 1 });
    expect(Object.keys(group!.propertyDependencies!).sort()).toEqual([
      "clusterName",
      "nodeRoleArn",
      "subnetIds",
    ]);
    const keys = keysAtAnyDepth(group!.props);
    expect(keys.has("__defaults")).toBe(false);
    expect(keys.has("__meta")).toBe(false);
    // The provider's own nulls are kept for the adapters to read as absence.
    expect(group!.props.launchTemplate).toBeNull();
  });

  it("reads a v4 export: taint and hooks run as usual, a pending-deletion copy is listed, a pending replacement is gone", () => {
    const inputs = parseStackExport(load("stack-export-v4.json"), "v4.json");
    expect(inputs.map((i) => i.name)).toEqual([
      "inference (pending deletion)",
      "trainer",
      "inference",
      "shared-notebook",
      "secret-type",
      "fleet-logs",
    ]);
    expect(inputs.every((i) => i.providerRegion === "us-west-2" || i.type === "aws:s3/bucket:Bucket")).toBe(
      true,
    );
    const secret = inputs.find((i) => i.name === "secret-type")!;
    expect((secret.props.instanceType as Record<string, unknown>)[SECRET_SIG]).toBeDefined();

    const stack = estimateStack(inputs);
    const byName = new Map(stack.resources.map((e) => [e.name, e]));
    // p4d.24xlarge in us-west-2: 21.95764 x 730 = 16,029.0772 -> $16,029.08
    expect(byName.get("trainer")!.monthly!.worstCase.total.toFixed(2)).toBe("16029.08");
    // The old copy still runs until Pulumi deletes it: g5.xlarge 1.006 x 730.
    expect(byName.get("inference (pending deletion)")!.monthly!.worstCase.total.toFixed(2)).toBe("734.38");
    expect(byName.get("inference")!.status).toBe("not-applicable");
    expect(byName.get("secret-type")!.status).toBe("unknown");
    expect(stack.totals.monthlyWorstCase.toFixed(2)).toBe("17497.84");
  });

  it.each([1, 2, 3, 4])("accepts deployment version %i", (version) => {
    const json = {
      version,
      deployment: {
        resources: [
          { urn: "urn:pulumi:s::p::aws:ec2/instance:Instance::a", type: "aws:ec2/instance:Instance" },
        ],
      },
    };
    expect(parseStackExport(json, "s.json").map((i) => i.name)).toEqual(["a"]);
  });

  it("refuses a version it does not know, naming the field", () => {
    expect(() => parseStackExport({ version: 5, deployment: {} }, "s.json")).toThrow(
      /^s\.json: not a pulumi stack export \(version: expected a deployment version 1, 2, 3, 4\)$/,
    );
  });

  it("says what a raw checkpoint is and how to get an export", () => {
    expect(() => parseStackExport(load("raw-checkpoint-v4.json"), "foo.json")).toThrow(
      "foo.json: this is a raw Pulumi state checkpoint (the backend's stack file), not a stack export: run `pulumi stack export --file stack.json` and pass that file",
    );
  });

  it("says a preview is a preview", () => {
    expect(() => parseStackExport({ steps: [], changeSummary: {} }, "p.json")).toThrow(
      "p.json: this is pulumi preview --json output, not a stack export: pass it with --preview",
    );
  });

  it("reads null inputs, outputs and provider as absent", () => {
    const json = {
      version: 3,
      deployment: {
        resources: [
          { urn: "urn:pulumi:s::p::t::a", type: "t", inputs: null, outputs: null, provider: null, id: null },
        ],
      },
    };
    const [a] = parseStackExport(json, "s.json");
    expect(a!.props).toEqual({});
    expect(a!.id).toBeUndefined();
    expect(a!.providerRegion).toBeUndefined();
  });
});

describe("stateProps", () => {
  const plain = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
  const props = fc.dictionary(
    fc.oneof(fc.constantFrom("__defaults", "__meta", "instanceType", "tags"), fc.string({ minLength: 1 })),
    fc.oneof(plain, fc.dictionary(fc.constantFrom("__defaults", "a", "b"), plain)),
  );

  it("drops engine keys at every depth and never lets a null input hide an output", () => {
    fc.assert(
      fc.property(props, props, (inputs, outputs) => {
        const merged = stateProps(inputs, outputs);
        const keys = keysAtAnyDepth(merged);
        expect(keys.has("__defaults") || keys.has("__meta")).toBe(false);
        for (const [k, v] of Object.entries(inputs)) {
          if (k === "__defaults" || k === "__meta" || k === "__proto__") continue;
          if (v !== null) expect(merged[k]).toEqual(stateProps({ [k]: v }, {})[k]);
          else if (k in outputs) expect(merged[k]).toEqual(stateProps({}, { [k]: outputs[k] })[k]);
        }
      }),
    );
  });
});

describe("two exports", () => {
  const instance = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
    urn: `urn:pulumi:prod::p::aws:ec2/instance:Instance::${name}`,
    type: "aws:ec2/instance:Instance",
    id: `i-${name}`,
    inputs: { instanceType: type, availabilityZone: "us-east-1a" },
    ...extra,
  });
  const exportOf = (...resources: unknown[]) => ({ version: 3, deployment: { resources } });

  it("a resource newly read (external) is existing spend: read, same cost both sides, delta 0", () => {
    const plan = planFromStackExports(exportOf(instance("nb", "g5.xlarge", { external: true })), exportOf(), {
      newer: "new.json",
      older: "old.json",
    });
    expect(plan.resources.map((r) => r.change)).toEqual(["read"]);
    const diff = diffCosts(plan);
    expect(diff.resources[0]!.delta!.monthlyWorstCase.isZero()).toBe(true);
    expect(diff.totals.past.monthlyWorstCase.toFixed(2)).toBe(diff.totals.new.monthlyWorstCase.toFixed(2));
    expect(diff.totals.new.monthlyWorstCase.isZero()).toBe(false);
  });

  it("a read resource no longer read is discarded from the state, still running", () => {
    const plan = planFromStackExports(exportOf(), exportOf(instance("nb", "g5.xlarge", { external: true })), {
      newer: "new.json",
      older: "old.json",
    });
    expect(plan.resources.map((r) => r.change)).toEqual(["discard"]);
    expect(diffCosts(plan).resources[0]!.delta!.monthlyWorstCase.isZero()).toBe(true);
  });

  it("a pending-deletion copy is its own resource at the same URN: deleted when it is gone", () => {
    const plan = planFromStackExports(
      exportOf(instance("a", "p4d.24xlarge")),
      exportOf(instance("a", "p5.48xlarge", { delete: true }), instance("a", "p4d.24xlarge")),
      { newer: "new.json", older: "old.json" },
    );
    expect(plan.resources.map((r) => [r.name, r.change])).toEqual([
      ["a", "same"],
      ["a (pending deletion)", "delete"],
    ]);
    const diff = diffCosts(plan);
    expect(diff.resources[0]!.delta!.monthlyWorstCase.isZero()).toBe(true);
    // p5.48xlarge in us-east-1 (55.04/h x 730) goes away.
    expect(diff.resources[1]!.delta!.monthlyWorstCase.toFixed(2)).toBe("-40179.20");
  });
});
