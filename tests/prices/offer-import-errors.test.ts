import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCatalogFile } from "../../src/catalog/catalog.js";
import { importOffer, importOfferFile } from "../../src/catalog/import/import-offer.js";
import { OfferImportError } from "../../src/catalog/import/offer-error.js";
import { ensureBuilt, expectUsageError, runCli } from "../support/cli.js";
import { FIXTURES } from "./support/fixtures.js";
import {
  awsJson,
  ec2Attributes,
  headerFields,
  offerText,
  onDemandTerm,
  product,
} from "./support/offer-writer.js";

const specs = loadCatalogFile(join(FIXTURES, "specs-catalog.json"));
const EC2_OFFER = join(FIXTURES, "ec2-us-east-1.offer.json");
const gpuRow = () => product("A", ec2Attributes("g5.xlarge", { gpu: "1", gpuMemory: "24 GB" }));

async function* once(text: string | Buffer) {
  yield typeof text === "string" ? Buffer.from(text) : text;
}

async function importError(
  text: string | Buffer,
  service?: "AmazonEC2" | "AmazonSageMaker",
): Promise<string> {
  try {
    await importOffer(once(text), { sourceName: "bad.json", specs, service });
  } catch (error) {
    expect(error).toBeInstanceOf(OfferImportError);
    return (error as Error).message;
  }
  throw new Error("expected the import to fail");
}

describe("prices import: a malformed offer file is named and explained", () => {
  it("a truncated file", async () => {
    const text = readFileSync(EC2_OFFER, "utf8");
    const message = await importError(text.slice(0, Math.floor(text.length * 0.6)));
    expect(message).toMatch(
      /^bad\.json: not valid JSON: unexpected end of input inside (a string|an object) at line \d+, column \d+$/,
    );
  });

  it("a syntax error, with its line and column", async () => {
    const text = offerText({ A: gpuRow() }, { A: onDemandTerm("A", "1.006") }).replace(
      '"operation" : "RunInstances",',
      '"operation" : "RunInstances",,',
    );
    const lines = text.split("\n");
    const line = lines.findIndex((l) => l.includes('RunInstances",,')) + 1;
    const column = lines[line - 1]!.indexOf(",,") + 2;
    expect(await importError(text)).toBe(
      `bad.json: not valid JSON: unexpected character "," (expected a key) at line ${line}, column ${column}`,
    );
  });

  it("terms before products", async () => {
    const text = awsJson({ ...headerFields(), terms: { OnDemand: {} }, products: {} });
    expect(await importError(text)).toBe(
      "bad.json: terms come before products; AWS offer files list products first, and one streaming pass needs that order",
    );
  });

  it("a price that is not a decimal", async () => {
    const text = offerText({ A: gpuRow() }, { A: onDemandTerm("A", "1,006") });
    expect(await importError(text)).toBe(
      'bad.json: terms.OnDemand.A.A.JRTCKXETXF.priceDimensions.A.JRTCKXETXF.6YS6EN2CT7.pricePerUnit.USD: expected a decimal string such as "55.0400000000", got "1,006"',
    );
  });

  it("an on-demand term without price dimensions", async () => {
    const text = offerText(
      { A: gpuRow() },
      { A: { "A.JRTCKXETXF": { offerTermCode: "JRTCKXETXF", sku: "A" } } },
    );
    expect(await importError(text)).toBe(
      "bad.json: terms.OnDemand.A.A.JRTCKXETXF.priceDimensions: missing or not an object",
    );
  });

  it("a products array, a product that is not an object, a missing formatVersion or terms", async () => {
    expect(await importError(awsJson({ ...headerFields(), products: [], terms: { OnDemand: {} } }))).toBe(
      "bad.json: products: expected an object, found an array",
    );
    expect(
      await importError(awsJson({ ...headerFields(), products: { A: "g5" }, terms: { OnDemand: {} } })),
    ).toBe("bad.json: products.A: expected an object");
    const { formatVersion: _, ...noFormat } = headerFields();
    expect(
      await importError(awsJson({ ...noFormat, products: { A: gpuRow() }, terms: { OnDemand: {} } })),
    ).toBe("bad.json: not an AWS Price List offer file: no formatVersion");
    expect(
      await importError(awsJson({ ...headerFields(), products: { A: gpuRow() }, terms: { Reserved: {} } })),
    ).toBe("bad.json: no terms.OnDemand map");
    expect(await importError("[1, 2]")).toBe(
      "bad.json: not an AWS Price List offer file: the top level is not an object",
    );
  });

  it("the wrong service, or one that cannot be imported", async () => {
    const text = offerText({ A: gpuRow() }, { A: onDemandTerm("A", "1.006") });
    expect(await importError(text, "AmazonSageMaker")).toBe(
      "bad.json: this is an AmazonEC2 offer file, not AmazonSageMaker (--service)",
    );
    const s3 = offerText({}, {}, { offerCode: "AmazonS3" });
    expect(await importError(s3)).toBe(
      "bad.json: offerCode is AmazonS3; only AmazonEC2 and AmazonSageMaker offer files can be imported",
    );
  });

  it("no GPU rows at all", async () => {
    const text = offerText({ A: product("A", ec2Attributes("m5.large")) }, { A: onDemandTerm("A", "0.096") });
    expect(await importError(text)).toBe(
      "bad.json: no GPU or accelerator instance types with a Linux on-demand or Capacity Block row in this AmazonEC2 offer file",
    );
  });

  it("bytes that are not UTF-8, and a file that does not exist", async () => {
    const text = Buffer.concat([
      Buffer.from('{"formatVersion" : "v1.0", "disclaimer" : "'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    expect(await importError(text)).toBe("bad.json: not valid UTF-8 text");
    await expect(importOfferFile("/nonexistent/index.json", { specs })).rejects.toThrow(
      "cannot read offer file /nonexistent/index.json: no such file",
    );
  });
});

describe("prices import on the command line", () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(join(tmpdir(), "computeguard-import-"));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("writes the catalog atomically to --out and reports it on stderr", async () => {
    const out = join(dir, "catalog.json");
    const result = await runCli([
      "prices",
      "import",
      "--offer-file",
      EC2_OFFER,
      "--specs-catalog",
      join(FIXTURES, "specs-catalog.json"),
      "--out",
      out,
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toBe(
      `computeguard: wrote 11 entries (9 priced, 2 unpriced), catalog 2026-07-20, to ${out}\n`,
    );
    expect(readFileSync(out, "utf8")).toBe(
      readFileSync(join(FIXTURES, "ec2-us-east-1.catalog.golden.json"), "utf8"),
    );
    expect(readdirSync(dir)).toEqual(["catalog.json"]); // no temp file left behind
  });

  it("fails in one line, exit 2, and leaves an existing --out file untouched", async () => {
    const out = join(dir, "keep.json");
    writeFileSync(out, "previous catalog\n");
    const bad = join(dir, "truncated.json");
    writeFileSync(bad, readFileSync(EC2_OFFER, "utf8").slice(0, 5000));
    const result = await runCli(["prices", "import", "--offer-file", bad, "--out", out]);
    expectUsageError(
      result,
      /^computeguard: truncated\.json: not valid JSON: unexpected end of input inside .+ at line \d+, column \d+$/,
    );
    expect(readFileSync(out, "utf8")).toBe("previous catalog\n");
    expect(readdirSync(dir).filter((f) => f.includes(".tmp"))).toEqual([]);
  });

  it("prints the catalog on stdout without --out", async () => {
    const result = await runCli([
      "prices",
      "import",
      "--offer-file",
      join(FIXTURES, "sagemaker-us-east-1.offer.json"),
      "--service",
      "AmazonSageMaker",
      "--specs-catalog",
      join(FIXTURES, "specs-catalog.json"),
    ]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      readFileSync(join(FIXTURES, "sagemaker-us-east-1.catalog.golden.json"), "utf8"),
    );
  });

  it.each([
    [["--offer-file", "missing"], /^computeguard: cannot read offer file .*missing\.json: no such file$/],
    [[], /^computeguard: prices import needs --offer-file FILE$/],
    [
      ["--offer-file", "missing", "--service", "AmazonS3"],
      /^computeguard: --service must be AmazonEC2 or AmazonSageMaker, got "AmazonS3"$/,
    ],
    [
      ["--offer-file", EC2_OFFER, "--specs-catalog", "missing"],
      /^computeguard: cannot read price catalog .*missing\.json: /,
    ],
    [
      ["--offer-file", EC2_OFFER, "--out", "/nonexistent-dir/catalog.json"],
      /^computeguard: cannot write catalog \/nonexistent-dir\/catalog\.json: no such directory$/,
    ],
  ])("refuses %j with a one-line usage error", async (args, message) => {
    const resolved = args.map((a) => (a === "missing" ? join(dir, "missing.json") : a));
    expectUsageError(await runCli(["prices", "import", ...resolved]), message);
  });
});
