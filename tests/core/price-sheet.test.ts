import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { embeddedCatalog } from "../../src/catalog/catalog.js";
import { estimateStack } from "../../src/estimate/estimator.js";
import { formatAmount } from "../../src/money.js";
import { loadPriceSheet, type PriceSheet, parsePriceSheet } from "../../src/pricing/price-sheet.js";
import { type PricedRate, Pricer, type RateQuote, type RateRequest } from "../../src/pricing/pricer.js";
import { resource, T } from "./support/resources.js";

const scratch = mkdtempSync(path.join(tmpdir(), "computeguard-sheet-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function quote(sheet: unknown, request: Partial<RateRequest> & { instanceType: string }): RateQuote {
  const pricer = new Pricer(embeddedCatalog(), parsePriceSheet(sheet));
  return pricer.hourly({
    region: "us-east-1",
    service: request.instanceType.startsWith("ml.") ? "sagemaker" : "ec2",
    purchase: "on-demand",
    applySavingsPlan: true,
    ...request,
  });
}

function priced(q: RateQuote): PricedRate {
  if (!q.priced) throw new Error(`expected a price, got: ${q.reason}`);
  return q;
}

const rate = (q: RateQuote) => priced(q).usdPerHour.toFixed();

describe("price sheet adjustments", () => {
  it("applies a negotiated discount to catalog prices and says so", () => {
    const q = priced(quote({ discountPercent: 15 }, { instanceType: "p5.48xlarge" }));
    // 55.04 x 0.85
    expect(q.usdPerHour.toFixed()).toBe("46.784");
    expect(q.adjustments).toEqual(["negotiated discount -15% on $55.04/h (price sheet)"]);
  });

  it("a per-type custom rate replaces the catalog price and is not discounted again", () => {
    const sheet = {
      name: "acme",
      effectiveDate: "2026-08-01",
      discountPercent: 15,
      rates: [{ instanceType: "p5.48xlarge", usdPerHour: "40.00", note: "EDP" }],
    };
    const q = priced(quote(sheet, { instanceType: "p5.48xlarge" }));
    expect(q.usdPerHour.toFixed()).toBe("40");
    expect(q.price).toEqual({ source: 'price sheet "acme" (EDP)', date: "2026-08-01" });
    // Other types still get the discount.
    expect(rate(quote(sheet, { instanceType: "p4d.24xlarge" }))).toBe("18.6639957");
  });

  it("a per-family custom rate prices every type of the family; a per-type rate wins over it", () => {
    const sheet = {
      rates: [
        { family: "g6e", usdPerHour: 1.5 },
        { instanceType: "g6e.48xlarge", usdPerHour: "25" },
      ],
    };
    expect(rate(quote(sheet, { instanceType: "g6e.xlarge" }))).toBe("1.5");
    expect(rate(quote(sheet, { instanceType: "g6e.48xlarge" }))).toBe("25");
    expect(rate(quote(sheet, { instanceType: "g6.xlarge" }))).toBe("0.8048");
  });

  it("a custom rate prices a type the catalog does not have", () => {
    const noSheet = new Pricer(embeddedCatalog()).hourly({
      instanceType: "p6e-gb200.36xlarge",
      region: "us-east-1",
      service: "ec2",
      purchase: "on-demand",
      applySavingsPlan: true,
    });
    expect(noSheet).toEqual({
      priced: false,
      reason: "p6e-gb200.36xlarge is not in the price catalog",
      missing: { kind: "instance-rate", instanceType: "p6e-gb200.36xlarge" },
    });
    const sheet = { rates: [{ instanceType: "p6e-gb200.36xlarge", usdPerHour: "95.50" }] };
    expect(rate(quote(sheet, { instanceType: "p6e-gb200.36xlarge" }))).toBe("95.5");
    const stack = estimateStack([resource(T.instance, "gb200", { instanceType: "p6e-gb200.36xlarge" })], {
      priceSheet: parsePriceSheet(sheet),
    });
    // 95.50 x 730
    expect(formatAmount(stack.totals.monthlyBaseline)).toBe("69715.00");
  });

  it("matches a custom rate's region and service, the most specific rate first whatever the order", () => {
    const sheet = {
      rates: [
        { family: "g5", usdPerHour: "0.7" },
        { family: "g5", region: "eu-west-1", usdPerHour: "0.8" },
        { instanceType: "g5.xlarge", usdPerHour: "1.0" },
        { instanceType: "g5.xlarge", region: "eu-west-1", usdPerHour: "0.9" },
        { instanceType: "ml.g5.xlarge", service: "sagemaker", usdPerHour: "1.1" },
        { instanceType: "ml.g5.2xlarge", usdPerHour: "9" },
      ],
    };
    expect(rate(quote(sheet, { instanceType: "g5.xlarge", region: "eu-west-1" }))).toBe("0.9");
    expect(rate(quote(sheet, { instanceType: "g5.xlarge" }))).toBe("1");
    expect(rate(quote(sheet, { instanceType: "g5.2xlarge", region: "eu-west-1" }))).toBe("0.8");
    expect(rate(quote(sheet, { instanceType: "g5.2xlarge" }))).toBe("0.7");
    expect(rate(quote(sheet, { instanceType: "ml.g5.xlarge" }))).toBe("1.1");
    // service defaults to ec2, so an ml.* rate without service: "sagemaker" does not apply.
    expect(rate(quote(sheet, { instanceType: "ml.g5.2xlarge" }))).toBe("1.515");
  });

  it("spotFactor prices spot; without it spot is on-demand as an upper bound", () => {
    const spot = priced(quote({ spotFactor: "0.35" }, { instanceType: "g5.12xlarge", purchase: "spot" }));
    // 5.672 x 0.35
    expect(spot.usdPerHour.toFixed()).toBe("1.9852");
    expect(spot.basis).toBe("spot");
    const bound = priced(quote({}, { instanceType: "g5.12xlarge", purchase: "spot" }));
    expect(bound.usdPerHour.toFixed()).toBe("5.672");
    expect(bound.basis).toBe("spot (priced at on-demand)");
  });

  it("a savings plan discounts baseline on-demand usage of its services only", () => {
    const sheet = { savingsPlan: { discountPercent: 20, services: ["ec2"] } };
    expect(rate(quote(sheet, { instanceType: "p5.48xlarge" }))).toBe("44.032");
    expect(rate(quote(sheet, { instanceType: "p5.48xlarge", applySavingsPlan: false }))).toBe("55.04");
    expect(rate(quote(sheet, { instanceType: "ml.p5.48xlarge" }))).toBe("113.068");
    const stack = estimateStack(
      [
        resource(T.group, "g", {
          minSize: 1,
          desiredCapacity: 1,
          maxSize: 2,
          mixedInstancesPolicy: { launchTemplate: { overrides: [{ instanceType: "p5.48xlarge" }] } },
        }),
      ],
      { priceSheet: parsePriceSheet(sheet) },
    );
    // baseline 44.032 x 730 = 32143.36; worst case bills on demand: 55.04 x 730 x 2 = 80358.40
    expect(formatAmount(stack.totals.monthlyBaseline)).toBe("32143.36");
    expect(formatAmount(stack.totals.monthlyWorstCase)).toBe("80358.40");
  });

  it("prices a region without its own price like another region, times a multiplier", () => {
    // ap-south-2 and il-central-1 are not among the catalog's 24 regions; us-west-2 is.
    const sheet = {
      regions: {
        "ap-south-2": { priceLike: "us-east-1", multiplier: "1.25" },
        "il-central-1": { priceLike: "us-east-1", multiplier: "2" },
        "us-west-2": { priceLike: "us-east-1", multiplier: "2" },
      },
    };
    const hyderabad = priced(quote(sheet, { instanceType: "p5.48xlarge", region: "ap-south-2" }));
    expect(hyderabad.usdPerHour.toFixed()).toBe("68.8");
    expect(hyderabad.adjustments[0]).toBe("ap-south-2 priced like us-east-1 x 1.25 (price sheet regions)");
    expect(rate(quote(sheet, { instanceType: "p5.48xlarge", region: "il-central-1" }))).toBe("110.08");
    // A region's own catalog price wins over its rule.
    expect(rate(quote(sheet, { instanceType: "g4dn.xlarge", region: "us-west-2" }))).toBe("0.526");
    const unpriced = quote({}, { instanceType: "p5.48xlarge", region: "ap-south-2" });
    expect(unpriced.priced).toBe(false);
  });

  it("prices Bedrock model units by model glob, commitment and region", () => {
    const sheet = parsePriceSheet({
      name: "bedrock quotes",
      bedrockRates: [
        { model: "anthropic.claude-3-*", commitment: "6-month", usdPerModelUnitHour: "30" },
        {
          model: "anthropic.claude-3-*",
          commitment: "6-month",
          region: "eu-central-1",
          usdPerModelUnitHour: "33",
        },
        { model: "meta.llama3-70b-instruct-v1:0", usdPerModelUnitHour: "21.18" },
      ],
    });
    const pricer = new Pricer(embeddedCatalog(), sheet);
    const claude = "anthropic.claude-3-haiku-20240307-v1:0";
    expect(priced(pricer.bedrockModelUnit(claude, "6-month", "us-east-1")).usdPerHour.toFixed()).toBe("30");
    expect(priced(pricer.bedrockModelUnit(claude, "6-month", "eu-central-1")).usdPerHour.toFixed()).toBe(
      "33",
    );
    expect(pricer.bedrockModelUnit(claude, "1-month", "us-east-1").priced).toBe(false);
    expect(priced(pricer.bedrockModelUnit("meta.llama3-70b-instruct-v1:0", "none", "us-west-2")).basis).toBe(
      "no-commitment model unit",
    );
    expect(pricer.bedrockModelUnit("meta.llama3-8b-instruct-v1:0", "none", "us-west-2").priced).toBe(false);
  });
});

describe("price sheet validation", () => {
  it("fills defaults for an empty sheet", () => {
    expect(parsePriceSheet({})).toEqual({
      name: "price sheet",
      discountPercent: 0,
      rates: [],
      bedrockRates: [],
      regions: {},
    } satisfies PriceSheet);
  });

  it("reads amounts given as JSON numbers exactly, small ones included", () => {
    const sheet = parsePriceSheet({
      spotFactor: 0.3,
      sagemakerServerless: { usdPerGbSecond: 1e-7 },
      rates: [{ family: "g5", usdPerHour: 1.006 }],
    });
    expect(sheet.spotFactor).toBe("0.3");
    expect(sheet.sagemakerServerless?.usdPerGbSecond).toBe("0.0000001");
    expect(sheet.rates[0]?.usdPerHour).toBe("1.006");
  });

  it.each([
    [{ discountPercent: "15" }, "discountPercent:"],
    [{ discountPercent: 120 }, "discountPercent: must be <= 100"],
    [{ spotFactor: "1.5" }, "spotFactor: must be greater than 0 and at most 1"],
    [{ spotFactor: "0" }, "spotFactor: must be greater than 0 and at most 1"],
    [
      { rates: [{ instanceType: "p5.48xlarge", usdPerHour: "abc" }] },
      "rates.0.usdPerHour: must be a non-negative decimal",
    ],
    [{ rates: [{ instanceType: "p5.48xlarge", usdPerHour: "-1" }] }, "rates.0.usdPerHour:"],
    [
      { rates: [{ instanceType: "p5.48xlarge", family: "p5", usdPerHour: "1" }] },
      "rates.0: give exactly one of instanceType or family",
    ],
    [{ rates: [{ usdPerHour: "1" }] }, "rates.0: give exactly one of instanceType or family"],
    [{ rates: [{ instanceType: "x", service: "lambda", usdPerHour: "1" }] }, "rates.0.service:"],
    [
      { bedrockRates: [{ model: "m", commitment: "2-month", usdPerModelUnitHour: "1" }] },
      "bedrockRates.0.commitment:",
    ],
    [{ bedrockRates: [{ model: "m" }] }, "bedrockRates.0.usdPerModelUnitHour:"],
    [{ regions: { "ap-south-1": { multiplier: "1.1" } } }, "regions.ap-south-1.priceLike:"],
    [{ savingsPlan: { discountPercent: 10, services: [] } }, "savingsPlan.services:"],
    [{ effectiveDate: "1 Aug 2026" }, "effectiveDate: must be an ISO date"],
    [{ sagemakerServerless: { usdPerGbSecond: "cheap" } }, "sagemakerServerless.usdPerGbSecond:"],
    [{ discount: 10 }, "(root):"],
  ])("rejects %j naming %s", (sheet, expected) => {
    expect(() => parsePriceSheet(sheet, "sheet.json")).toThrow(`sheet.json: invalid price sheet: `);
    expect(() => parsePriceSheet(sheet, "sheet.json")).toThrow(expected);
  });

  it("loadPriceSheet names the file for unreadable, non-JSON and invalid sheets", () => {
    const bad = path.join(scratch, "bad.json");
    writeFileSync(bad, JSON.stringify({ spotFactor: "2" }));
    expect(() => loadPriceSheet(bad)).toThrow(`${bad}: invalid price sheet: spotFactor:`);
    const notJson = path.join(scratch, "not-json.json");
    writeFileSync(notJson, "discountPercent: 10");
    expect(() => loadPriceSheet(notJson)).toThrow(`cannot read price sheet ${notJson}`);
    expect(() => loadPriceSheet(path.join(scratch, "missing.json"))).toThrow("cannot read price sheet");
  });
});
