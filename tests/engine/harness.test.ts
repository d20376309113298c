import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  type Diagnostic,
  type EngineClient,
  launchPolicyPack,
  makeUrn,
  PolicyConfigError,
  PolicyPackRpcError,
  PolicyPackStartError,
  reconcilePolicyConfig,
  secret,
  startPolicyPack,
  UNKNOWN,
  validateJsonSchema,
} from "../../harness/engine.js";

// Spawning node + @pulumi/policy takes a few seconds on a loaded 2-core machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });
const SPAWN_TIMEOUT_MS = 30_000;

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures");
const NOOP_PACK = path.join(fixtures, "noop-pack");
const PROBE_PACK = path.join(fixtures, "probe-pack");
const NOISY_PACK = path.join(fixtures, "noisy-pack");

const GPU = "aws:ec2/instance:Instance";

/** Parses the `probe=<JSON>` suffix the probe pack puts in its violation messages. */
function probeOf(d: Diagnostic | undefined): Record<string, unknown> {
  const m = /probe=(\{.*\})$/s.exec(d?.message ?? "");
  if (!m?.[1]) throw new Error(`no probe payload in ${JSON.stringify(d)}`);
  return JSON.parse(m[1]) as Record<string, unknown>;
}

describe("no-op pack", () => {
  it("starts, handshakes over the port line and analyzes nothing", async () => {
    const { client, info, config } = await launchPolicyPack(NOOP_PACK, { timeoutMs: SPAWN_TIMEOUT_MS });
    try {
      expect(client.port).toBeGreaterThan(0);
      expect(client.port).toBeLessThan(65536);
      expect(client.startupMs).toBeGreaterThan(0);
      expect(info).toMatchObject({ name: "noop", version: "0.0.1", supportsConfig: true });
      expect(info.policies).toEqual([
        expect.objectContaining({ name: "noop", enforcementLevel: "advisory", policyType: "resource" }),
      ]);
      expect(config).toEqual({ noop: { enforcementLevel: "advisory", properties: {} } });

      expect(await client.handshake()).toBe(false); // the Node SDK does not implement Handshake
      expect((await client.getPluginInfo()).version).toMatch(/^\d+\.\d+\.\d+/);
      const resource = { type: GPU, name: "web", properties: { instanceType: "p5.48xlarge" } };
      expect(await client.remediate(resource)).toEqual({ remediations: [], notApplicable: [] });
      expect(await client.analyze(resource)).toEqual({ diagnostics: [], notApplicable: [] });
      expect(await client.analyzeStack([resource])).toEqual({ diagnostics: [], notApplicable: [] });
      expect(client.stdoutAfterPort()).toBe("");
    } finally {
      const status = await client.close();
      expect(status).toEqual({ code: null, signal: "SIGTERM" });
    }
    expect(client.exitStatus()).toEqual({ code: null, signal: "SIGTERM" });
    expect(await client.close()).toEqual({ code: null, signal: "SIGTERM" }); // idempotent
    await expect(client.analyze({ type: GPU, name: "x" })).rejects.toThrow(/closed/);
  });
});

describe("probe pack", () => {
  let client: EngineClient;

  beforeAll(async () => {
    client = await startPolicyPack(PROBE_PACK, {
      timeoutMs: SPAWN_TIMEOUT_MS,
      organization: "acme",
      project: "gpu-farm",
      stack: "staging",
      dryRun: true,
    });
    expect(await client.handshake()).toBe(false);
    await client.configureStack({ tags: { team: "ml" } });
  });

  afterAll(async () => {
    await client?.close();
  });

  it("returns the pack's metadata from GetAnalyzerInfo", async () => {
    const info = await client.getAnalyzerInfo();
    expect(info.name).toBe("probe");
    expect(info.version).toBe("0.3.1"); // package.json version
    expect(info.description).toBe("Probe pack");
    expect(info.policies.map((p) => p.name)).toEqual(["probe-gpu", "probe-initial", "probe-stack"]);

    const gpu = info.policies.find((p) => p.name === "probe-gpu");
    expect(gpu).toMatchObject({
      description: "Flags p5.48xlarge instances.",
      enforcementLevel: "mandatory",
      policyType: "resource",
      severity: "high",
      remediationSteps: "Use a smaller instance type.",
      configSchema: {
        properties: {
          limit: { type: "integer", default: 8, minimum: 0, maximum: 64 },
          mode: { type: "string", enum: ["strict", "lenient"], default: "strict" },
          note: { type: "string" },
        },
        required: ["limit"],
      },
    });
    expect(info.policies.find((p) => p.name === "probe-stack")).toMatchObject({
      enforcementLevel: "advisory",
      policyType: "stack",
    });
    expect(info.policies.find((p) => p.name === "probe-stack")?.configSchema).toBeUndefined();
    // A properties-only initial config entry arrives with the proto default level: advisory.
    expect(info.initialConfig).toEqual({
      "probe-initial": { enforcementLevel: "advisory", properties: { greeting: "from-initial" } },
    });
  });

  it("Configure sends schema defaults and explicit levels; a mandatory policy stays mandatory", async () => {
    const effective = await client.configure();
    expect(effective).toEqual({
      "probe-gpu": { enforcementLevel: "mandatory", properties: { limit: 8, mode: "strict" } },
      // The engine applies the pack's initial config, level included.
      "probe-initial": { enforcementLevel: "advisory", properties: { greeting: "from-initial" } },
      "probe-stack": { enforcementLevel: "advisory", properties: {} },
    });

    const { diagnostics } = await client.analyze({
      type: GPU,
      name: "trainer",
      properties: { instanceType: "p5.48xlarge" },
    });
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics;
    expect(d).toMatchObject({
      policyName: "probe-gpu",
      policyPackName: "probe",
      policyPackVersion: "0.3.1",
      description: "Flags p5.48xlarge instances.",
      enforcementLevel: "mandatory",
      severity: "high",
    });
    expect(d?.message.startsWith("Flags p5.48xlarge instances.\np5.48xlarge is not allowed; probe=")).toBe(
      true,
    );
    expect(probeOf(d).config).toEqual({ limit: 8, mode: "strict" });
  });

  it("applies per-policy overrides, bare levels and the 'all' entry", async () => {
    let effective = await client.configure({ "probe-gpu": { limit: 16, note: "tuned" } });
    expect(effective["probe-gpu"]).toEqual({
      enforcementLevel: "mandatory",
      properties: { limit: 16, mode: "strict", note: "tuned" },
    });
    let { diagnostics } = await client.analyze({
      type: GPU,
      name: "a",
      properties: { instanceType: "p5.48xlarge" },
    });
    expect(diagnostics[0]?.enforcementLevel).toBe("mandatory");
    expect(probeOf(diagnostics[0]).config).toEqual({ limit: 16, mode: "strict", note: "tuned" });

    effective = await client.configure({ "probe-gpu": "advisory" });
    expect(effective["probe-gpu"]).toEqual({
      enforcementLevel: "advisory",
      properties: { limit: 8, mode: "strict" },
    });
    ({ diagnostics } = await client.analyze({
      type: GPU,
      name: "a",
      properties: { instanceType: "p5.48xlarge" },
    }));
    expect(diagnostics.map((x) => x.enforcementLevel)).toEqual(["advisory"]);

    // "all" sets every level; per-policy entries win over it.
    effective = await client.configure({
      all: "disabled",
      "probe-initial": { enforcementLevel: "mandatory", greeting: "hi" },
    });
    expect(Object.values(effective).map((e) => e.enforcementLevel)).toEqual([
      "disabled",
      "mandatory",
      "disabled",
    ]);
    ({ diagnostics } = await client.analyze({
      type: GPU,
      name: "a",
      properties: { instanceType: "p5.48xlarge" },
    }));
    expect(diagnostics).toEqual([]);
    ({ diagnostics } = await client.analyze({
      type: GPU,
      name: "b",
      properties: { instanceType: "report-initial" },
    }));
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ policyName: "probe-initial", enforcementLevel: "mandatory" });
    expect(probeOf(diagnostics[0]).config).toEqual({ greeting: "hi" });
  });

  it("rejects invalid config naming the policy and field, without calling Configure", async () => {
    await client.configure({ "probe-gpu": { limit: 3 } });

    await expect(client.configure({ "probe-gpu": { limit: "lots" } })).rejects.toThrow(
      /probe-gpu: limit: Invalid type\. Expected: integer, given: string/,
    );
    await expect(client.configure({ "probe-gpu": { limit: 1000 } })).rejects.toThrow(
      /probe-gpu: limit: Must be less than or equal to 64/,
    );
    await expect(client.configure({ "probe-gpu": { mode: "yolo" } })).rejects.toThrow(
      /probe-gpu: mode: mode must be one of the following: "strict", "lenient"/,
    );
    await expect(client.configure({ "probe-gpu": "blocking" })).rejects.toThrow(
      /"blocking" is not a valid enforcement level/,
    );
    await expect(client.configure({ "probe-gpo": "mandatory" })).rejects.toThrow(
      /no policy named "probe-gpo"/,
    );
    const err = await client.configure({ "probe-gpu": { limit: 2.5, mode: 7 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyConfigError);
    expect((err as PolicyConfigError).errors).toEqual([
      "probe-gpu: limit: Invalid type. Expected: integer, given: number",
      "probe-gpu: mode: Invalid type. Expected: string, given: integer",
    ]);

    // The pack still has the last valid config.
    const { diagnostics } = await client.analyze({
      type: GPU,
      name: "a",
      properties: { instanceType: "p5.48xlarge" },
    });
    expect(probeOf(diagnostics[0]).config).toEqual({ limit: 3, mode: "strict" });
  });

  it("sends resources like the engine: URN, options, provider, stack settings from env", async () => {
    await client.configure();
    const parent = makeUrn("staging", "gpu-farm", "computeguard:index:GpuFleet", "fleet");
    const { diagnostics } = await client.analyze({
      type: GPU,
      name: "trainer",
      parent,
      properties: { instanceType: "p5.48xlarge", tags: { owner: "ml" }, password: secret("hunter2") },
      options: { protect: true },
      provider: { type: "pulumi:providers:aws", name: "default", properties: { region: "us-east-1" } },
    });
    expect(diagnostics).toHaveLength(1);
    const probe = probeOf(diagnostics[0]);
    expect(probe).toMatchObject({
      urn: "urn:pulumi:staging::gpu-farm::computeguard:index:GpuFleet$aws:ec2/instance:Instance::trainer",
      name: "trainer",
      type: GPU,
      instanceType: "p5.48xlarge",
      stack: "staging",
      project: "gpu-farm",
      organization: "acme",
      dryRun: true,
      tags: { team: "ml" },
      opts: { protect: true, parent },
      provider: {
        type: "pulumi:providers:aws",
        name: "default",
        urn: "urn:pulumi:staging::gpu-farm::pulumi:providers:aws::default",
        region: "us-east-1",
      },
    });
    expect(client.settings).toEqual({
      stack: "staging",
      project: "gpu-farm",
      organization: "acme",
      dryRun: true,
    });
  });

  it("returns no diagnostics for a compliant resource", async () => {
    await client.configure();
    const result = await client.analyze({
      type: GPU,
      name: "small",
      properties: { instanceType: "t3.micro" },
    });
    expect(result.diagnostics).toEqual([]);
  });

  it("passes the unknown sentinel through as a plain string", async () => {
    await client.configure();
    const { diagnostics } = await client.analyze({
      type: GPU,
      name: "pending",
      properties: { instanceType: UNKNOWN },
    });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.enforcementLevel).toBe("mandatory");
    expect(probeOf(diagnostics[0])).toMatchObject({ instanceType: UNKNOWN, instanceTypeIsUnknown: true });

    // A plain read of an unknown makes the SDK downgrade that policy to an advisory "can't run" note.
    const result = await client.analyze({
      type: GPU,
      name: "pending",
      properties: { instanceType: "p5.48xlarge", zone: UNKNOWN },
    });
    expect(result.diagnostics.map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ["probe-gpu", "mandatory"],
      ["probe-gpu", "advisory"],
    ]);
    expect(result.diagnostics[1]?.message).toMatch(
      /can't run policy 'probe-gpu' from policy pack 'probe@v0\.3\.1'/,
    );
  });

  it("runs AnalyzeStack with parents, dependencies and property dependencies", async () => {
    await client.configure({ "probe-stack": "mandatory" });
    const urn = (type: string, name: string, parent?: string) =>
      makeUrn("staging", "gpu-farm", type, name, parent);
    const stackUrn = urn("pulumi:pulumi:Stack", "gpu-farm-staging");
    const fleetUrn = urn("computeguard:index:GpuFleet", "fleet", stackUrn);
    const sgUrn = urn("aws:ec2/securityGroup:SecurityGroup", "sg", fleetUrn);
    const { diagnostics } = await client.analyzeStack([
      { type: "pulumi:pulumi:Stack", name: "gpu-farm-staging" },
      { type: "computeguard:index:GpuFleet", name: "fleet", parent: stackUrn },
      { type: "aws:ec2/securityGroup:SecurityGroup", name: "sg", parent: fleetUrn },
      {
        type: GPU,
        name: "trainer",
        parent: fleetUrn,
        properties: { instanceType: "p5.48xlarge", vpcSecurityGroupIds: [UNKNOWN] },
        dependencies: [sgUrn],
        propertyDependencies: { vpcSecurityGroupIds: [sgUrn], tags: [] },
      },
    ]);
    expect(fleetUrn).toBe("urn:pulumi:staging::gpu-farm::computeguard:index:GpuFleet::fleet");
    expect(sgUrn).toBe(
      "urn:pulumi:staging::gpu-farm::computeguard:index:GpuFleet$aws:ec2/securityGroup:SecurityGroup::sg",
    );
    expect(diagnostics.map((d) => [d.policyName, d.enforcementLevel])).toEqual([
      ["probe-stack", "mandatory"],
      ["probe-stack", "mandatory"],
    ]);
    const trainerUrn = urn(GPU, "trainer", fleetUrn);
    expect(diagnostics[0]).toMatchObject({
      urn: trainerUrn,
      message: "Summarises the stack it was given.\np5.48xlarge in stack: trainer",
    });
    const probe = probeOf(diagnostics[1]);
    expect(probe.tags).toEqual({ team: "ml" });
    expect(probe.resources).toEqual([
      expect.objectContaining({ name: "gpu-farm-staging", parent: null, dependencies: [] }),
      expect.objectContaining({ name: "fleet", parent: "gpu-farm-staging" }),
      expect.objectContaining({ name: "sg", parent: "fleet", urn: sgUrn }),
      {
        urn: trainerUrn,
        name: "trainer",
        type: GPU,
        instanceType: "p5.48xlarge",
        parent: "fleet",
        dependencies: ["sg"],
        propertyDependencies: { vpcSecurityGroupIds: ["sg"] },
      },
    ]);
  });

  it("surfaces a policy that throws as a gRPC error, and refuses non-JSON property data", async () => {
    await client.configure();
    const err = await client
      .analyze({ type: GPU, name: "boom", properties: { instanceType: "explode" } })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyPackRpcError);
    expect((err as PolicyPackRpcError).message).toMatch(
      /^Analyze failed \(UNKNOWN\): Error validating resource with policy 'probe-gpu'[\s\S]*exploded on purpose/,
    );
    // A Date is not valid property data: the harness refuses it before sending.
    await expect(
      client.analyze({ type: GPU, name: "bad", properties: { when: new Date() as unknown as string } }),
    ).rejects.toThrow(/properties\.when: only plain objects/);
  });

  it("collects what the pack prints after the port line", async () => {
    await client.configure();
    expect(client.stdoutAfterPort()).toBe("");
    const result = await client.analyze({ type: GPU, name: "chatty", properties: { instanceType: "log" } });
    expect(result.diagnostics).toEqual([]);
    await vi.waitFor(() => {
      expect(client.stdoutAfterPort()).toBe("probe-gpu saw chatty\n");
      expect(client.stderr()).toContain("probe-gpu stderr for chatty\n");
    });
  });
});

describe("start-up failures", () => {
  it("detects a pack that prints to stdout before its port (invalid port)", async () => {
    const err = await startPolicyPack(NOISY_PACK, { timeoutMs: SPAWN_TIMEOUT_MS }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyPackStartError);
    expect((err as Error).message).toMatch(
      /wrote an invalid port to stdout: "noisy-pack: loading policies\.\.\."/,
    );
  });

  it("reports an early exit with the pack's stderr", async () => {
    const err = await startPolicyPack(NOOP_PACK, {
      timeoutMs: SPAWN_TIMEOUT_MS,
      nodeArgs: ["--require", path.join(fixtures, "does-not-exist.cjs")],
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyPackStartError);
    expect((err as Error).message).toMatch(/exited \(code 1, signal null\) before writing its port/);
    expect((err as Error).message).toMatch(/--- policy pack stderr ---[\s\S]*does-not-exist\.cjs/);
  });

  it("times out when no port arrives", async () => {
    const err = await startPolicyPack(NOOP_PACK, {
      timeoutMs: 1,
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PolicyPackStartError);
    expect((err as Error).message).toMatch(/did not write its port within 1 ms/);
  });

  it("rejects a directory that is not a policy pack", async () => {
    await expect(startPolicyPack(fixtures)).rejects.toThrow(/no PulumiPolicy\.yaml/);
  });
});

describe("config reconciliation (pure)", () => {
  const info = {
    name: "pack",
    version: "1.0.0",
    supportsConfig: true,
    tags: [],
    policies: [
      {
        name: "a",
        description: "",
        enforcementLevel: "mandatory" as const,
        policyType: "resource" as const,
        tags: [],
        configSchema: {
          properties: {
            max: { type: "number", default: 1 },
            list: { type: "array", items: { type: "string" } },
          },
          required: ["max"],
        },
      },
      {
        name: "b",
        description: "",
        enforcementLevel: "advisory" as const,
        policyType: "stack" as const,
        tags: [],
      },
    ],
    initialConfig: {},
  };

  it("ignores the properties of 'all' (only its level applies), like the engine", () => {
    expect(reconcilePolicyConfig(info, { all: { enforcementLevel: "remediate", max: 9 } })).toEqual({
      a: { enforcementLevel: "remediate", properties: { max: 1 } },
      b: { enforcementLevel: "remediate", properties: {} },
    });
  });

  it("validates nested values and required fields", () => {
    expect(validateJsonSchema({ type: "object", required: ["max"], properties: {} }, {})).toEqual([
      "max is required",
    ]);
    expect(() => reconcilePolicyConfig(info, { a: { list: ["x", 2] } })).toThrow(
      /a: list\.1: Invalid type\. Expected: string, given: integer/,
    );
    expect(() => reconcilePolicyConfig(info, { a: 3 as unknown as string })).toThrow(
      /must be a string or object/,
    );
  });
});
