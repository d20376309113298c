/**
 * Core throughput, in a process of its own so its peak memory is its own: estimates N resources of
 * the benchmark workload with the pure core and prints one JSON line.
 *   node core-child.js stack N     estimateStack over the whole stack (the CLI's path)
 *   node core-child.js session N   every rule's per-resource verdicts (the pack's path, minus the SDK)
 */
import { performance } from "node:perf_hooks";
import { REGION, workload } from "../harness/workload.js";
import { estimateStack } from "../src/estimate/estimator.js";
import type { ResourceInput } from "../src/estimate/types.js";
import { RULES } from "../src/policy/rules/index.js";
import { GateSession } from "../src/policy/session.js";
import { peakRssBytes } from "./process-cpu.js";

export interface CoreRun {
  mode: "stack" | "session";
  resources: number;
  ms: number;
  usPerResource: number;
  rssBeforeBytes: number;
  peakRssBytes: number;
  heapUsedAfterBytes: number;
}

const mode = process.argv[2] === "session" ? "session" : "stack";
const count = Number(process.argv[3] ?? 100_000);
const urn = (type: string, name: string) => `urn:pulumi:prod::ml::${type}::${name}`;

const resources = workload({ resources: count });
const typeByName = new Map(resources.map((r) => [r.name, r.type]));
const inputs: ResourceInput[] = resources.map((r) => ({
  urn: urn(r.type, r.name),
  type: r.type,
  name: r.name,
  props: r.properties,
  providerRegion: REGION,
  propertyDependencies: Object.fromEntries(
    Object.entries(r.dependsOn ?? {}).map(([k, names]) => [k, names.map((n) => urn(typeByName.get(n)!, n))]),
  ),
}));
const rssBeforeBytes = process.memoryUsage().rss;

const t0 = performance.now();
let sink = 0;
if (mode === "stack") {
  sink = estimateStack(inputs).resources.length;
} else {
  // Generous budgets, so verdicts are the cheap "passed" kind the pack sees most.
  const config: Record<string, unknown> = {
    "gpu-resource-budget": { monthlyLimitUsd: 1_000_000 },
    "gpu-stack-budget": { monthlyLimitUsd: 1_000_000_000 },
  };
  const session = new GateSession({ stack: "prod" });
  for (const input of inputs)
    for (const rule of RULES) sink += session.resourceVerdicts(rule, config[rule.name] ?? {}, input).length;
}
const ms = performance.now() - t0;

const run: CoreRun = {
  mode,
  resources: count,
  ms,
  usPerResource: (ms * 1000) / count,
  rssBeforeBytes,
  peakRssBytes: peakRssBytes() ?? process.resourceUsage().maxRSS * 1024,
  heapUsedAfterBytes: process.memoryUsage().heapUsed,
};
process.stdout.write(`${JSON.stringify({ ...run, sink })}\n`);
