/**
 * computeguard as a user adds it to a program: `npm pack` of the project, the tarball installed into
 * a fresh program outside the repository (its dependencies from the registry, or npm's cache), then
 * the program (tests/package/consumer/) type-checked against the installed declarations, run under
 * Pulumi's mocks, checked with the installed CLI, and the installed policy pack driven like the
 * engine drives `pulumi preview --policy-pack node_modules/computeguard/policypack`. One install
 * serves every test; installing @pulumi/aws takes a while, hence the long hook.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EngineClient, launchPolicyPack } from "../../harness/engine.js";
import { embeddedCatalog } from "../../src/catalog/catalog.js";
import { formatAmount, money } from "../../src/money.js";
import { ensureBuilt, ROOT } from "../support/built.js";

const manifest = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
  name: string;
  version: string;
  dependencies: Record<string, string>;
};
// Nothing from the repository may leak into the program: no NODE_PATH, no repository cwd.
const env = { ...process.env, NODE_PATH: "", NO_COLOR: "1" };

let work: string;
let app: string;
let tarball: { filename: string; size: number; unpackedSize: number; files: string[] };
const clients: EngineClient[] = [];

function run(command: string, args: string[], extraEnv: Record<string, string> = {}) {
  return spawnSync(command, args, { cwd: app, encoding: "utf8", env: { ...env, ...extraEnv } });
}

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(path.join(tmpdir(), "cg-package-"));
  // --ignore-scripts: ensureBuilt() has just made dist/ and the pack bundle fresh; `prepare` would
  // rebuild them under the other test files reading them.
  const [packed] = JSON.parse(
    execFileSync(
      "npm",
      ["pack", "--json", "--ignore-scripts", "--pack-destination", work, "--loglevel=error"],
      { cwd: ROOT, encoding: "utf8", env },
    ),
  ) as { filename: string; size: number; unpackedSize: number; files: { path: string }[] }[];
  tarball = { ...packed!, files: packed!.files.map((f) => f.path).sort() };

  app = path.join(work, "app");
  cpSync(path.join(ROOT, "tests/package/consumer"), app, { recursive: true });
  writeFileSync(
    path.join(app, "package.json"),
    JSON.stringify({
      name: "consumer",
      private: true,
      type: "module",
      dependencies: {
        computeguard: `file:../${packed!.filename}`,
        // What a Pulumi program lists itself; the version computeguard is built with, so one copy.
        "@pulumi/pulumi": manifest.dependencies["@pulumi/pulumi"],
      },
    }),
  );
  execFileSync("npm", ["install", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error"], {
    cwd: app,
    encoding: "utf8",
    env,
  });
}, 600_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Embedded catalog rate x 730 h, as the components and the gate price an always-on instance. */
function monthly(instanceType: string): string {
  const rate = embeddedCatalog().find(instanceType, "us-east-1")?.usdPerHour;
  expect(rate, instanceType).toMatch(/^\d+(\.\d+)?$/);
  return formatAmount(money(rate!).times(730));
}

describe("the npm package", () => {
  it("ships the compiled code, declarations, CLI, catalog and runnable pack, and nothing else", () => {
    const allowed = [
      /^package\.json$/,
      /^README\.md$/,
      /^bin\/computeguard\.js$/,
      /^dist\/(src|cli|components)\/.+\.js$/,
      /^dist\/(src|components)\/.+\.d\.ts$/,
      /^dist\/src\/catalog\/data\/[^/]+\.json$/,
      /^policypack\/(index\.cjs|package\.json|PulumiPolicy\.yaml)$/,
      /^policypack\/dist\/(pack|load)\.cjs$/,
      /^policypack\/dist\/data\/[^/]+\.json$/,
    ];
    expect(tarball.files.filter((f) => !allowed.some((re) => re.test(f)))).toEqual([]);
    for (const needed of [
      "bin/computeguard.js",
      "dist/cli/main.js",
      "dist/components/index.js",
      "dist/components/index.d.ts",
      "dist/src/catalog/data/aws-gpu-catalog.json",
      "policypack/index.cjs",
      "policypack/dist/pack.cjs",
      "policypack/dist/load.cjs",
      "policypack/dist/data/aws-gpu-catalog.json",
    ]) {
      expect(tarball.files, needed).toContain(needed);
    }
    // No tests, fixtures, benchmarks, harness, scripts, TypeScript sources or source maps.
    expect(
      tarball.files.filter((f) => /(^|\/)(tests|bench|harness|scripts|examples|docs)\//.test(f)),
    ).toEqual([]);
    expect(tarball.files.filter((f) => f.endsWith(".map") || /(?<!\.d)\.ts$/.test(f))).toEqual([]);
    // The packed size, to notice a dependency or data file creeping in (~0.6 MB today).
    expect(tarball.size).toBeLessThan(1.5 * 1024 * 1024);
  });

  it("type-checks a program importing the components against the installed declarations", () => {
    // The repository's tsc (the program's own would be the same compiler); skipLibCheck is off, so
    // the shipped .d.ts files are checked too, and types.ts's @ts-expect-error lines prove they are not `any`.
    const tsc = run(process.execPath, [path.join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "."]);
    expect(`${tsc.stdout}${tsc.stderr}`).toBe("");
    expect(tsc.status).toBe(0);
    // Type-checking @pulumi/aws's declarations takes ~20 s alone, much longer on a loaded machine.
  }, 240_000);

  it("runs the program under Pulumi's mocks: the components register and price their resources", () => {
    // The compiled program from the type-check above (vitest runs a file's tests in order).
    const result = run(process.execPath, ["out/mocked.js"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const seen = JSON.parse(result.stdout) as {
      trainerMonthlyUsd: string;
      trainerAssumptions: string[];
      chatMonthlyUsd: string;
      chatStatus: string;
      registered: { type: string; name: string }[];
    };
    expect(seen.trainerMonthlyUsd).toBe(monthly("p5.48xlarge"));
    expect(seen.trainerMonthlyUsd).toBe("40179.20");
    expect(seen.chatStatus).toBe("priced");
    expect(seen.chatMonthlyUsd).toBe(monthly("ml.g5.2xlarge"));
    expect(seen.trainerAssumptions).toContainEqual(expect.stringContaining("price catalog: embedded"));
    expect(seen.registered).toEqual(
      expect.arrayContaining([
        { type: "computeguard:index:GpuInstance", name: "trainer" },
        { type: "computeguard:index:InferenceEndpoint", name: "chat" },
        { type: "aws:ec2/instance:Instance", name: "trainer" },
      ]),
    );
  }, 120_000);

  it("a CommonJS program requires it too (Node >= 20.19 loads ES modules through require)", () => {
    const script = `
      const pulumi = require("@pulumi/pulumi");
      pulumi.runtime.setMocks({
        newResource: (args) => ({ id: args.name + "-id", state: args.inputs }),
        call: () => ({ name: "us-east-1", region: "us-east-1", id: "us-east-1" }),
      }, "consumer", "dev", false);
      const { GpuInstance } = require("computeguard");
      new GpuInstance("cjs", { instanceType: "p5.48xlarge", ami: "ami-1" }).monthlyWorstCaseUsd.apply(console.log);
    `;
    const result = run(process.execPath, ["--input-type=commonjs", "-e", script]);
    expect(result.stderr).toBe("");
    expect(result.stdout.trim()).toBe(monthly("p5.48xlarge"));
  }, 120_000);

  it("npx computeguard --version prints the package's version", () => {
    const result = run("npx", ["--no-install", "computeguard", "--version"]);
    expect(result.status).toBe(0);
    expect(result.stdout.trim()).toBe(manifest.version);
  }, 120_000);

  it("npx computeguard check judges the program with the installed CLI", () => {
    const budgets = path.join(work, "budgets.json");
    writeFileSync(budgets, JSON.stringify({ "gpu-resource-budget": { monthlyLimitUsd: 30_000 } }));
    const result = run(
      "npx",
      ["--no-install", "computeguard", "check", "--policy-config", budgets, "--format", "json"],
      { COMPUTEGUARD_AUDIT_LOG: path.join(work, "audit.jsonl") },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as {
      project: string;
      outcome: string;
      totals: { monthlyWorstCase: string };
      findings: { policy: string; outcome: string; urn: string; message: string }[];
    };
    expect(report.project).toBe("consumer");
    expect(report.outcome).toBe("blocked");
    expect(report.totals.monthlyWorstCase).toBe(
      formatAmount(money(monthly("p5.48xlarge")).plus(monthly("ml.g5.2xlarge"))),
    );
    const blocked = report.findings.filter((f) => f.outcome === "blocked");
    expect(blocked.map((f) => [f.policy, f.urn])).toEqual([
      [
        "gpu-resource-budget",
        "urn:pulumi:dev::consumer::computeguard:index:GpuInstance$aws:ec2/instance:Instance::trainer",
      ],
    ]);
    expect(blocked[0]!.message).toContain("$40,179.20/mo");
  }, 120_000);

  it("node_modules/computeguard/policypack is a pack the engine runs (pulumi preview --policy-pack)", async () => {
    const { client, info } = await launchPolicyPack(path.join(app, "node_modules/computeguard/policypack"), {
      stack: "dev",
      project: "consumer",
      timeoutMs: 60_000,
      env: { COMPUTEGUARD_AUDIT_LOG: path.join(work, "pack-audit.jsonl") },
      config: { "gpu-resource-budget": { monthlyLimitUsd: 30_000 } },
    });
    clients.push(client);
    expect(info.name).toBe("computeguard");
    expect(info.version).toBe(manifest.version);
    const result = await client.analyze({
      type: "aws:ec2/instance:Instance",
      name: "trainer",
      provider: { type: "pulumi:providers:aws", name: "default", properties: { region: "us-east-1" } },
      properties: { instanceType: "p5.48xlarge", tags: { team: "research", "cost-center": "cc-42" } },
    });
    const blocked = result.diagnostics.filter((d) => d.enforcementLevel === "mandatory");
    expect(blocked.map((d) => d.policyName)).toEqual(["gpu-resource-budget"]);
    expect(blocked[0]!.message).toContain("$40,179.20/mo");
    expect(client.stderr()).not.toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND/);
  }, 120_000);
});
