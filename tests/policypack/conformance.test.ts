/**
 * Drives policypack/ the way the Pulumi engine does: spawn run-policy-pack in the pack directory,
 * read the port, ConfigureStack, GetAnalyzerInfo, Configure (defaults + explicit levels), then
 * Analyze per resource and AnalyzeStack over gRPC, with the unknown sentinel for preview values.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { type PolicyPackConfig, UNKNOWN } from "../../harness/engine.js";
import { by, mandatory, packSession, provider } from "./support.js";

const tags = { team: "research", "cost-center": "cc-42" };

const p5 = (name: string, extra: Record<string, unknown> = {}) => ({
  type: "aws:ec2/instance:Instance",
  name,
  provider,
  properties: { instanceType: "p5.48xlarge", ami: "ami-123", tags, ...extra },
});

const pack = packSession();
const launch = pack.launch;

describe("handshake and metadata", () => {
  it("prints only its port and describes every policy with a schema generated from zod", async () => {
    const { info, config, client: c } = await launch();
    expect(c.port).toBeGreaterThan(0);
    expect(info.name).toBe("computeguard");
    const names = info.policies.map((p) => p.name).sort();
    expect(names).toEqual(
      [
        "accelerator-allowlist",
        "bounded-autoscaling",
        "buy-vs-build",
        "computeguard-settings",
        "cost-allocation-tags",
        "gpu-cost-summary",
        "gpu-org-budget",
        "gpu-resource-budget",
        "gpu-stack-budget",
        "inference-margin-floor",
        "training-budget",
        "unpriced-accelerators",
      ].sort(),
    );
    // The two that judge no single resource are stack policies: the SDK skips them per resource.
    const stackOnly = info.policies.filter((p) => p.policyType === "stack").map((p) => p.name);
    expect(stackOnly.sort()).toEqual(["computeguard-settings", "gpu-cost-summary"]);
    expect(info.policies.filter((p) => p.policyType === "resource")).toHaveLength(names.length - 2);
    const level = Object.fromEntries(info.policies.map((p) => [p.name, p.enforcementLevel]));
    expect(level["gpu-stack-budget"]).toBe("mandatory");
    expect(level["unpriced-accelerators"]).toBe("mandatory");
    expect(level["cost-allocation-tags"]).toBe("advisory");
    expect(level["buy-vs-build"]).toBe("advisory");
    for (const p of info.policies) {
      expect(p.remediationSteps, p.name).toBeTruthy();
      expect(p.severity, p.name).toBeTruthy();
    }
    const stack = info.policies.find((p) => p.name === "gpu-stack-budget")!;
    const props = stack.configSchema!.properties as Record<string, { default?: unknown }>;
    expect(props.monthlyLimitUsd?.default).toBe(100000);
    expect(props.warnAtPercent?.default).toBe(80);
    expect(config["gpu-stack-budget"]?.properties.tagKey).toBe("team");
    expect(c.stdoutAfterPort()).toBe("");
  });

  it("rejects a bad config value naming the policy and field (as the CLI would)", async () => {
    await expect(launch({ config: { "gpu-stack-budget": { monthlyLimitUsd: "lots" } } })).rejects.toThrow(
      /gpu-stack-budget.*monthlyLimitUsd/,
    );
  });

  it("re-validates config inside the pack with zod, naming the field", async () => {
    const { client: c } = await launch({
      config: {
        "gpu-resource-budget": {
          exceptions: [
            {
              id: "W-1",
              resource: "a",
              maxMonthlyUsd: 1,
              expires: "2026-13-01",
              approvedBy: "x",
              reason: "y",
            },
          ],
        },
      },
    });
    await expect(c.analyze(p5("a"))).rejects.toThrow(
      /gpu-resource-budget: invalid config: exceptions\.0\.expires: must be a real ISO date/,
    );
  });
});

describe("budgets", () => {
  const budgets = {
    "gpu-resource-budget": { monthlyLimitUsd: 50_000 },
    "gpu-stack-budget": { monthlyLimitUsd: 50_000 },
  };

  it("blocks the resource that crosses the stack budget before it is created, then reports the whole stack", async () => {
    const { client: c } = await launch({ config: budgets });
    const first = await c.analyze(p5("trainer-0"));
    expect(mandatory(first.diagnostics)).toEqual([]);
    // $40,179.20 passes 80 % of $50,000: an advisory warning, not a block.
    expect(by(first.diagnostics, "gpu-stack-budget").map((d) => d.enforcementLevel)).toEqual(["advisory"]);
    const second = await c.analyze(p5("trainer-1"));
    const blocked = mandatory(second.diagnostics);
    expect(blocked.map((d) => d.policyName)).toEqual(["gpu-stack-budget"]);
    expect(blocked[0]!.message).toContain("$80,358.40/mo, over its $50,000.00/mo limit");
    expect(blocked[0]!.urn).toContain("trainer-1");
    const stack = await c.analyzeStack([p5("trainer-0"), p5("trainer-1")]);
    // One overrun, one block: the stack phase does not repeat what trainer-1's analysis blocked.
    expect(mandatory(stack.diagnostics)).toEqual([]);
    // The summary reaches the engineer as text after the port line, not as a violation.
    expect(by(stack.diagnostics, "gpu-cost-summary")).toEqual([]);
    expect(c.stdoutAfterPort()).toContain("total: baseline $80,358.40/mo, worst case $80,358.40/mo");
  });

  it("does not count a resource analysed twice", async () => {
    const { client: c } = await launch({ config: budgets });
    for (let i = 0; i < 3; i++) {
      const r = await c.analyze(p5("trainer-0"));
      expect(mandatory(r.diagnostics)).toEqual([]);
    }
  });

  it("judges each AnalyzeStack on its own resources, however many came before in the same process", async () => {
    const { client: c } = await launch({ config: budgets });
    const stackBlocks = async (resources: ReturnType<typeof p5>[]) =>
      mandatory((await c.analyzeStack(resources)).diagnostics).map((d) => d.policyName);
    expect(await stackBlocks([p5("trainer-0")])).toEqual([]);
    expect(await stackBlocks([p5("trainer-0"), p5("trainer-1")])).toEqual(["gpu-stack-budget"]);
    expect(await stackBlocks([p5("trainer-0", { instanceType: "g5.xlarge" }), p5("trainer-1")])).toEqual([]);
    const totals = c.stdoutAfterPort().match(/total: baseline \$[\d,.]+\/mo/g);
    expect(totals).toEqual([
      "total: baseline $40,179.20/mo",
      "total: baseline $80,358.40/mo",
      "total: baseline $40,913.58/mo", // g5.xlarge $1.006/h x 730 h = $734.38, plus trainer-1
    ]);
  });

  it("blocks one resource over the per-resource limit with the line items in the message", async () => {
    const { client: c } = await launch();
    const r = await c.analyze(p5("big"));
    const d = by(r.diagnostics, "gpu-resource-budget");
    expect(d.map((x) => x.enforcementLevel)).toEqual(["mandatory"]);
    expect(d[0]!.message).toContain("p5.48xlarge on-demand $55.04/h x 730 h x 1");
    expect(d[0]!.message).toContain("over the $20,000.00/mo per-resource limit");
  });

  it("keeps per-team budgets", async () => {
    const { client: c } = await launch({
      config: {
        "gpu-resource-budget": { monthlyLimitUsd: 50_000 },
        "gpu-stack-budget": { teamLimitsUsd: { research: 30_000 } },
      },
    });
    const r = await c.analyze(p5("trainer-0"));
    const d = mandatory(r.diagnostics);
    expect(d.map((x) => x.policyName)).toEqual(["gpu-stack-budget"]);
    expect(d[0]!.message).toContain("team research");
  });

  it("blocks spend charged to a team outside the team limits: a new tag value does not escape them", async () => {
    const { client: c } = await launch({
      config: {
        "gpu-resource-budget": { monthlyLimitUsd: 50_000 },
        "gpu-stack-budget": { teamLimitsUsd: { research: 60_000 } },
      },
    });
    const r = await c.analyze(p5("trainer-0", { tags: { team: "research-x" } }));
    const d = mandatory(r.diagnostics);
    expect(d.map((x) => x.policyName)).toEqual(["gpu-stack-budget"]);
    expect(d[0]!.message).toContain('is charged to team "research-x" (tag team), which has no limit');
  });

  it("honours an explicit enforcement level from the config", async () => {
    const { client: c } = await launch({ config: { ...budgets, "gpu-stack-budget": "advisory" } });
    await c.analyze(p5("trainer-0"));
    const r = await c.analyze(p5("trainer-1"));
    expect(mandatory(r.diagnostics)).toEqual([]);
    expect(by(r.diagnostics, "gpu-resource-budget")).toEqual([]);
  });
});

describe("unknowns stay mandatory", () => {
  it("an unknown instance type is a mandatory finding naming the field, never an advisory 'can't run'", async () => {
    const { client: c } = await launch();
    const r = await c.analyze(p5("mystery", { instanceType: UNKNOWN }));
    expect(r.diagnostics.some((d) => d.message.includes("can't run"))).toBe(false);
    const d = mandatory(r.diagnostics);
    expect(d.map((x) => x.policyName)).toEqual(["unpriced-accelerators"]);
    expect(d[0]!.message).toContain("instanceType");
  });

  it("bounds an unknown instance type by the allowlist's most expensive type", async () => {
    const { client: c } = await launch({
      config: { "accelerator-allowlist": { allowedInstanceFamilies: ["g6"] } },
    });
    const r = await c.analyze(p5("mystery", { instanceType: UNKNOWN }));
    expect(by(r.diagnostics, "unpriced-accelerators")).toEqual([]);
    // g6.48xlarge at $13.3504/h x 730 h = $9,745.79: within the default $20,000 per-resource limit.
    expect(mandatory(r.diagnostics)).toEqual([]);
    const stack = await c.analyzeStack([p5("mystery", { instanceType: UNKNOWN })]);
    expect(c.stdoutAfterPort()).toContain("$9,745.79/mo");
    expect(mandatory(stack.diagnostics)).toEqual([]);
  });

  it("an unknown scaling maximum is a mandatory finding", async () => {
    const { client: c } = await launch();
    const r = await c.analyze({
      type: "aws:eks/nodeGroup:NodeGroup",
      name: "batch",
      provider,
      properties: {
        instanceTypes: ["g6.xlarge"],
        scalingConfig: { minSize: 0, desiredSize: 1, maxSize: UNKNOWN },
        tags,
      },
    });
    const d = mandatory(r.diagnostics)
      .map((x) => x.policyName)
      .sort();
    expect(d).toEqual(["bounded-autoscaling", "unpriced-accelerators"]);
  });
});

describe("linked resources", () => {
  const template = {
    type: "aws:ec2/launchTemplate:LaunchTemplate",
    name: "gpu-lt",
    provider,
    properties: { instanceType: "g6e.12xlarge", name: "gpu-lt-1a2b" },
  };
  const group = {
    type: "aws:autoscaling/group:Group",
    name: "gpu-asg",
    provider,
    properties: {
      minSize: 1,
      desiredCapacity: 2,
      maxSize: 8,
      launchTemplate: { id: UNKNOWN, version: "$Latest" },
      tags: [
        { key: "team", value: "ml", propagateAtLaunch: true },
        { key: "cost-center", value: "cc-1", propagateAtLaunch: true },
      ],
    },
  };

  it("prices a group whose launch template id is unknown, per resource and with the whole stack", async () => {
    const { client: c } = await launch();
    await c.analyze(template);
    const r = await c.analyze(group);
    expect(by(r.diagnostics, "unpriced-accelerators")).toEqual([]);
    // 8 x g6e.12xlarge $10.49264/h x 730 h = $61,277.02 worst case: over the $20,000 resource limit.
    const d = by(r.diagnostics, "gpu-resource-budget");
    expect(d[0]?.message).toContain("g6e.12xlarge on-demand $10.49264/h x 730 h x 8");
    const stack = await c.analyzeStack([
      { ...template, urn: undefined },
      {
        ...group,
        propertyDependencies: {
          launchTemplate: [`urn:pulumi:prod::ml::aws:ec2/launchTemplate:LaunchTemplate::gpu-lt`],
        },
      },
    ]);
    expect(by(stack.diagnostics, "unpriced-accelerators")).toEqual([]);
    expect(c.stdoutAfterPort()).toContain(
      "gpu-asg (aws:autoscaling/group:Group): baseline $15,319.25/mo, worst case $61,277.02/mo",
    );
  });

  it("counts an endpoint's capacity once, and its scaling target's maximum", async () => {
    const { client: c } = await launch({ config: { "gpu-resource-budget": { monthlyLimitUsd: 1_000_000 } } });
    const config = {
      type: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
      name: "llm-config",
      provider,
      properties: {
        name: "llm-config-1",
        productionVariants: [
          {
            variantName: "AllTraffic",
            instanceType: "ml.g5.2xlarge",
            initialInstanceCount: 2,
            modelName: "m",
          },
        ],
        tags,
      },
    };
    const endpoint = {
      type: "aws:sagemaker/endpoint:Endpoint",
      name: "llm",
      provider,
      properties: { name: "llm-1", endpointConfigName: "llm-config-1", tags },
    };
    const target = {
      type: "aws:appautoscaling/target:Target",
      name: "llm-scaling",
      provider,
      properties: {
        resourceId: "endpoint/llm-1/variant/AllTraffic",
        scalableDimension: "sagemaker:variant:DesiredInstanceCount",
        serviceNamespace: "sagemaker",
        minCapacity: 2,
        maxCapacity: 6,
      },
    };
    for (const r of [config, endpoint, target])
      expect(mandatory((await c.analyze(r)).diagnostics)).toEqual([]);
    await c.analyzeStack([config, endpoint, target]);
    // ml.g5.2xlarge $1.515/h x 730 h: baseline x 2 = $2,211.90, worst case x 6 = $6,635.70, counted on the configuration only.
    const out = c.stdoutAfterPort();
    expect(out).toContain(
      "llm-config (aws:sagemaker/endpointConfiguration:EndpointConfiguration): baseline $2,211.90/mo, worst case $6,635.70/mo",
    );
    expect(out).toContain("total: baseline $2,211.90/mo, worst case $6,635.70/mo");
  });
});

describe("margin, allowlist, autoscaling, tags", () => {
  it("blocks an endpoint whose declared margin is below the floor", async () => {
    const { client: c } = await launch();
    const r = await c.analyze({
      type: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
      name: "chat",
      provider,
      properties: {
        productionVariants: [
          {
            variantName: "AllTraffic",
            instanceType: "ml.g5.2xlarge",
            initialInstanceCount: 2,
            modelName: "m",
          },
        ],
        tags: {
          ...tags,
          "computeguard:tokens-per-month": "1000000000",
          "computeguard:price-per-1m-tokens-usd": "3.00",
        },
      },
    });
    const d = by(r.diagnostics, "inference-margin-floor");
    // Revenue 1,000M x $3 = $3,000; cost $2,211.90; margin 26.3 % < 40 %.
    expect(d.map((x) => x.enforcementLevel)).toEqual(["mandatory"]);
    expect(d[0]!.message).toContain("gross margin 26.3% is below the 40% floor");
  });

  it("blocks an unbounded-looking scaler and a disallowed family; warns on missing tags", async () => {
    const { client: c } = await launch({
      config: { "accelerator-allowlist": { allowedInstanceFamilies: ["g6", "g5"] } },
    });
    const r = await c.analyze({
      type: "aws:eks/nodeGroup:NodeGroup",
      name: "burst",
      provider,
      properties: {
        instanceTypes: ["g4dn.xlarge"],
        scalingConfig: { minSize: 0, desiredSize: 0, maxSize: 100 },
      },
    });
    const levels = Object.fromEntries(r.diagnostics.map((d) => [d.policyName, d.enforcementLevel]));
    expect(levels).toMatchObject({
      "bounded-autoscaling": "mandatory",
      "accelerator-allowlist": "mandatory",
      "cost-allocation-tags": "advisory",
    });
  });

  it("fails closed on an unpriced type and says how to add a rate", async () => {
    const { client: c } = await launch();
    const r = await c.analyze(p5("h200", { instanceType: "p5e.48xlarge" }));
    const d = by(r.diagnostics, "unpriced-accelerators");
    expect(d.map((x) => x.enforcementLevel)).toEqual(["mandatory"]);
    expect(d[0]!.message).toContain('"instanceType": "p5e.48xlarge"');
  });

  it("reports malformed props as a finding, not a crash", async () => {
    const { client: c } = await launch();
    const r = await c.analyze(p5("bad", { instanceType: 42 }));
    const d = by(r.diagnostics, "unpriced-accelerators");
    expect(d[0]?.message).toContain("instanceType");
    expect(d[0]?.enforcementLevel).toBe("mandatory");
  });

  it("finds nothing in a stack without GPUs", async () => {
    const { client: c } = await launch();
    const bucket = { type: "aws:s3/bucket:Bucket", name: "logs", provider, properties: { bucket: "logs" } };
    const role = { type: "aws:iam/role:Role", name: "app", provider, properties: { assumeRolePolicy: "{}" } };
    const web = {
      type: "aws:ec2/instance:Instance",
      name: "web",
      provider,
      properties: { instanceType: "m7i.large" },
    };
    for (const r of [bucket, role, web]) expect((await c.analyze(r)).diagnostics).toEqual([]);
    expect((await c.analyzeStack([bucket, role, web])).diagnostics).toEqual([]);
  });
});

/** Waivers may run at most a year (waiverHorizonDays): tests grant them for a month from today. */
const IN_A_MONTH = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

describe("waivers", () => {
  const waiver = (over: Record<string, unknown>) => ({
    "gpu-resource-budget": {
      exceptions: [
        {
          id: "W-7",
          resource: "trainer-*",
          stack: "ml/prod",
          maxMonthlyUsd: 45_000,
          expires: IN_A_MONTH,
          approvedBy: "cfo@example.com",
          reason: "Q4 training run",
          ...over,
        },
      ],
    },
  });

  it("lets a resource in scope and under the cap through, saying which waiver", async () => {
    const { client: c } = await launch({ config: waiver({}) });
    const d = by((await c.analyze(p5("trainer-0"))).diagnostics, "gpu-resource-budget");
    expect(d.map((x) => x.enforcementLevel)).toEqual(["advisory"]);
    expect(d[0]!.message).toContain(`waived by W-7 (approved by cfo@example.com, expires ${IN_A_MONTH}`);
  });

  it("refuses waivers an engineer could stretch: bare stacks, match-all patterns, far-off or impossible dates, duplicates", async () => {
    // Refused by the engine against the configSchema where JSON schema can say it, else by the pack.
    const refusal = async (config: PolicyPackConfig) => {
      try {
        const { client: c } = await launch({ config });
        await c.analyze(p5("trainer-0"));
        return "accepted";
      } catch (error) {
        return (error as Error).message;
      } finally {
        await pack.close();
      }
    };
    for (const [over, why] of [
      [{ stack: "prod" }, /exceptions.*stack.*(pattern|must be "project\/stack")/s],
      [{ resource: "**" }, /exceptions\.0\.resource: must name resources/],
      [{ expires: "9999-12-31" }, /exceptions\.0\.expires: 9999-12-31 is more than 365 days ahead/],
      [{ expires: "2027-02-30" }, /exceptions\.0\.expires: must be a real ISO date/],
    ] as const) {
      expect(await refusal(waiver(over)), JSON.stringify(over)).toMatch(why);
    }
    const twice = waiver({});
    twice["gpu-resource-budget"].exceptions.push({ ...twice["gpu-resource-budget"].exceptions[0]! });
    expect(await refusal(twice)).toMatch(/exceptions\.1\.id: duplicate waiver id "W-7"/);
  }, 90_000);

  it("does not apply out of scope, over its cap or after it expires", async () => {
    for (const [over, name, why] of [
      [{ stack: "ml/staging" }, "trainer-0", "waiver W-7 is for stack ml/staging, not ml/prod"],
      [{ stack: "other/prod" }, "trainer-0", "waiver W-7 is for stack other/prod, not ml/prod"],
      [{ stack: "acme/ml/prod" }, "trainer-0", "waiver W-7 is for organization acme, not organization"],
      [{}, "other-0", "over the $20,000.00/mo per-resource limit"],
      [{ maxMonthlyUsd: 10_000 }, "trainer-0", "covers up to $10,000.00/mo"],
      [{ expires: "2020-01-01" }, "trainer-0", "waiver W-7 expired on 2020-01-01"],
    ] as const) {
      const { client: c } = await launch({ config: waiver(over) });
      const d = by((await c.analyze(p5(name))).diagnostics, "gpu-resource-budget");
      expect(
        d.map((x) => x.enforcementLevel),
        JSON.stringify(over),
      ).toEqual(["mandatory"]);
      expect(d[0]!.message).toContain(why);
      await pack.close();
    }
  }, 60_000);
});

describe("audit trail through the pack", () => {
  const records = () =>
    existsSync(pack.auditLog())
      ? readFileSync(pack.auditLog(), "utf8")
          .trim()
          .split("\n")
          .map((l) => JSON.parse(l))
      : [];

  it("records a block, a warning and a waiver, each exactly once with its costs and limit", async () => {
    const { client: c } = await launch({
      organization: "acme",
      config: {
        "gpu-resource-budget": {
          monthlyLimitUsd: 30_000,
          exceptions: [
            {
              id: "W-9",
              resource: "trainer-0",
              stack: "acme/ml/prod",
              maxMonthlyUsd: 45_000,
              expires: IN_A_MONTH,
              approvedBy: "cfo@example.com",
              reason: "launch",
            },
          ],
        },
        "gpu-stack-budget": { monthlyLimitUsd: 50_000 },
      },
    });
    await c.analyze(p5("trainer-0"));
    await c.analyze(p5("trainer-1"));
    const got = records().map((r) => [
      r.resource?.urn.split("::").pop(),
      r.policy,
      r.decision,
      r.enforcementLevel,
    ]);
    // `decision` is what the deployment felt; `enforcementLevel` the level the policy ran at.
    expect(got).toEqual([
      ["trainer-0", "gpu-resource-budget", "waived", "mandatory"],
      ["trainer-0", "gpu-stack-budget", "warned", "mandatory"],
      ["trainer-1", "gpu-resource-budget", "blocked", "mandatory"],
      ["trainer-1", "gpu-stack-budget", "blocked", "mandatory"],
    ]);
    const [waived, , blocked] = records();
    expect(waived).toMatchObject({
      organization: "acme",
      project: "ml",
      stack: "prod",
      operation: "preview",
      costs: { monthlyBaseline: "40179.20", monthlyWorstCase: "40179.20", oneTime: null },
      limit: "30000",
      budget: "resource",
      waiver: { id: "W-9", approvedBy: "cfo@example.com", expires: IN_A_MONTH },
      catalog: { version: "2026-12-04", date: "2026-12-04" },
      pack: { name: "computeguard", version: "0.1.0" },
      seq: 1,
    });
    expect(blocked.message).toContain("over the $30,000.00/mo per-resource limit");
    expect(blocked.prevHash).toBe(records()[1].hash);
  });

  it("a violation of a policy configured advisory is recorded as a warning", async () => {
    const { client: c } = await launch({ config: { "gpu-resource-budget": "advisory" } });
    await c.analyze(p5("big"));
    expect(records().map((r) => [r.policy, r.decision, r.enforcementLevel])).toEqual([
      ["gpu-resource-budget", "warned", "advisory"],
    ]);
  });

  it("records every policy's pass under COMPUTEGUARD_AUDIT_ALL=1, where nothing is said or recorded without it", async () => {
    const web = {
      type: "aws:ec2/instance:Instance",
      name: "web",
      provider,
      properties: { instanceType: "m7i.large" },
    };
    const g5 = p5("infer", { instanceType: "g5.xlarge" });
    const judged = async (env: Record<string, string>) => {
      const { client: c } = await launch({ env });
      for (const r of [web, g5]) expect((await c.analyze(r)).diagnostics).toEqual([]);
      await pack.close();
      return records().map((r) => [r.resource?.urn.split("::").pop(), r.policy, r.decision]);
    };
    expect(await judged({})).toEqual([]);
    const all = await judged({ COMPUTEGUARD_AUDIT_ALL: "1" });
    expect(all.every(([, , decision]) => decision === "passed")).toBe(true);
    expect(all.filter(([name]) => name === "infer").map(([, policy]) => policy)).toEqual(
      expect.arrayContaining(["gpu-resource-budget", "gpu-stack-budget", "accelerator-allowlist"]),
    );
  });

  it("an unwritable audit log warns in preview and blocks in an update", async () => {
    // A path under a regular file cannot be created, even by root.
    const file = path.join(mkdtempSync(path.join(tmpdir(), "cg-audit-")), "not-a-directory");
    writeFileSync(file, "");
    const unwritable = path.join(file, "audit.jsonl");
    for (const [dryRun, level] of [
      [true, "advisory"],
      [false, "mandatory"],
    ] as const) {
      const { client: c } = await launch({ dryRun, env: { COMPUTEGUARD_AUDIT_LOG: unwritable } });
      const response = await c.analyze(p5("big"));
      const d = response.diagnostics.filter((x) => x.message.includes("audit record"));
      expect(
        d.map((x) => x.enforcementLevel),
        `dryRun=${dryRun}`,
      ).toEqual([level]);
      // Reported in the same response, as the SDK encodes it, under the policy whose decision it was.
      const budget = by(response.diagnostics, "gpu-resource-budget").find((x) => x !== d[0])!;
      expect(d[0]).toMatchObject({
        policyName: "gpu-resource-budget",
        policyPackName: "computeguard",
        policyPackVersion: budget.policyPackVersion,
        description: budget.description,
        severity: budget.severity,
        urn: budget.urn,
      });
      expect(d[0]!.message).toContain("could not be written");
      await pack.close();
    }
  });
});
