import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { embeddedCatalog } from "../../src/catalog/catalog.js";
import { catalogAge } from "../../src/catalog/staleness.js";
import { ensureBuilt, expectUsageError, runCli } from "../support/cli.js";

beforeAll(ensureBuilt, 120_000);

describe("computeguard prices (command group)", () => {
  it("lists the catalog with no subcommand, exactly as `prices list`", async () => {
    const bare = await runCli(["prices"], { spawn: true });
    const list = await runCli(["prices", "list"]);
    expect(bare.code).toBe(0);
    expect(list.code).toBe(0);
    expect(bare.stdout).toBe(list.stdout);
    expect(bare.stdout.split("\n")[0]).toMatch(
      /^TYPE\s+REGION\s+PER HOUR\s+PER MONTH \(730 H\)\s+ACCELERATORS\s+VCPU\s+MEM GIB\s+AS OF$/,
    );
    // Money as every other table prints it.
    expect(bare.stdout).toMatch(/^p5\.48xlarge\s+us-east-1\s+\$55\.04\/h\s+\$40,179\.20\s+8 x NVIDIA H100/m);
  });

  it("passes the list options through the default subcommand", async () => {
    const result = await runCli(["prices", "--type", "p5", "--region", "us-east-1", "--format", "json"]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.entries.map((e: { instanceType: string }) => e.instanceType).sort()).toEqual([
      "ml.p5.48xlarge",
      "p5.48xlarge",
      "p5.4xlarge",
    ]);
    expectUsageError(
      await runCli(["prices", "--format", "xml"]),
      'computeguard: --format must be table or json, got "xml"',
    );
  });

  it("documents its subcommands", async () => {
    const result = await runCli(["prices", "--help"]);
    expect(result.code).toBe(0);
    for (const sub of ["list", "import", "refresh", "diff"])
      expect(result.stdout).toMatch(new RegExp(`^\\s+${sub}\\b`, "m"));
  });
});

describe("prices list staleness warning", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  async function listAt(now: Date): Promise<{ stdout: string; stderr: string }> {
    vi.useFakeTimers({ now, toFake: ["Date"] });
    // The default age limit (90 days), not the runner's.
    return runCli(["prices", "--type", "p5"], { env: { COMPUTEGUARD_MAX_CATALOG_AGE_DAYS: undefined } });
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
