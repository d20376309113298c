import { describe, expect, it } from "vitest";
import { planFromPreview } from "../../src/plan/preview.js";
import { UNKNOWN } from "../../src/unknown.js";
import { MIXED, SCALE } from "./support/cli.js";
import { readFixture } from "./support/pipeline.js";
import { INSTANCE, instance, previewDoc, STACK, stateOf, step, urnOf } from "./support/preview-doc.js";

const plan = (doc: unknown) => planFromPreview(doc, "preview plan.json");
const byName = (p: ReturnType<typeof plan>, name: string) => {
  const r = p.resources.find((x) => x.name === name);
  if (!r) throw new Error(`no ${name} in the plan`);
  return r;
};

describe("planFromPreview on the scale-endpoint fixture (default flags: no sames, logical replace)", () => {
  const p = plan(readFixture(SCALE));

  it("pairs each priced resource's old and new state, in plan order", () => {
    expect(p.resources.map((r) => [r.name, r.change, !!r.before, !!r.after])).toEqual([
      ["llm-config", "replace", true, true],
      ["llm-endpoint", "update", true, true],
      ["llm-endpoint-scaling", "update", true, true],
      ["dev-gpu-box", "delete", true, false],
    ]);
    expect(byName(p, "llm-config").before!.props.productionVariants).toEqual([
      expect.objectContaining({ initialInstanceCount: 2 }),
    ]);
    expect(byName(p, "llm-config").after!.props.productionVariants).toEqual([
      expect.objectContaining({ initialInstanceCount: 6 }),
    ]);
  });

  it("counts changes by op, keeps the security group out of the priced resources", () => {
    expect(p.changes).toEqual({ replace: 1, update: 2, delete: 2 });
    expect(p.otherChanges).toBe(1);
    expect(p.resources.some((r) => r.type.startsWith("aws:ec2/securityGroup"))).toBe(false);
    expect(p.stack).toBe("prod");
  });

  it("takes the unchanged default provider's region from the stack's aws:region config", () => {
    // The provider is not in the plan (unchanged, no --show-sames); the endpoint has no own region.
    expect(byName(p, "llm-endpoint").after!.providerRegion).toBe("us-east-1");
  });

  it("says the totals cover the listed resources only", () => {
    expect(p.coverage).toBe("changed-only");
    expect(p.notes).toEqual([expect.stringContaining("(8 unchanged not shown)")]);
    expect(p.notes[0]).toContain("--show-sames");
  });

  it("links the endpoint's unknown configuration name through its property dependencies", () => {
    const after = byName(p, "llm-endpoint").after!;
    expect(after.props.endpointConfigName).toBe(UNKNOWN);
    expect(after.propertyDependencies?.endpointConfigName).toEqual([byName(p, "llm-config").urn]);
  });
});

describe("planFromPreview on the mixed fixture (--show-sames --show-replacement-steps)", () => {
  const p = plan(readFixture(MIXED));

  it("folds create-replacement, replace and delete-replaced into one replace", () => {
    const worker = p.resources.filter((r) => r.name === "batch-worker");
    expect(worker).toHaveLength(1);
    expect(worker[0]!.change).toBe("replace");
    expect(worker[0]!.before!.props.ami).toBe("ami-0e2c8caa4b6378d8c");
    expect(worker[0]!.after!.props.ami).toBe("ami-0f9de6e2d2f067fca");
  });

  it("resolves a new provider's region by URN although its id is unknown", () => {
    expect(byName(p, "eu-box").after!.providerRegion).toBe("eu-west-1");
    expect(byName(p, "inference-box").after!.providerRegion).toBe("us-east-1");
  });

  it("keeps secrets and unknowns as they are for the adapters to judge", () => {
    expect(byName(p, "secret-box").after!.props.instanceType).toBe("[secret]");
    expect(byName(p, "pending-box").after!.props.instanceType).toBe(UNKNOWN);
  });

  it("is whole-stack when every unchanged resource is listed; reads change nothing", () => {
    expect(p.coverage).toBe("whole-stack");
    expect(p.notes).toEqual([]);
    expect(p.changes.read).toBe(1);
    expect(p.otherChanges).toBe(2); // the new bucket and the updated role; not the read VPC
  });
});

describe("planFromPreview step shapes", () => {
  const old = instance("box", "g5.xlarge", { id: "i-1" });
  const next = instance("box", "g5.12xlarge");

  it("reads a delete-before-replace (delete-replaced first) like any replacement", () => {
    const p = plan(
      previewDoc([
        step("delete-replaced", old),
        step("replace", old, next),
        step("create-replacement", old, next),
      ]),
    );
    expect(p.resources).toHaveLength(1);
    expect(p.resources[0]).toMatchObject({
      change: "replace",
      before: { props: { instanceType: "g5.xlarge" } },
    });
    expect(p.resources[0]!.after!.props.instanceType).toBe("g5.12xlarge");
  });

  it("does not count a pending replacement's old state as running", () => {
    const p = plan(previewDoc([step("remove-pending-replace", old)]));
    expect(p.resources[0]).toMatchObject({ change: "remove-pending-replace" });
    expect(p.resources[0]!.before).toBeUndefined();
    expect(p.resources[0]!.after).toBeUndefined();
  });

  it("treats an import and a first read as existing spend, and a discarded read as still running", () => {
    const p = plan(
      previewDoc([
        step("import", undefined, next),
        step("read", undefined, instance("nb", "g5.xlarge", { id: "i-2" })),
        step("discard", instance("gone", "g5.xlarge")),
      ]),
    );
    expect(p.resources.map((r) => [r.name, r.change, !!r.before, !!r.after])).toEqual([
      ["box", "import", true, true],
      ["nb", "read", true, true],
      ["gone", "discard", true, true],
    ]);
    for (const r of p.resources) expect(r.before!.props).toEqual(r.after!.props);
  });

  it("refuses a step that must carry the new state and does not, naming the step and its URN", () => {
    for (const op of ["create", "update", "same", "import", "read", "create-replacement", "replace"]) {
      const doc = previewDoc([{ op, urn: urnOf(INSTANCE, "box"), oldState: old, detailedDiff: null }]);
      expect(() => plan(doc)).toThrow(
        `preview plan.json: steps[1].newState: missing on the ${op} step of ${urnOf(INSTANCE, "box")}: nothing to price it by`,
      );
    }
    // A refresh of a resource gone from the cloud has no new state; a delete never has one.
    for (const op of ["refresh", "delete", "delete-replaced", "discard"]) {
      expect(() => plan(previewDoc([step(op, old)]))).not.toThrow();
    }
  });

  it("falls back to the type in the URN when a state could not be serialized", () => {
    const p = plan(previewDoc([{ op: "delete", urn: urnOf(INSTANCE, "ghost"), detailedDiff: null }]));
    expect(p.resources).toEqual([
      { urn: urnOf(INSTANCE, "ghost"), type: INSTANCE, name: "ghost", change: "delete" },
    ]);
  });

  it("accepts a preview without steps (nothing to do)", () => {
    const p = plan({ duration: 1, changeSummary: { same: 3 } });
    expect(p.resources).toEqual([]);
    expect(p.stack).toBe("");
  });

  it("is whole-stack when the change summary counts nothing unchanged", () => {
    const doc = {
      steps: [step("create", undefined, instance("box", "g5.xlarge"))],
      changeSummary: { create: 1 },
    };
    expect(plan(doc)).toMatchObject({ coverage: "whole-stack", notes: [] });
    const { changeSummary: _, ...withoutSummary } = doc;
    expect(plan(withoutSummary).coverage).toBe("changed-only");
  });

  it("marks a preview with error diagnostics incomplete; warnings do not", () => {
    const doc = {
      ...previewDoc([]),
      diagnostics: [
        { message: "boom", severity: "error" },
        { message: "old provider", severity: "warning" },
      ],
    };
    expect(plan(doc).incomplete).toBe(
      "the preview failed with 1 error diagnostic(s): its plan is incomplete, so are these figures",
    );
    expect(plan({ ...doc, diagnostics: [doc.diagnostics[1]] }).incomplete).toBeUndefined();
  });
});

describe("planFromPreview rejects what is not a preview, naming the problem", () => {
  const cases: Array<[string, unknown, string]> = [
    ["an array", [], "preview plan.json: expected pulumi preview --json output (an object), got an array"],
    [
      "a stack export",
      { version: 3, deployment: { resources: [] } },
      "preview plan.json: this is a pulumi stack export, not pulumi preview --json output: pass it with --stack-export",
    ],
    [
      "no steps",
      { config: {} },
      "preview plan.json: not pulumi preview --json output: it has neither steps nor changeSummary",
    ],
    [
      "steps not an array",
      { steps: { op: "create" } },
      "preview plan.json: steps: expected an array, got an object",
    ],
    [
      "a step not an object",
      { steps: [42] },
      "preview plan.json: steps[0]: expected a step object, got number 42",
    ],
    [
      "an unknown op",
      { steps: [{ op: "upsert", urn: urnOf(INSTANCE, "x") }] },
      'preview plan.json: steps[0].op: unknown operation "upsert" (known: create, update, replace, delete, same, read, refresh, create-replacement, delete-replaced, read-replacement, import, import-replacement, discard, discard-replaced, remove-pending-replace)',
    ],
    [
      "a missing urn",
      { steps: [{ op: "create" }] },
      "preview plan.json: steps[0].urn: expected a URN string, got undefined",
    ],
    [
      "a state without a type",
      { steps: [{ op: "create", urn: urnOf(INSTANCE, "x"), newState: { inputs: {} } }] },
      "preview plan.json: steps[0].newState.type: expected a resource type string, got undefined",
    ],
    [
      "inputs that are not an object",
      { steps: [{ op: "create", urn: urnOf(INSTANCE, "x"), newState: { type: INSTANCE, inputs: "x" } }] },
      'preview plan.json: steps[0].newState.inputs: expected an object, got the string "x"',
    ],
    [
      "bad property dependencies on a priced resource",
      {
        steps: [
          {
            op: "create",
            urn: urnOf(INSTANCE, "x"),
            newState: { type: INSTANCE, propertyDependencies: { ami: "a" } },
          },
        ],
      },
      "preview plan.json: steps[0].newState.propertyDependencies.ami: expected an array of URN strings",
    ],
  ];
  it.each(cases)("%s", (_, doc, message) => {
    expect(() => plan(doc)).toThrow(message);
  });
});

describe("planFromPreview on a large plan", () => {
  /** A plan where one step in a hundred is a GPU instance and the rest are buckets. */
  function largePlan(n: number) {
    const steps = Array.from({ length: n }, (_, i) =>
      i % 100 === 0
        ? step("create", undefined, instance(`gpu-${i}`, "g5.xlarge"))
        : step(
            "create",
            undefined,
            stateOf("aws:s3/bucket:Bucket", `bucket-${i}`, { bucket: `b-${i}`, tags: { i: String(i) } }),
          ),
    );
    return previewDoc(steps, { create: n });
  }

  it("builds resource inputs only for priced types, sharing the parsed objects instead of copying them", () => {
    const doc = largePlan(20_000);
    const p = plan(doc);
    expect(p.resources).toHaveLength(200);
    expect(p.otherChanges).toBe(19_800);
    expect(p.changes).toEqual({ create: 20_000 });
    // The input's props point at the parsed document's objects: nothing is deep-copied.
    const first = doc.steps[1]!.newState!;
    expect(p.resources[0]!.after!.props.tags).toBe(first.inputs.tags);
    expect(p.stack).toBe(STACK);
  });
});
