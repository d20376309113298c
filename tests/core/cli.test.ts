import { pathToFileURL } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { type CliResult, ensureBuilt, expectUsageError, ROOT, runCli } from "../support/cli.js";

const FIXED_CLOCK = pathToFileURL(`${ROOT}/tests/support/fixed-clock.mjs`).href;

const EXAMPLE = "examples/two-p5-stack-export.json";
const FIXTURES = "tests/fixtures/core";

/** Every run this file checks, started together: each costs a node start-up on a busy machine. */
const RUNS = {
  table: ["estimate", "--stack-export", EXAMPLE],
  json: ["estimate", "--stack-export", EXAMPLE, "--format", "json"],
  flags: [
    "estimate",
    "--stack-export",
    `${FIXTURES}/regions-stack-export.json`,
    "--price-sheet",
    `${FIXTURES}/account-price-sheet.json`,
    "--region",
    "eu-west-1",
    "--hours-per-month",
    "100",
    "--format",
    "json",
  ],
  notJson: ["estimate", "--stack-export", `${FIXTURES}/truncated-stack-export.json`],
  missing: ["estimate", "--stack-export", `${FIXTURES}/no-such-file.json`],
  wrongShape: ["estimate", "--stack-export", `${FIXTURES}/wrong-shape-stack-export.json`],
  badFormat: ["estimate", "--stack-export", EXAMPLE, "--format", "yaml"],
  badSheet: ["estimate", "--stack-export", EXAMPLE, "--price-sheet", `${FIXTURES}/bad-price-sheet.json`],
  rawCheckpoint: ["estimate", "--stack-export", "tests/fixtures/realworld/raw-checkpoint-v4.json"],
  v4: ["estimate", "--stack-export", "tests/fixtures/realworld/stack-export-v4.json", "--format", "json"],
  v4Table: ["estimate", "--stack-export", "tests/fixtures/realworld/stack-export-v4.json"],
  prices: ["prices", "--type", "p5"],
  pricesWest: ["prices", "list", "--region", "us-west-2", "--format", "json"],
} satisfies Record<string, string[]>;

const results = {} as Record<keyof typeof RUNS, CliResult>;

// Compiling takes a while on a loaded 2-core machine; ensureBuilt only does it when dist/ is stale.
beforeAll(async () => {
  ensureBuilt();
  const names = Object.keys(RUNS) as Array<keyof typeof RUNS>;
  const done = await Promise.all(names.map((name) => runCli(RUNS[name])));
  for (const [i, name] of names.entries()) results[name] = done[i]!;
}, 180_000);

describe("computeguard estimate", () => {
  it("prints the two-p5 example as a table", () => {
    const { code: status, stdout, stderr } = results.table;
    expect(status, stderr).toBe(0);
    expect(stdout).toContain("trainer-0  aws:ec2/instance:Instance  PRICED  us-east-1 (provider)");
    expect(stdout).toContain("p5.48xlarge on-demand $55.04/h x 730 h x 1 = $40,179.20");
    expect(stdout).toContain("TOTAL  baseline $80,358.40/mo   worst case $80,358.40/mo   one-time $0.00");
    expect(stdout).toContain("2 priced or flagged, 1 not applicable");
    expect(stdout).not.toContain("checkpoints");
  });

  it("prints the two-p5 example as JSON", () => {
    const { code: status, stdout, stderr } = results.json;
    expect(status, stderr).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.schema).toBe("computeguard.estimate/v1");
    expect(json.totals).toEqual({
      monthlyBaseline: "80358.40",
      monthlyWorstCase: "80358.40",
      oneTime: "0.00",
    });
    expect(json.counts).toEqual({ priced: 2, unpriced: 0, unknown: 0, "not-applicable": 1 });
    expect(json.priceSheet).toBeNull();
  });

  it("applies --price-sheet, --region and --hours-per-month", () => {
    const { code: status, stdout, stderr } = results.flags;
    expect(status, stderr).toBe(0);
    const json = JSON.parse(stdout);
    expect(json.priceSheet).toBe("acme negotiated 2026-08");
    expect(json.hoursPerMonth).toBe(100);
    const noProvider = json.resources.find((r: { name: string }) => r.name === "no-provider");
    expect(noProvider.region).toEqual({ region: "eu-west-1", from: "default" });
    // g4dn.xlarge in eu-west-1: 0.587 x 100
    expect(noProvider.monthly.baseline.total).toBe("58.70");
  });

  it("rejects a file that is not JSON", () => {
    expectUsageError(
      results.notJson,
      /^computeguard: stack export .*truncated-stack-export\.json is not valid JSON/,
    );
  });

  it("rejects a missing file", () => {
    expectUsageError(
      results.missing,
      /^computeguard: cannot read stack export .*no-such-file\.json: no such file$/,
    );
  });

  it("rejects JSON that is not a stack export, naming the fields", () => {
    expectUsageError(
      results.wrongShape,
      /^computeguard: .*wrong-shape-stack-export\.json: not a pulumi stack export \(version: .*deployment: /,
    );
  });

  it("says what a raw checkpoint is and the command that writes an export", () => {
    expectUsageError(
      results.rawCheckpoint,
      /^computeguard: tests\/fixtures\/realworld\/raw-checkpoint-v4\.json: this is a raw Pulumi state checkpoint .*not a stack export: run `pulumi stack export --file stack\.json`/,
    );
  });

  it("prices a deployment v4 export to the cent", () => {
    const { code: status, stdout, stderr } = results.v4;
    expect(status, stderr).toBe(0);
    const json = JSON.parse(stdout);
    const trainer = json.resources.find((r: { name: string }) => r.name === "trainer");
    expect(trainer.region).toEqual({ region: "us-west-2", from: "provider" });
    expect(trainer.monthly.worstCase.total).toBe("16029.08");
    expect(json.totals.monthlyWorstCase).toBe("17497.84");
    // The secret-typed instance is not priced: the totals are lower bounds, and say so.
    expect(json.notPriced).toBe(1);
    expect(results.v4Table.stdout).toContain(
      "TOTAL  baseline ≥ $17,497.84/mo   worst case ≥ $17,497.84/mo   one-time ≥ $0.00   (1 not priced)",
    );
  });

  it("rejects a bad --format", () => {
    expectUsageError(results.badFormat, /^computeguard: --format must be table or json, got "yaml"/);
  });

  it("rejects a bad price sheet, naming the field", () => {
    expectUsageError(
      results.badSheet,
      /^computeguard: .*bad-price-sheet\.json: invalid price sheet: rates\.0\.usdPerHour: /,
    );
  });
});

describe("computeguard prices", () => {
  it("lists p5.48xlarge in us-east-1 at $55.04/h", () => {
    const { code: status, stdout, stderr } = results.prices;
    expect(status, stderr).toBe(0);
    expect(stdout).toMatch(/^p5\.48xlarge\s+us-east-1\s+\$55\.04\/h\s+\$40,179\.20\s+8 x NVIDIA H100/m);
    // Since the 2026-12-04 catalog, us-west-2 and eu-west-2 are priced (p5 was unpriced outside us-east-1).
    expect(stdout).toMatch(/^p5\.48xlarge\s+us-west-2\s+\$55\.04\/h\s+\$40,179\.20\s+8 x NVIDIA H100/m);
    expect(stdout).toMatch(/^p5\.48xlarge\s+eu-west-2\s+\$71\.552\/h\s+\$52,232\.96\s+8 x NVIDIA H100/m);
    expect(stdout).not.toMatch(/^p4d/m);
  });

  it("lists every accelerator type sold in us-west-2, EC2 and SageMaker, each with its source and date", () => {
    const { code: status, stdout, stderr } = results.pricesWest;
    expect(status, stderr).toBe(0);
    const json = JSON.parse(stdout) as {
      entries: { instanceType: string; region: string; usdPerHour: string | null; priceAsOf: string }[];
      bedrockRates: { modelId: string; usdPerModelUnitHour: string | null }[];
    };
    expect(new Set(json.entries.map((e) => e.region))).toEqual(new Set(["us-west-2"]));
    const types = json.entries.map((e) => e.instanceType);
    // 83 EC2 types (ec2-accelerators-by-region.csv rows for us-west-2) and 22 SageMaker types.
    expect(types.filter((t) => !t.startsWith("ml."))).toHaveLength(83);
    expect(types.filter((t) => t.startsWith("ml."))).toHaveLength(22);
    for (const type of [
      "g5.xlarge",
      "g6.xlarge",
      "g6e.xlarge",
      "p4d.24xlarge",
      "p5.48xlarge",
      "trn1.32xlarge",
    ]) {
      expect(types).toContain(type);
    }
    const price = (type: string) => json.entries.find((e) => e.instanceType === type)?.usdPerHour;
    expect(price("p5.48xlarge")).toBe("55.04");
    expect(price("p4d.24xlarge")).toBe("21.95764");
    expect(price("ml.g6.xlarge")).toBe("1.1267");
    expect(price("p5e.48xlarge")).toBeNull();
    const bedrock = json.bedrockRates;
    expect(bedrock.find((r) => r.modelId === "meta.llama3-1-70b-instruct-v1*")?.usdPerModelUnitHour).toBe(
      "24",
    );
  });
});

describe("catalog staleness", () => {
  it("warns on stderr, not in the output, once the catalog is older than the allowed age", async () => {
    // The embedded catalog's newest price is dated 2026-12-04: 96 days before 2027-03-10.
    const at = (now: string) => ({ NODE_OPTIONS: `--import ${FIXED_CLOCK}`, COMPUTEGUARD_TEST_NOW: now });
    const stale = await runCli(RUNS.json!, {
      env: { ...at("2027-03-10"), COMPUTEGUARD_MAX_CATALOG_AGE_DAYS: "90" },
    });
    expect(stale.code).toBe(0);
    expect(stale.stderr).toBe(
      "computeguard: warning: the price catalog is 96 days old (its newest price is dated 2026-12-04, source skypilot-2026-12-04), " +
        "over the 90-day limit: AWS prices may have changed; refresh it with `computeguard prices refresh --region REGION`\n",
    );
    const fresh = await runCli(RUNS.json!, {
      env: { ...at("2027-03-03"), COMPUTEGUARD_MAX_CATALOG_AGE_DAYS: "90" },
    });
    expect(fresh.stderr).toBe("");
    // `prices` warns the same way.
    const prices = await runCli(RUNS.prices!, {
      env: { ...at("2027-03-10"), COMPUTEGUARD_MAX_CATALOG_AGE_DAYS: "90" },
    });
    expect(prices.stderr).toBe(stale.stderr);
    expect(JSON.parse(stale.stdout).totals.monthlyBaseline).toBe("80358.40");
    const bad = await runCli(RUNS.json!, { env: { COMPUTEGUARD_MAX_CATALOG_AGE_DAYS: "soon" } });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      'computeguard: COMPUTEGUARD_MAX_CATALOG_AGE_DAYS must be a whole number of days, got "soon"\n',
    );
  });
});
