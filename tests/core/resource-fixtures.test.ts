/**
 * Golden tests per adapter, from the per-type fixture folders (discovered, never listed). Every
 * case states its hand-worked outcome; the golden report beside it holds every line item.
 */
import { describe, expect, it } from "vitest";
import { estimateStack } from "../../src/estimate/estimator.js";
import { estimateJson } from "../../src/report/estimate-json.js";
import { PRICED_TYPES } from "../../src/resources/registry.js";
import { estimateIncrementally } from "./support/incremental.js";
import {
  discoverCases,
  folderOf,
  goldenReport,
  inputsOf,
  optionsOf,
  urnOf,
} from "./support/resource-fixtures.js";

const cases = discoverCases();

describe("per-type fixture folders", () => {
  it("every priced type has a fixture folder, and every folder is a priced type or a tripwire case", () => {
    const folders = new Set(cases.map((c) => c.id.split("/").slice(0, -1).join("/")));
    for (const type of PRICED_TYPES)
      expect(folders, `no fixture folder for ${type}`).toContain(folderOf(type));
    const known = new Set(PRICED_TYPES.map(folderOf));
    for (const folder of folders) {
      if (folder.startsWith("tripwire")) continue;
      expect(known, `fixture folder ${folder} matches no priced type`).toContain(folder);
    }
  });
});

describe.each(cases.map((c) => [c.id, c] as const))("%s", (_id, { dir, fixture }) => {
  it(fixture.description, () => {
    const inputs = inputsOf(fixture);
    const options = optionsOf(fixture);
    const stack =
      fixture.analysis === "per-resource"
        ? estimateIncrementally(inputs, options)
        : estimateStack(inputs, options);
    const report = estimateJson(stack, { priceSheet: options.priceSheet?.name });
    for (const [name, want] of Object.entries(fixture.expect)) {
      const got = report.resources.find((r) => r.name === name);
      expect(got, `no resource ${name}`).toBeDefined();
      const at = `${name}: ${got!.reason ?? ""}`;
      expect(got!.status, at).toBe(want.status);
      if (want.monthly !== undefined)
        expect(
          got!.monthly ? [got!.monthly.baseline!.total, got!.monthly.worstCase!.total] : null,
          at,
        ).toEqual(want.monthly);
      if (want.oneTime !== undefined) expect(got!.oneTime?.total ?? null, at).toEqual(want.oneTime);
      for (const part of want.reason ?? []) expect(got!.reason ?? "", at).toContain(part);
      if (want.unknownFields) expect(got!.unknownFields, at).toEqual(want.unknownFields);
      if (want.instanceTypes) expect(got!.instanceTypes, at).toEqual(want.instanceTypes);
      if (want.linkedTo !== undefined) {
        const linked =
          want.linkedTo === null
            ? null
            : urnOf(inputs.find((i) => i.name === want.linkedTo)!.type, want.linkedTo);
        expect(got!.linkedTo, at).toBe(linked);
      }
      // Never a priced $0 for what is not priced.
      if (got!.status === "unpriced") expect(got!.monthly, at).toBeNull();
    }
    if (fixture.totals) expect(report.totals).toEqual(fixture.totals);
    // Line items add up to their totals to the cent.
    for (const r of report.resources) {
      for (const b of [r.monthly?.baseline, r.monthly?.worstCase, r.oneTime]) {
        if (!b) continue;
        const cents = b.lineItems.reduce((n, l) => n + Math.round(Number(l.amount) * 100), 0);
        expect(cents, r.name).toBe(Math.round(Number(b.total) * 100));
      }
    }
    expect(report).toEqual(goldenReport(dir, report));
  });
});
