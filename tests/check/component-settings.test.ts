/**
 * `check --policy-config` hands the program's components the policy config it gates with
 * (COMPUTEGUARD_POLICY_CONFIG, read by components/internal/common-args.ts), so a component's cost
 * outputs are the figures the gate judges, not public prices at 730 h while the gate uses the
 * negotiated sheet at 744 h.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { embeddedCatalog } from "../../src/catalog/catalog.js";
import { formatAmount, money } from "../../src/money.js";
import { ensureBuilt, runCli } from "../support/cli.js";

const FIXTURE = "tests/check/fixtures/component-settings";
const scratch = mkdtempSync(path.join(tmpdir(), "computeguard-component-settings-"));
beforeAll(() => ensureBuilt(), 300_000);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("check and the program's components", () => {
  it("price with the same computeguard-settings: the component's output is the gate's figure", async () => {
    const outputs = path.join(scratch, "outputs.json");
    const result = await runCli(
      ["check", "--program", FIXTURE, "--policy-config", `${FIXTURE}/policy-config.json`, "--format", "json"],
      { env: { COMPONENT_OUTPUTS: outputs, COMPUTEGUARD_AUDIT_LOG: path.join(scratch, "audit.jsonl") } },
    );
    expect(result.stderr).toBe("");
    const report = JSON.parse(result.stdout) as {
      hoursPerMonth: number;
      priceSheet: string | null;
      totals: { monthlyWorstCase: string };
    };
    // The catalog's p5.48xlarge rate x 50 % (the sheet) x 744 h (the settings).
    const rate = embeddedCatalog().find("p5.48xlarge", "us-east-1")!.usdPerHour!;
    const expected = formatAmount(money(rate).times("0.5").times(744));
    expect(report.hoursPerMonth).toBe(744);
    expect(report.priceSheet).toBe("negotiated");
    expect(report.totals.monthlyWorstCase).toBe(expected);

    const component = JSON.parse(readFileSync(outputs, "utf8")) as {
      monthlyWorstCaseUsd: string;
      costAssumptions: string[];
    };
    expect(component.monthlyWorstCaseUsd).toBe(expected);
    expect(component.costAssumptions.find((a) => a.startsWith("priced with"))).toContain(
      "settings of the policy config (COMPUTEGUARD_POLICY_CONFIG",
    );
    // Under the 30,000 limit at these prices: the gate passes what the component shows.
    expect(result.code).toBe(0);
    // The variable was set for the program's run only.
    expect(process.env.COMPUTEGUARD_POLICY_CONFIG).toBeUndefined();
    // The program loads the SDK and @pulumi/aws: slow on a loaded machine.
  }, 120_000);
});
