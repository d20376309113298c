import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadPulumiProgram, SECRET_PLACEHOLDER } from "../../cli/check/pulumi-project.js";
import { UsageError } from "../../cli/errors.js";

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "computeguard-project-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(relative: string, text: string): string {
  const file = path.join(dir, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

function load(options: { programDir?: string; stack?: string } = {}) {
  return loadPulumiProgram({ cwd: dir, ...options });
}

function usageError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).not.toContain("\n");
    return (error as Error).message;
  }
  throw new Error("expected a UsageError");
}

describe("loadPulumiProgram: which module runs", () => {
  it("follows Pulumi.yaml main to a directory's index.ts", () => {
    write("Pulumi.yaml", "name: shop\nruntime: nodejs\nmain: infra/\n");
    const entry = write("infra/index.ts", "");
    write("index.ts", ""); // not the program: main says where it is
    expect(load()).toMatchObject({ project: "shop", projectDir: dir, entry, stack: "dev" });
  });

  it("takes the directory's package.json main before index files", () => {
    write("Pulumi.yaml", "name: shop\nruntime:\n  name: nodejs\n  options:\n    typescript: true\n");
    write("package.json", JSON.stringify({ main: "src/program.ts" }));
    const entry = write("src/program.ts", "");
    write("index.ts", "");
    expect(load().entry).toBe(entry);
  });

  it("falls back to index.ts, then index.js", () => {
    write("Pulumi.yaml", "name: shop\nruntime: nodejs\n");
    const js = write("index.js", "");
    expect(load().entry).toBe(js);
    const ts = write("index.ts", "");
    expect(load().entry).toBe(ts);
  });

  it("runs a directory without Pulumi.yaml when it is named, after its own name", () => {
    const entry = write("svc/index.ts", "");
    expect(load({ programDir: "svc" })).toMatchObject({ project: "svc", entry, config: {} });
  });

  it("rejects what Pulumi would not run, naming the file or flag", () => {
    expect(usageError(() => load())).toMatch(
      /^no Pulumi\.yaml in .*: run from a Pulumi project or give --program DIR$/,
    );
    expect(usageError(() => load({ programDir: "missing" }))).toBe("--program missing: no such directory");
    write("file.txt", "");
    expect(usageError(() => load({ programDir: "file.txt" }))).toBe("--program file.txt: not a directory");
    write("Pulumi.yaml", "name: shop\nruntime: python\n");
    expect(usageError(() => load())).toMatch(/^Pulumi\.yaml: runtime "python" is not supported/);
    write("Pulumi.yaml", "runtime: nodejs\n");
    expect(usageError(() => load())).toBe("Pulumi.yaml: name is required");
    write("Pulumi.yaml", "name: shop\nruntime: nodejs\nmain: nowhere/\n");
    expect(usageError(() => load())).toBe("Pulumi.yaml: main nowhere/: no such file or directory");
    write("Pulumi.yaml", "name: shop\nruntime: nodejs\n  bad: [indent\n");
    expect(usageError(() => load())).toMatch(/^Pulumi\.yaml is not valid YAML: /);
    write("Pulumi.yaml", "name: shop\nruntime: nodejs\n");
    expect(usageError(() => load())).toMatch(
      /^no program in \.: no package\.json main, index\.ts or index\.js$/,
    );
  });
});

describe("loadPulumiProgram: stack config", () => {
  beforeEach(() => {
    write("index.ts", "");
  });

  it("qualifies keys with the project and hands every value over as the CLI would (strings, JSON)", () => {
    write(
      "Pulumi.yaml",
      "name: shop\nruntime: nodejs\nconfig:\n  replicas:\n    type: integer\n    default: 2\n  owner: platform\n",
    );
    write(
      "Pulumi.prod.yaml",
      [
        "config:",
        "  aws:region: eu-west-1",
        "  shop:replicas: 6",
        "  spot: true",
        "  subnets: [subnet-a, subnet-b]",
        "  shop:apiKey:",
        "    secure: v1:abc==",
      ].join("\n"),
    );
    const program = load({ stack: "prod" });
    expect(program.stackConfigFile).toBe(path.join(dir, "Pulumi.prod.yaml"));
    expect(program.config).toEqual({
      "aws:region": "eu-west-1",
      "shop:replicas": "6",
      "shop:owner": "platform",
      "shop:spot": "true",
      "shop:subnets": '["subnet-a","subnet-b"]',
      "shop:apiKey": SECRET_PLACEHOLDER,
    });
    expect(program.secretKeys).toEqual(["shop:apiKey"]);
  });

  it("reads Pulumi.dev.yaml by default, and runs a stack without its file on the project's config, as Pulumi does", () => {
    write("Pulumi.yaml", "name: shop\nruntime: nodejs\nconfig:\n  owner: platform\n");
    expect(load()).toMatchObject({ stack: "dev", config: { "shop:owner": "platform" } });
    write("Pulumi.dev.yaml", "config:\n  aws:region: us-west-2\n");
    expect(load().config).toEqual({ "aws:region": "us-west-2", "shop:owner": "platform" });
    const prod = load({ stack: "prod" });
    expect(prod).toMatchObject({ stack: "prod", config: { "shop:owner": "platform" }, secretKeys: [] });
    expect(prod.stackConfigFile).toBeUndefined();
    expect(usageError(() => load({ stack: "../etc" }))).toBe("--stack ../etc: not a stack name");
  });

  it("honours stackConfigDir and names a malformed config file", () => {
    write("Pulumi.yaml", "name: shop\nruntime: nodejs\nstackConfigDir: stacks\n");
    write("stacks/Pulumi.dev.yaml", "config: [1, 2]\n");
    expect(usageError(() => load())).toBe(
      "stacks/Pulumi.dev.yaml: config must be a mapping of keys to values",
    );
  });
});
