import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalogFile } from "../../src/catalog/catalog.js";
import { diffCatalogs, percentChange } from "../../src/catalog/diff.js";
import { money } from "../../src/money.js";
import { ensureBuilt, expectUsageError, runCli } from "../support/cli.js";
import { FIXTURES } from "./support/fixtures.js";

const PRE_CUT = join(FIXTURES, "catalog-2025-04-28-pre-cut.json");
/** The golden import of the trimmed 2026-07-20 us-east-1 EC2 offer: post-cut prices. */
const POST_CUT = join(FIXTURES, "ec2-us-east-1.catalog.golden.json");

describe("diffCatalogs", () => {
  it("shows the June 2025 P-family cut between the pre-cut and post-cut catalogs", () => {
    const diff = diffCatalogs(loadCatalogFile(PRE_CUT), loadCatalogFile(POST_CUT));
    expect(
      diff.changed.map((c) => [
        c.instanceType,
        c.oldUsdPerHour,
        c.newUsdPerHour,
        c.changeUsdPerHour,
        c.changePercent,
      ]),
    ).toEqual([
      ["p4d.24xlarge", "32.7726", "21.957642", "-10.814958", "-33.0"],
      ["p4de.24xlarge", "40.96575", "27.44705", "-13.5187", "-33.0"],
      ["p5.48xlarge", "98.32", "55.04", "-43.28", "-44.0"],
      ["p5en.48xlarge", "84.8", "63.296", "-21.504", "-25.4"],
    ]);
    expect(diff.changed[2]).toMatchObject({ oldPriceAsOf: "2025-04-28", newPriceAsOf: "2026-07-20" });
    expect(diff.added.map((a) => [a.instanceType, a.usdPerHour])).toEqual([
      ["dl1.24xlarge", "13.10904"],
      ["g4dn.metal", "7.824"],
      ["g5.xlarge", "1.006"],
      ["inf2.xlarge", "0.7582"],
      ["p5e.48xlarge", null],
      ["trn1.32xlarge", "21.5"],
      ["trn2.48xlarge", null],
    ]);
    expect(diff.removed).toEqual([]);
    expect(diff.unchangedCount).toBe(0);
  });

  it("is empty against itself, and the reverse diff swaps added and removed", () => {
    const pre = loadCatalogFile(PRE_CUT);
    const post = loadCatalogFile(POST_CUT);
    expect(diffCatalogs(post, post)).toEqual({ changed: [], added: [], removed: [], unchangedCount: 11 });
    const reverse = diffCatalogs(post, pre);
    expect(reverse.removed.map((r) => r.instanceType)).toEqual(
      diffCatalogs(pre, post).added.map((a) => a.instanceType),
    );
    expect(reverse.changed.find((c) => c.instanceType === "p5.48xlarge")?.changePercent).toBe("78.6");
  });

  it("treats a price becoming unpriced as a change without a percentage, and equal decimals as unchanged", () => {
    const pre = loadCatalogFile(PRE_CUT);
    const entries = pre.entries.map((e) =>
      e.instanceType === "p5.48xlarge"
        ? { ...e, usdPerHour: null, unpricedReason: "withdrawn" }
        : e.instanceType === "p4d.24xlarge"
          ? { ...e, usdPerHour: "32.772600" }
          : e,
    );
    const diff = diffCatalogs(pre, { entries });
    expect(diff.changed).toEqual([
      expect.objectContaining({
        instanceType: "p5.48xlarge",
        oldUsdPerHour: "98.32",
        newUsdPerHour: null,
        changeUsdPerHour: null,
        changePercent: null,
      }),
    ]);
    expect(diff.unchangedCount).toBe(3);
  });
});

describe("percentChange", () => {
  it("rounds half away from zero to one decimal place, with no negative zero", () => {
    expect(percentChange(money("98.32"), money("55.04"))).toBe("-44.0");
    expect(percentChange(money("200"), money("200.1"))).toBe("0.1"); // exactly +0.05 %
    expect(percentChange(money("200"), money("199.9"))).toBe("-0.1"); // exactly -0.05 %
    expect(percentChange(money("1000"), money("999.9999"))).toBe("0.0");
    expect(percentChange(money("0"), money("1"))).toBeNull();
  });

  it("agrees in sign with the change and reproduces the new price within the rounding", () => {
    const price = fc
      .tuple(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 6 }))
      .map(([units, scale]) => money(units).div(10 ** scale));
    fc.assert(
      fc.property(price, price, (before, after) => {
        const percent = money(percentChange(before, after)!);
        if (after.greaterThan(before)) expect(percent.isNegative()).toBe(false);
        if (after.lessThan(before)) expect(percent.greaterThan(0)).toBe(false);
        const exact = after.minus(before).div(before).times(100);
        expect(exact.minus(percent).abs().lessThanOrEqualTo("0.05")).toBe(true);
      }),
    );
  });
});

describe("prices diff on the command line", () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "computeguard-diff-"));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("prints a table of changed, added and removed prices", async () => {
    const result = await runCli(["prices", "diff", PRE_CUT, POST_CUT]);
    expect(result.code).toBe(0);
    const lines = result.stdout.split("\n");
    expect(lines[0]).toBe(
      `Prices per hour from ${PRE_CUT} (catalog 2025-04-28) to ${POST_CUT} (catalog 2026-07-20)`,
    );
    expect(lines[2]).toMatch(/^CHANGE\s+TYPE\s+REGION\s+OLD\s+NEW\s+DELTA\s+DELTA %$/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^changed\s+p5\.48xlarge\s+us-east-1\s+\$98\.32\/h\s+\$55\.04\/h\s+-\$43\.28\/h\s+-44\.0 %$/,
      ),
    );
    expect(lines).toContainEqual(
      expect.stringMatching(/^added\s+p5e\.48xlarge\s+us-east-1\s+-\s+UNPRICED\s+-\s+-$/),
    );
    expect(result.stdout.trimEnd().split("\n").at(-1)).toBe("4 changed, 7 added, 0 removed, 0 unchanged.");
  });

  it("prints JSON with exact decimal strings", async () => {
    const result = await runCli(["prices", "diff", PRE_CUT, POST_CUT, "--format", "json"]);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.old).toEqual({ file: PRE_CUT, catalogVersion: "2025-04-28" });
    expect(json.changed.find((c: { instanceType: string }) => c.instanceType === "p5.48xlarge")).toEqual({
      instanceType: "p5.48xlarge",
      region: "us-east-1",
      oldUsdPerHour: "98.32",
      newUsdPerHour: "55.04",
      changeUsdPerHour: "-43.28",
      changePercent: "-44.0",
      oldPriceAsOf: "2025-04-28",
      newPriceAsOf: "2026-07-20",
    });
  });

  it("names a bad catalog file in one line, exit 2", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(bad, '{"schemaVersion": 1}');
    expectUsageError(
      await runCli(["prices", "diff", PRE_CUT, bad]),
      new RegExp(`^computeguard: ${bad}: invalid price catalog: `),
    );
    expectUsageError(
      await runCli(["prices", "diff", PRE_CUT, POST_CUT, "--format", "csv"]),
      'computeguard: --format must be table or json, got "csv"',
    );
  });
});
