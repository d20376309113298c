import { Command } from "commander";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { registerPrices } from "../../cli/commands/prices.js";
import { UsageError } from "../../cli/errors.js";
import { embeddedCatalog } from "../../src/catalog/catalog.js";
import { catalogAge } from "../../src/catalog/staleness.js";
import { type BuiltCli, buildCli, runCli } from "./support/cli.js";
import { runPrices } from "./support/in-process.js";

describe("computeguard prices (command group)", () => {
  let cli: BuiltCli;
  beforeAll(() => {
    cli = buildCli();
  });

  it("lists the catalog with no subcommand, exactly as `prices list`", async () => {
    const bare = await runCli(cli, ["prices"]);
    const list = await runPrices(["list"]);
    expect(bare.code).toBe(0);
    expect(list.error).toBeUndefined();
    expect(bare.stdout).toBe(list.stdout);
    expect(bare.stdout.split("\n")[0]).toMatch(
      /^TYPE\s+REGION\s+USD\/H\s+USD\/MO \(730H\)\s+ACCELERATORS\s+VCPU\s+MEM GIB\s+AS OF$/,
    );
    expect(bare.stdout).toMatch(/^p5\.48xlarge\s+us-east-1\s+55\.04\s+40179\.20\s+8 x NVIDIA H100/m);
  });

  it("passes the list options through the default subcommand", async () => {
    const result = await runPrices(["--type", "p5", "--region", "us-east-1", "--format", "json"]);
    expect(result.error).toBeUndefined();
    const json = JSON.parse(result.stdout);
    expect(json.entries.map((e: { instanceType: string }) => e.instanceType).sort()).toEqual([
      "ml.p5.48xlarge",
      "p5.48xlarge",
      "p5.4xlarge",
    ]);
    const bad = await runPrices(["--format", "xml"]);
    expect(bad.error).toBeInstanceOf(UsageError);
    expect(bad.error?.message).toBe('--format must be table or json, got "xml"');
  });

  it("documents its subcommands", async () => {
    const result = await runPrices(["--help"]);
    expect(result.error).toMatchObject({ code: "commander.helpDisplayed" });
    for (const sub of ["list", "import", "refresh", "diff"])
      expect(result.stdout).toMatch(new RegExp(`^\\s+${sub}\\b`, "m"));
  });
});

describe("prices list staleness warning", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  async function listAt(now: Date): Promise<{ stdout: string; stderr: string }> {
    vi.useFakeTimers({ now, toFake: ["Date"] });
    let stdout = "";
    let stderr = "";
    vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      stdout += String(chunk);
      return true;
    });
    vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      stderr += String(chunk);
      return true;
    });
    const program = new Command().exitOverride();
    registerPrices(program);
    await program.parseAsync(["prices", "--type", "p5"], { from: "user" });
    return { stdout, stderr };
  }

  // Relative to the embedded catalog's own newest price, so refreshing the catalog keeps this test true.
  const newest = Date.parse(`${catalogAge(embeddedCatalog(), new Date(0))!.newestPriceDate}T00:00:00Z`);
  const day = 86_400_000;

  it("prints the warning on stderr once the embedded catalog is over 90 days old", async () => {
    const { stdout, stderr } = await listAt(new Date(newest + 120 * day));
    expect(stderr).toMatch(
      /^computeguard: warning: the price catalog is 120 days old \(its newest price is dated \d{4}-\d{2}-\d{2}, source [^)]+\), over the 90-day limit/,
    );
    expect(stdout).toContain("p5.48xlarge");
    expect(stdout).not.toContain("warning");
  });

  it("prints nothing on stderr while the catalog is fresh", async () => {
    const { stderr } = await listAt(new Date(newest + 30 * day));
    expect(stderr).toBe("");
  });
});
