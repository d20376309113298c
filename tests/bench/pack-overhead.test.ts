/**
 * A loose guard on the pack's cost over the policy machinery itself: the same engine traffic
 * through computeguard and through the no-op pack, in the same process and interleaved, must stay
 * within a generous ratio (the benchmark's target is far tighter; see docs/benchmarks.md). Never an
 * absolute time. Also checks that the shortcuts behind that cost change no answer.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EngineClient, launchPolicyPack, type ResourceInput } from "../../harness/engine.js";
import { BENCH_POLICY_CONFIG, type EngineRequests, engineRequests } from "../../harness/pack-requests.js";
import { workload } from "../../harness/workload.js";
import { ensureBuilt } from "../support/built.js";

const ROOT = path.resolve(__dirname, "../..");
const PACK = path.join(ROOT, "policypack");
const NOOP_PACK = path.join(ROOT, "tests/fixtures/noop-pack");
const MAX_RATIO = 3;

const dirs: string[] = [];
const env = () => {
  const dir = mkdtempSync(path.join(tmpdir(), "cg-guard-"));
  dirs.push(dir);
  return { COMPUTEGUARD_AUDIT_LOG: path.join(dir, "audit.jsonl") };
};
const clients: EngineClient[] = [];

async function launch(dir: string, config = {}): Promise<EngineClient> {
  const { client } = await launchPolicyPack(dir, { config, env: env(), timeoutMs: 60_000 });
  clients.push(client);
  return client;
}

beforeAll(() => ensureBuilt(), 180_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** Analyze of a slice of the workload, then one AnalyzeStack of all of it; wall ms and mandatory findings. */
async function pass(client: EngineClient, requests: EngineRequests, from: number, to: number) {
  let mandatory = 0;
  const t0 = performance.now();
  for (const r of requests.analyze.slice(from, to)) {
    for (const d of (await client.analyze(r)).diagnostics)
      if (d.enforcementLevel === "mandatory") mandatory++;
  }
  for (const d of (await client.analyzeStack(requests.stack)).diagnostics)
    if (d.enforcementLevel === "mandatory") mandatory++;
  return { ms: performance.now() - t0, mandatory };
}

describe("pack overhead over the no-op pack", () => {
  it(`Analyze and AnalyzeStack of 120 resources cost at most ${MAX_RATIO}x the no-op pack`, async () => {
    const requests = engineRequests(workload({ resources: 120 }));
    const [cg, noop] = await Promise.all([launch(PACK, BENCH_POLICY_CONFIG), launch(NOOP_PACK)]);
    // Warm both up, then A B B A so both halves see the same machine.
    const warm = await pass(cg, requests, 0, 20);
    await pass(noop, requests, 0, 20);
    const a1 = await pass(cg, requests, 20, 70);
    const b1 = await pass(noop, requests, 20, 70);
    const b2 = await pass(noop, requests, 70, 120);
    const a2 = await pass(cg, requests, 70, 120);
    // The pack did its work: the workload's first GPU instance, a p5.48xlarge, is over the per-resource limit.
    expect(warm.mandatory).toBeGreaterThan(0);
    expect(b1.mandatory + b2.mandatory).toBe(0);
    expect((a1.ms + a2.ms) / (b1.ms + b2.ms)).toBeLessThanOrEqual(MAX_RATIO);
  });

  it("answers a resource it does not price with nothing, and still reports a bad config on it", async () => {
    const bucket: ResourceInput = {
      type: "aws:s3/bucketV2:BucketV2",
      name: "logs",
      properties: { bucket: "logs" },
    };
    const good = clients[0] ?? (await launch(PACK, BENCH_POLICY_CONFIG));
    expect(await good.analyze(bucket)).toEqual({ diagnostics: [], notApplicable: [] });

    const waiver = {
      id: "W-1",
      resource: "a",
      maxMonthlyUsd: 1,
      expires: "2026-13-01",
      approvedBy: "x",
      reason: "y",
    };
    const bad = await launch(PACK, { "gpu-resource-budget": { exceptions: [waiver] } });
    await expect(bad.analyze(bucket)).rejects.toThrow(
      /gpu-resource-budget: invalid config: exceptions\.0\.expires/,
    );
  });
});
