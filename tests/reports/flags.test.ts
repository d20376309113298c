import { beforeAll, describe, expect, it } from "vitest";
import { EXPORT_NEW, EXPORT_OLD, ensureBuilt, PLANS, runCli, SCALE } from "./support/cli.js";

beforeAll(ensureBuilt, 120_000);

/** Flag and file-shape errors: exit 2, one stderr line (returned without its prefix), nothing written. */
async function usageError(args: string[]): Promise<string> {
  const result = await runCli(["estimate", ...args]);
  expect(result.code, result.stderr).toBe(2);
  expect(result.stdout).toBe("");
  expect(result.stderr).toMatch(/^computeguard: [^\n]*\n$/);
  return result.stderr.slice("computeguard: ".length, -1);
}

describe("estimate flags for a cost diff", () => {
  it.each([
    [["--compare-to", EXPORT_OLD], "--compare-to OLD needs --stack-export NEW"],
    [
      ["--preview", SCALE, "--stack-export", EXPORT_NEW],
      "--preview cannot be combined with --stack-export or --compare-to",
    ],
    [
      ["--preview", SCALE, "--policy-config", `${PLANS}/budgets.json`, "--fail-on", "sometimes"],
      '--fail-on must be blocked, warning, never, got "sometimes"',
    ],
    [
      ["--preview", SCALE, "--fail-on", "never"],
      "--fail-on needs --policy-config FILE (no policy is evaluated without one)",
    ],
    [
      ["--preview", SCALE, "--gpu-deflation", "150"],
      '--gpu-deflation must be a percentage per year in [0, 100], got "150"',
    ],
    [
      ["--preview", SCALE, "--token-deflation", "ten"],
      '--token-deflation must be a percentage per year in [0, 100], got "ten"',
    ],
    [["--preview", SCALE, "--format", "pdf"], '--format must be table, json, markdown or html, got "pdf"'],
    [
      ["--preview", `${PLANS}/wrong-shape-preview.json`],
      "preview tests/fixtures/plans/wrong-shape-preview.json: steps: expected an array, got an object",
    ],
    [
      ["--preview", SCALE, "--policy-config", `${PLANS}/budgets-typo.json`],
      'policy config tests/fixtures/plans/budgets-typo.json: no policy named "gpu-budget" (policies: computeguard-settings, accelerator-allowlist, ',
    ],
    [
      ["--stack-export", EXPORT_NEW, "--compare-to", `${PLANS}/wrong-shape-preview.json`],
      "tests/fixtures/plans/wrong-shape-preview.json: this is pulumi preview --json output, not a stack export: pass it with --preview",
    ],
  ])("%j", async (args, message) => {
    expect(await usageError(args)).toContain(message);
  });
});

describe("the single stack export keeps its flags", () => {
  it.each([
    [
      ["--stack-export", EXPORT_NEW, "--format", "markdown"],
      '--format must be table or json, got "markdown"',
    ],
    [
      ["--stack-export", EXPORT_NEW, "--format", "html"],
      "(markdown and html need --preview or --compare-to)",
    ],
    [["--stack-export", EXPORT_NEW, "--fail-on", "never"], "--fail-on needs --policy-config FILE"],
    [
      ["--stack-export", EXPORT_NEW, "--gpu-deflation", "10"],
      "--gpu-deflation needs --preview FILE or --compare-to FILE",
    ],
    [[], "estimate needs --stack-export FILE or --preview FILE"],
  ])("%j", async (args, message) => {
    expect(await usageError(args)).toContain(message);
  });
});
