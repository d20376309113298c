import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Decimal } from "decimal.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAuditRecords } from "../../src/audit/index.js";
import { type CliResult, ensureBuilt, expectOneLineError, ROOT, runCli } from "../support/cli.js";

const EXAMPLE_FLAGS = [
  "--policy-config",
  "examples/budgets.json",
  "--price-sheet",
  "examples/price-sheet.json",
];
const FIXTURES = "tests/check/fixtures";

const scratch = mkdtempSync(path.join(tmpdir(), "computeguard-check-"));
const auditLog = (run: string) => path.join(scratch, run, "audit.jsonl");

/** Every run this file checks, started together: each loads the Pulumi SDK (a second or two). */
const RUNS = {
  table: EXAMPLE_FLAGS,
  json: [...EXAMPLE_FLAGS, "--format", "json"],
  overBudget: [...EXAMPLE_FLAGS, "--stack", "over-budget"],
  noisy: ["--program", `${FIXTURES}/noisy`, "--format", "json"],
  throws: ["--program", `${FIXTURES}/throws`],
  invalidArgs: ["--program", `${FIXTURES}/invalid-args`],
  missingProgram: ["--program", `${FIXTURES}/no-such-program`],
  badPolicyConfig: ["--policy-config", `${FIXTURES}/bad-policy-config.json`],
  // No Pulumi.staging.yaml: valid in Pulumi (the project's config only), so checked, not refused.
  unknownStack: ["--stack", "staging", "--format", "json"],
  badFormat: ["--format", "yaml"],
} satisfies Record<string, string[]>;

const results = {} as Record<keyof typeof RUNS, CliResult>;

/** A file where the noisy run's audit directory should be: every write fails, passes included. */
const notADirectory = path.join(scratch, "not-a-directory");
const ENV: Partial<Record<keyof typeof RUNS, Record<string, string>>> = {
  noisy: { COMPUTEGUARD_AUDIT_LOG: path.join(notADirectory, "audit.jsonl"), COMPUTEGUARD_AUDIT_ALL: "1" },
};

beforeAll(async () => {
  ensureBuilt();
  writeFileSync(notADirectory, "");
  const names = Object.keys(RUNS) as Array<keyof typeof RUNS>;
  const done = await Promise.all(
    names.map((name) =>
      runCli(["check", ...RUNS[name]], { env: ENV[name] ?? { COMPUTEGUARD_AUDIT_LOG: auditLog(name) } }),
    ),
  );
  for (const [i, name] of names.entries()) results[name] = done[i]!;
}, 180_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

// Expected costs, computed here from the inputs rather than by the core. Catalog rates (us-east-1,
// src/catalog/data/aws-gpu-catalog.json): SageMaker hosting ml.g5.2xlarge $1.515/h (a Pricing API
// capture of 2026-08-17); EC2 g6e.2xlarge $2.24208/h and g5.xlarge $1.006/h (SkyPilot's table, 2026-12-04).
const sheet = JSON.parse(readFileSync(path.join(ROOT, "examples/price-sheet.json"), "utf8")) as {
  discountPercent: number;
  spotFactor: string;
  bedrockRates: Array<{ usdPerModelUnitHour: string }>;
};
const HOURS = 730;
const discounted = (rate: string) => new Decimal(rate).times(100 - sheet.discountPercent).dividedBy(100);
const cents = (d: Decimal) => d.toDecimalPlaces(2, Decimal.ROUND_HALF_UP);
const lineItem = (rate: Decimal, hours: number, count: number) => cents(rate.times(hours).times(count));

const endpointRate = discounted("1.515");
const nodeRate = discounted("2.24208");
const devBoxRate = discounted("1.006");
const bedrockRate = new Decimal(sheet.bedrockRates[0]!.usdPerModelUnitHour);

/** [baseline, worst case] per resource, default stack: endpoint 2..4 instances, node group 2..6. */
const EXPECTED = {
  "support-summaries": [lineItem(bedrockRate, HOURS, 1), lineItem(bedrockRate, HOURS, 1)],
  "support-chat-config": [lineItem(endpointRate, HOURS, 2), lineItem(endpointRate, HOURS, 4)],
  "research-dev-box": [lineItem(devBoxRate.times(sheet.spotFactor), 200, 1), lineItem(devBoxRate, HOURS, 1)],
  "batch-gpu": [lineItem(nodeRate, HOURS, 2), lineItem(nodeRate, HOURS, 6)],
} as const;
const sumOf = (pick: 0 | 1) =>
  Object.values(EXPECTED).reduce((total, pair) => total.plus(pair[pick]), new Decimal(0));
const usd = (d: Decimal) => `$${d.toFixed(2).replace(/\B(?=(\d{3})+(?!\d))/g, ",")}`;

/** The parts of a `computeguard.check/v2` resource these tests read. */
interface JsonResource {
  name: string;
  monthly: { baseline: { total: string }; worstCase: { total: string } };
  region: unknown;
  providerRegion: unknown;
  parent: string | null;
  marginPercent: string | null;
}

/** Bad input: exit code 2. */
const expectUsageError = (result: CliResult, message: string | RegExp) =>
  expectOneLineError(result, 2, message);
/** The program could not be evaluated: exit code 3. */
const expectCouldNotEvaluate = (result: CliResult, message: string | RegExp) =>
  expectOneLineError(result, 3, message);

describe("computeguard check on the example stack (default)", () => {
  it("passes with exit 0 and previews every GPU and inference resource", () => {
    const { code: status, stdout, stderr } = results.table;
    expect(status, stderr).toBe(0);
    // Not a terminal: no progress line, and the program itself prints nothing.
    expect(stderr).toBe("");
    // The verdict first, as every report leads with it.
    expect(stdout.split("\n").slice(0, 2)).toEqual([
      "computeguard WARNINGS: 0 blocked, 1 warning, 0 not priced; passes --fail-on blocked",
      "computeguard check  computeguard-example/dev  examples/ml-platform/index.ts",
    ]);
    for (const [name, [baseline, worst]] of Object.entries(EXPECTED)) {
      const row = stdout.split("\n").find((line) => line.startsWith(`${name} `));
      expect(row, name).toBeDefined();
      expect(row).toContain(usd(baseline));
      expect(row).toContain(usd(worst));
    }
    const chat = stdout.split("\n").find((line) => line.startsWith("support-chat-config "))!;
    expect(chat).toMatch(/^support-chat-config +2\.\.4 x ml\.g5\.2xlarge .* 8\.1% +51\.5% +warning$/);
    expect(stdout).toMatch(/^batch-gpu +2\.\.6 x g6e\.2xlarge \+1 /m);
    expect(stdout).toMatch(new RegExp(`^TOTAL +\\${usd(sumOf(0))} +\\${usd(sumOf(1))} +71\\.4%$`, "m"));
    expect(stdout).toContain("support-chat-config  WARNING  buy-vs-build: buy API access");
    expect(stdout).toContain("computeguard: projected GPU/inference spend");
    expect(stdout).toContain("PASSED: nothing mandatory failed (1 warning)");
  });

  it("records the warning in the audit trail and prints the chain head", () => {
    const records = [...readAuditRecords(auditLog("table"), {})];
    expect(records.map((r) => [r.operation, r.stack, r.project, r.policy, r.decision])).toEqual([
      ["check", "dev", "computeguard-example", "buy-vs-build", "warned"],
    ]);
    const head = records[0]!;
    expect(results.table.stdout).toContain(
      `audit: 1 decision recorded in ${auditLog("table")}; chain head ${head.seq}:${head.hash}\n`,
    );
  });

  it("writes JSON whose totals are the independently computed costs", () => {
    const { code: status, stdout, stderr } = results.json;
    expect(status, stderr).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({
      schema: "computeguard.check/v2",
      project: "computeguard-example",
      stack: "dev",
      outcome: "passed",
      exitCode: 0,
      priceSheet: "example-account-2026",
      stackBudget: { monthlyLimit: "50000.00", basis: "worst-case", usedPercent: "71.36" },
    });
    expect(json.totals).toEqual({
      monthlyBaseline: sumOf(0).toFixed(2),
      monthlyWorstCase: sumOf(1).toFixed(2),
      oneTime: "0.00",
    });
    const byName = new Map((json.resources as JsonResource[]).map((r) => [r.name, r]));
    expect([...byName.keys()].sort()).toEqual(Object.keys(EXPECTED).sort());
    for (const [name, [baseline, worst]] of Object.entries(EXPECTED)) {
      const r = byName.get(name)!;
      expect(r.monthly.baseline.total, name).toBe(baseline.toFixed(2));
      expect(r.monthly.worstCase.total, name).toBe(worst.toFixed(2));
      expect(r.region, name).toEqual({ region: "us-east-1", from: "provider" });
      expect(r.providerRegion, name).toEqual({ region: "us-east-1", from: "stack config" });
      expect(r.parent, name).toMatch(/^urn:pulumi:dev::computeguard-example::computeguard:index:/);
    }
    // Declared revenue 700M tokens x $6/1M against the baseline cost.
    const margin = new Decimal(4200).minus(EXPECTED["support-chat-config"][0]).dividedBy(4200).times(100);
    expect(byName.get("support-chat-config")!.marginPercent).toBe(margin.toFixed(2));
    expect(json.findings.length).toBeGreaterThan(0);
    for (const f of json.findings) {
      expect(Object.keys(f)).toEqual(
        expect.arrayContaining(["policy", "outcome", "ruleDecision", "level", "message", "urn"]),
      );
    }
    expect(json.findings.filter((f: { outcome: string }) => f.outcome !== "passed")).toMatchObject([
      {
        policy: "buy-vs-build",
        ruleDecision: "warned",
        level: "advisory",
        urn: expect.stringContaining("support-chat-config"),
      },
    ]);
  });
});

describe("computeguard check --stack over-budget", () => {
  it("exits 1 naming the resource, the policy, the projected cost and the limit", () => {
    const { code: status, stdout, stderr } = results.overBudget;
    expect(status, stderr).toBe(1);
    // The scaling target registers after its endpoint configuration and adds 10 instances of worst case.
    const added = lineItem(endpointRate, HOURS, 10);
    const worst = sumOf(1)
      .minus(EXPECTED["support-chat-config"][1])
      .minus(EXPECTED["batch-gpu"][1])
      .plus(lineItem(endpointRate, HOURS, 12))
      .plus(lineItem(nodeRate, HOURS, 16));
    expect(stdout).toContain(
      `support-chat-scaling  BLOCKED  gpu-stack-budget (mandatory): support-chat-scaling (+${usd(added)}/mo) takes the stack's projected spend to ${usd(worst)}/mo, over its $50,000.00/mo limit`,
    );
    expect(stdout.split("\n")[0]).toBe(
      "computeguard BLOCKED: 1 blocked, 2 warnings, 0 not priced; fails --fail-on blocked",
    );
    // One finding for one overrun: the stack phase does not repeat the block the resource got.
    expect(stdout).not.toMatch(/^stack +BLOCKED/m);
    expect(stdout).toContain("batch-gpu             WARNING  gpu-stack-budget: batch-gpu");
    expect(stdout).toContain("BLOCKED: 1 mandatory finding; a deployment would stop at support-chat-scaling");
  });

  it("records the blocks and warnings under operation check", () => {
    const records = [...readAuditRecords(auditLog("overBudget"), {})];
    expect(records.map((r) => [r.operation, r.stack, r.policy, r.decision])).toEqual([
      ["check", "over-budget", "gpu-stack-budget", "warned"],
      ["check", "over-budget", "buy-vs-build", "warned"],
      ["check", "over-budget", "gpu-stack-budget", "blocked"],
    ]);
    expect(records[2]).toMatchObject({ limit: "50000", budget: "stack", enforcementLevel: "mandatory" });
  });
});

describe("computeguard check on other programs", () => {
  it("keeps the program's output off stdout and prices through an explicit provider's region", () => {
    const { code: status, stdout, stderr } = results.noisy;
    expect(status, stderr).toBe(0);
    expect(stderr).toContain("deploying the inference sandbox\n");
    expect(stderr).toContain("warning from the program itself\n");
    const json = JSON.parse(stdout);
    expect(json.project).toBe("noisy-program");
    const [sandbox] = json.resources;
    // Catalog: g4dn.xlarge in eu-west-1 $0.587/h; no price sheet.
    expect(sandbox).toMatchObject({
      name: "sandbox",
      region: { region: "eu-west-1", from: "provider" },
      providerRegion: { region: "eu-west-1", from: "provider" },
      provider: "urn:pulumi:dev::noisy-program::pulumi:providers:aws::ireland",
      outcome: "passed",
    });
    expect(sandbox.monthly.worstCase.total).toBe(lineItem(new Decimal("0.587"), HOURS, 1).toFixed(2));
    // The team tag came from Pulumi.dev.yaml through new pulumi.Config().
    expect(json.findings).toContainEqual(
      expect.objectContaining({ policy: "cost-allocation-tags", ruleDecision: "passed", urn: sandbox.urn }),
    );
  });

  it("warns, without failing the check, when the audit trail cannot be written", () => {
    const json = JSON.parse(results.noisy.stdout);
    // COMPUTEGUARD_AUDIT_ALL=1 records passes too; each write fails on the same directory.
    expect(json.audit).toMatchObject({ recorded: 0, head: null });
    expect(json.audit.failures).toEqual([
      expect.stringMatching(/^cannot create audit log directory .*not-a-directory: /),
    ]);
    expect(json).toMatchObject({ outcome: "passed", exitCode: 0 });
    expect(results.noisy.code).toBe(0);
  });
});

describe("computeguard check on bad input", () => {
  it("rejects a missing program directory", () => {
    expectUsageError(
      results.missingProgram,
      /^computeguard: --program tests\/check\/fixtures\/no-such-program: no such directory$/,
    );
  });

  it("reports a program that throws in one line, as could not evaluate (exit 3)", () => {
    expectCouldNotEvaluate(
      results.throws,
      /^computeguard: program tests\/check\/fixtures\/throws\/index\.ts failed: subnet lookup failed: no subnet tagged tier=gpu(; \d+ registrations? never finished: .*)?$/,
    );
  });

  it("reports impossible component arguments in one line, as could not evaluate (exit 3)", () => {
    expectCouldNotEvaluate(
      results.invalidArgs,
      /^computeguard: program .*invalid-args\/index\.ts failed: GpuNodeGroup "batch": minSize \(3\) is greater than maxSize \(2\)(; \d+ registrations? never finished: .*)?$/,
    );
  });

  it("rejects a malformed policy config, naming the file and the field", () => {
    expectUsageError(
      results.badPolicyConfig,
      /^computeguard: policy config tests\/check\/fixtures\/bad-policy-config\.json: computeguard policy gpu-stack-budget: invalid config: monthlyLimitUsd: /,
    );
  });

  it("checks a stack without a config file, as Pulumi runs it", () => {
    const { code: status, stdout, stderr } = results.unknownStack;
    expect(status, stderr).not.toBe(2);
    expect(stderr).not.toMatch(/Pulumi\.staging\.yaml/);
    const json = JSON.parse(stdout);
    expect(json.stack).toBe("staging");
    expect(json.resources.length).toBeGreaterThan(0);
  });

  it("rejects an unknown format", () => {
    expectUsageError(
      results.badFormat,
      /^computeguard: --format must be table, json, markdown or html, got "yaml"$/,
    );
  });
});
