// The pack's look at requests on the wire (policypack/analyzer-fast-path.ts): what it answers
// without deserializing, and what it hands google-protobuf and the SDK, byte for byte.
import { createRequire } from "node:module";
import type * as AnalyzerPb from "@pulumi/pulumi/proto/analyzer_pb.js";
import { describe, expect, it } from "vitest";
import { toStruct } from "../../harness/engine.js";
import { mayBeCandidateRequest, withoutNonCandidates } from "../../policypack/analyzer-fast-path.js";
import { GateSession } from "../../src/policy/session.js";

const pb = createRequire(import.meta.url)("@pulumi/pulumi/proto/analyzer_pb.js") as typeof AnalyzerPb;
const session = new GateSession({ stack: "prod" });

interface Resource {
  type: string;
  name: string;
  properties: Record<string, unknown>;
  /** Custom resources name their provider; components and the stack do not. */
  custom?: boolean;
}

const urn = (r: Resource) => `urn:pulumi:prod::ml::${r.type}::${r.name}`;

function provider(): AnalyzerPb.AnalyzerProviderResource {
  const p = new pb.AnalyzerProviderResource();
  p.setType("pulumi:providers:aws");
  p.setName("default_7_48_0");
  p.setUrn("urn:pulumi:prod::ml::pulumi:providers:aws::default_7_48_0");
  p.setProperties(toStruct({ region: "us-east-1" }));
  return p;
}

/** What an AnalyzeRequest and an AnalyzerResource both carry, set alike. */
function described<M extends AnalyzerPb.AnalyzeRequest | AnalyzerPb.AnalyzerResource>(
  message: M,
  r: Resource,
): M {
  message.setType(r.type);
  message.setName(r.name);
  message.setUrn(urn(r));
  message.setProperties(toStruct(r.properties));
  if (r.custom !== false) message.setProvider(provider());
  return message;
}

const analyzeBytes = (r: Resource) => Buffer.from(described(new pb.AnalyzeRequest(), r).serializeBinary());

function stackBytes(resources: Resource[]): Buffer {
  const req = new pb.AnalyzeStackRequest();
  req.setResourcesList(
    resources.map((r) => {
      const res = described(new pb.AnalyzerResource(), r);
      const deps = new pb.AnalyzerPropertyDependencies();
      deps.setUrnsList([`urn:pulumi:prod::ml::aws:iam/role:Role::${r.name}-role`]);
      res.getPropertydependenciesMap().set("role", deps);
      return res;
    }),
  );
  return Buffer.from(req.serializeBinary());
}

const bucket: Resource = { type: "aws:s3/bucket:Bucket", name: "logs", properties: { bucket: "logs" } };
const gpu: Resource = {
  type: "aws:ec2/instance:Instance",
  name: "trainer",
  properties: { instanceType: "p5.48xlarge" },
};
// No adapter prices GameLift fleets: the tripwire must see it.
const fleet: Resource = {
  type: "aws:gamelift/fleet:Fleet",
  name: "game",
  properties: { ec2InstanceType: "g5.xlarge" },
};
// A component describes what its children create; its children are judged, not it.
const component: Resource = {
  type: "acme:index:Trainer",
  name: "wrapper",
  properties: { instanceType: "p5.48xlarge" },
  custom: false,
};
// A sentence naming a type is not a property naming it, but only the full look can tell.
const lambda: Resource = {
  type: "aws:lambda/function:Function",
  name: "notify",
  properties: { environment: { variables: { NOTE: "runs next to a g5.xlarge" } } },
};
const providerItself: Resource = {
  type: "pulumi:providers:aws",
  name: "default",
  properties: { region: "us-east-1", note: "p5.48xlarge" },
};

describe("Analyze: the request's bytes decide whether it is read", () => {
  it("reads a priced type, a type the tripwire may catch, and anything whose bytes name an accelerator type", () => {
    for (const r of [gpu, fleet, lambda])
      expect(mayBeCandidateRequest(analyzeBytes(r), session), r.name).toBe(true);
  });

  it("answers unread a resource no policy can judge: a bucket, a component, a provider", () => {
    for (const r of [bucket, component, providerItself])
      expect(mayBeCandidateRequest(analyzeBytes(r), session), r.name).toBe(false);
  });

  it("reads a priced type whatever its properties say (its adapter judges even empty ones)", () => {
    expect(mayBeCandidateRequest(analyzeBytes({ ...gpu, properties: {} }), session)).toBe(true);
  });
});

describe("AnalyzeStack: resources no policy can judge are left out before deserialization", () => {
  const read = (bytes: Buffer) =>
    pb.AnalyzeStackRequest.deserializeBinary(bytes)
      .getResourcesList()
      .map((r) => ({
        name: r.getName(),
        properties: r.getProperties()?.toJavaScript(),
        provider: r.getProvider()?.getName(),
        dependencies: r.getPropertydependenciesMap().get("role")?.getUrnsList(),
      }));

  it("keeps the others whole and in order, properties, provider and dependencies included", () => {
    const all = [bucket, gpu, component, fleet, providerItself, lambda];
    const kept = read(withoutNonCandidates(stackBytes(all), session));
    expect(kept).toEqual(read(stackBytes([gpu, fleet, lambda])));
    expect(kept.map((r) => r.name)).toEqual(["trainer", "game", "notify"]);
    expect(kept[0]).toEqual({
      name: "trainer",
      properties: { instanceType: "p5.48xlarge" },
      provider: "default_7_48_0",
      dependencies: ["urn:pulumi:prod::ml::aws:iam/role:Role::trainer-role"],
    });
  });

  it("hands over the very bytes when nothing is left out, and an empty request when nothing is kept", () => {
    const bytes = stackBytes([gpu, fleet]);
    expect(withoutNonCandidates(bytes, session)).toBe(bytes);
    expect(read(withoutNonCandidates(stackBytes([bucket, component]), session))).toEqual([]);
  });
});
