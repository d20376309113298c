/**
 * `npm run bench`: computeguard against its floors, side by side in one run, written to
 * docs/benchmarks.md (between the generated-section markers).
 *   --runs N            runs per figure (default 5, at least 5 for the document)
 *   --only a,b          any of cold,analysis,core,plan (the document is then left alone)
 *   --resources N       resources for the analysis (default 10000)
 *   --core-resources N  resources for the core (default 100000)
 *   --plan-steps a,b    preview sizes (default 10000,100000)
 *   --profile           instead: profile the pack over one analysis and print where its time goes
 *   --profile-dir DIR   keep that profile (a .cpuprofile) in DIR
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { workload } from "../harness/workload.js";
import { measureCore } from "./core-throughput.js";
import { measureAnalysis } from "./pack-analysis.js";
import { measureColdStart } from "./pack-cold-start.js";
import { PACK_DIR, ROOT } from "./paths.js";
import { measurePlanReading } from "./plan-reading.js";
import { profilePackAnalysis } from "./profile-pack.js";
import { type BenchResults, resultsMarkdown, spliceResults } from "./report.js";

const SECTIONS = ["cold", "analysis", "core", "plan"] as const;
const DOC = path.join(ROOT, "docs/benchmarks.md");

function options() {
  return parseArgs({
    options: {
      runs: { type: "string", default: "5" },
      only: { type: "string" },
      resources: { type: "string", default: "10000" },
      "core-resources": { type: "string", default: "100000" },
      "plan-steps": { type: "string", default: "10000,100000" },
      profile: { type: "boolean", default: false },
      "profile-dir": { type: "string" },
    },
  }).values;
}

function count(name: string, raw: string | undefined): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(`--${name} must be a positive whole number, got "${raw}"`);
  return n;
}

async function main(): Promise<void> {
  const values = options();
  if (!existsSync(path.join(PACK_DIR, "dist/pack.cjs"))) throw new Error("run `npm run build` first");
  if (values.profile) {
    const resources = workload({ resources: count("resources", values.resources) });
    process.stdout.write(`${await profilePackAnalysis(resources, values["profile-dir"])}\n`);
    return;
  }
  const runs = count("runs", values.runs);
  const only = values.only?.split(",").map((s) => s.trim());
  const unknown = only?.filter((s) => !(SECTIONS as readonly string[]).includes(s));
  if (unknown?.length) throw new Error(`--only takes ${SECTIONS.join(", ")}; not ${unknown.join(", ")}`);
  const wanted = (s: (typeof SECTIONS)[number]) => !only || only.includes(s);
  const say = (what: string) => process.stderr.write(`bench: ${what} (load ${loadavg()[0]!.toFixed(2)})\n`);

  const env: Record<string, string> = {};
  const results: BenchResults = {
    machine: {
      date: new Date().toISOString().slice(0, 16).replace("T", " "),
      commit: execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim(),
      dirty: execFileSync("git", ["status", "--porcelain"], { cwd: ROOT, encoding: "utf8" }).trim() !== "",
      node: process.versions.node,
      cpu: cpus()[0]?.model.trim() ?? "unknown CPU",
      cores: cpus().length,
      loadBefore: loadavg(),
      loadAfter: [],
      runs,
    },
  };
  if (wanted("cold")) {
    say("pack cold start");
    // Start-up is short and noisy, and cheap to repeat.
    results.coldStart = await measureColdStart(Math.max(runs, 10), env);
  }
  if (wanted("analysis")) {
    say("analysis throughput");
    results.analysis = await measureAnalysis(
      workload({ resources: count("resources", values.resources) }),
      runs,
      env,
    );
  }
  if (wanted("core")) {
    say("core throughput");
    results.core = await measureCore(count("core-resources", values["core-resources"]), runs);
  }
  if (wanted("plan")) {
    say("plan reading");
    const steps = (values["plan-steps"] ?? "").split(",").map((s) => count("plan-steps", s.trim()));
    results.plan = await measurePlanReading(steps, runs);
  }
  results.machine.loadAfter = loadavg();

  const table = resultsMarkdown(results);
  process.stdout.write(`${table}\n`);
  if (only || runs < 5) {
    say("partial run: docs/benchmarks.md left as it is");
    return;
  }
  const doc = existsSync(DOC) ? readFileSync(DOC, "utf8") : "# Benchmarks\n";
  writeFileSync(DOC, spliceResults(doc, table));
  say("figures written to docs/benchmarks.md");
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
