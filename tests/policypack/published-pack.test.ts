/**
 * The pack as `pulumi policy publish` ships it: `npm pack` of policypack/, unpacked into an empty
 * directory outside the repository, its dependencies installed from its own package.json
 * (`npm install --omit=dev`, as Pulumi Cloud does), then driven like the engine drives it. Nothing
 * from the repository may be needed: not dist/, not src/, not the repository's node_modules.
 * Installing @pulumi/pulumi takes a while, hence the long hook.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type EngineClient, launchPolicyPack } from "../../harness/engine.js";
import { ensureBuilt } from "../support/built.js";
import { by, mandatory, PACK, provider, ROOT } from "./support.js";

let work: string;
let installed: string;
let packedFiles: string[];
const clients: EngineClient[] = [];

const npm = (args: string[], cwd: string) =>
  execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NODE_PATH: "" },
  });

beforeAll(() => {
  ensureBuilt();
  work = mkdtempSync(path.join(tmpdir(), "cg-published-pack-"));
  const [packed] = JSON.parse(npm(["pack", "--json", "--pack-destination", work], PACK)) as {
    filename: string;
    files: { path: string }[];
  }[];
  packedFiles = packed!.files.map((f) => f.path).sort();
  installed = path.join(work, "pack");
  mkdirSync(installed);
  execFileSync("tar", ["xzf", path.join(work, packed!.filename), "-C", installed, "--strip-components=1"]);
  npm(["install", "--omit=dev", "--prefer-offline"], installed);
}, 600_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  if (work) rmSync(work, { recursive: true, force: true });
});

const p5 = (name: string) => ({
  type: "aws:ec2/instance:Instance",
  name,
  provider,
  properties: { instanceType: "p5.48xlarge", tags: { team: "research", "cost-center": "cc-42" } },
});

describe("the published pack", () => {
  it("holds only the bundle, the embedded catalog and its manifests, versioned like the project", () => {
    expect(packedFiles).toContain("dist/pack.cjs");
    expect(packedFiles).toContain("dist/load.cjs");
    expect(packedFiles).toContain("dist/data/aws-gpu-catalog.json");
    // Never a code cache: one is written on the machine that runs the pack, for its Node.
    expect(packedFiles.filter((f) => f.includes(".compile-cache"))).toEqual([]);
    expect(packedFiles.filter((f) => !f.startsWith("dist/"))).toEqual([
      "PulumiPolicy.yaml",
      "index.cjs",
      "package.json",
    ]);
    const version = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { version: string })
      .version;
    const manifest = JSON.parse(readFileSync(path.join(installed, "package.json"), "utf8")) as {
      version: string;
      dependencies: Record<string, string>;
    };
    expect(manifest.version).toBe(version);
    expect(readFileSync(path.join(installed, "PulumiPolicy.yaml"), "utf8")).toMatch(
      new RegExp(`^version: ${version.replaceAll(".", "\\.")}$`, "m"),
    );
    // The SDK comes from the pack's own dependencies, at the versions the project is tested with.
    const project = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    for (const [name, range] of Object.entries(manifest.dependencies)) {
      expect(range, name).toBe(project.dependencies[name]);
      expect(existsSync(path.join(installed, "node_modules", name, "package.json")), name).toBe(true);
    }
    // Bundled, not installed: the core's own dependencies.
    expect(existsSync(path.join(installed, "node_modules/zod"))).toBe(false);
    expect(existsSync(path.join(installed, "node_modules/decimal.js"))).toBe(false);
  });

  it("runs under the engine: Analyze blocks the resource, AnalyzeStack the stack, with the dollar figures", async () => {
    const audit = path.join(work, "audit.jsonl");
    const { client, info } = await launchPolicyPack(installed, {
      stack: "prod",
      project: "ml",
      timeoutMs: 60_000,
      env: { COMPUTEGUARD_AUDIT_LOG: audit },
      config: {
        "gpu-resource-budget": { monthlyLimitUsd: 50_000 },
        "gpu-stack-budget": { monthlyLimitUsd: 50_000 },
      },
    });
    clients.push(client);
    expect(info.name).toBe("computeguard");
    expect(info.version).toBe("0.1.0");
    expect(info.policies.map((p) => p.name)).toContain("gpu-stack-budget");

    const first = await client.analyze(p5("trainer-0"));
    expect(mandatory(first.diagnostics)).toEqual([]);
    const second = await client.analyze(p5("trainer-1"));
    const blocked = mandatory(second.diagnostics);
    expect(blocked.map((d) => d.policyName)).toEqual(["gpu-stack-budget"]);
    expect(blocked[0]!.message).toContain("$80,358.40/mo, over its $50,000.00/mo limit");

    // One finding per overrun: the stack phase does not repeat the block trainer-1 got.
    const stack = await client.analyzeStack([p5("trainer-0"), p5("trainer-1")]);
    expect(mandatory(stack.diagnostics)).toEqual([]);
    expect(by(stack.diagnostics, "gpu-cost-summary")).toEqual([]);
    expect(client.stdoutAfterPort()).toContain("total: baseline $80,358.40/mo");
    // The audit trail (proper-lockfile, bundled and loaded on first use) recorded the blocks.
    expect(readFileSync(audit, "utf8")).toContain("trainer-1");
    expect(client.stderr()).not.toMatch(/Cannot find module|ERR_MODULE_NOT_FOUND/);

    // The first start wrote the bundle's code cache for this Node; the next start compiles from it
    // under the engine's own V8 flags (a cache V8 refused would be written anew: a new file).
    const cacheFile = path.join(installed, "dist/.compile-cache", `${process.version}-${process.arch}.bin`);
    const written = statSync(cacheFile);

    // A stack the resource phase did not judge is blocked as a whole in AnalyzeStack.
    const fresh = await launchPolicyPack(installed, {
      stack: "prod",
      project: "ml",
      timeoutMs: 60_000,
      env: { COMPUTEGUARD_AUDIT_LOG: audit },
      config: {
        "gpu-resource-budget": { monthlyLimitUsd: 50_000 },
        "gpu-stack-budget": { monthlyLimitUsd: 50_000 },
      },
    });
    clients.push(fresh.client);
    const whole = mandatory(
      (await fresh.client.analyzeStack([p5("trainer-0"), p5("trainer-1")])).diagnostics,
    );
    expect(whole.map((d) => d.policyName)).toEqual(["gpu-stack-budget"]);
    expect(whole[0]!.message).toMatch(
      /\$80,358\.40\/mo.*trainer-0 \$40,179\.20\/mo, trainer-1 \$40,179\.20\/mo/,
    );
    const reused = statSync(cacheFile);
    expect([reused.ino, reused.mtimeMs]).toEqual([written.ino, written.mtimeMs]);
  });
});
