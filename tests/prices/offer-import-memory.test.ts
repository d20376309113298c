/**
 * The importer must stream: a generated EC2-shaped offer file, mostly non-GPU products with
 * on-demand and reserved terms, is imported by the real CLI in a child process whose peak RSS
 * (VmHWM) is read at exit. The ~50 MB file always runs; the ~300 MB one (about 10 s of writing
 * and parsing, 300 MB of temp disk) needs COMPUTEGUARD_LARGE_TESTS=1 to keep this suite quick
 * on a shared 2-core machine.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, runCli } from "../support/cli.js";
import { FIXTURES } from "./support/fixtures.js";
import { LARGE_OFFER_GPU_ROWS, writeLargeOffer } from "./support/offer-writer.js";

const MB = 1_000_000;
let dir: string;
let probe: string;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "computeguard-large-offer-"));
  probe = join(dir, "peak-rss-probe.mjs");
  // Reads the high-water mark of resident memory as the process exits.
  writeFileSync(
    probe,
    `import { readFileSync, writeFileSync } from "node:fs";
process.on("exit", () => {
  let kb = process.resourceUsage().maxRSS;
  try { kb = Number(/VmHWM:\\s+(\\d+) kB/.exec(readFileSync("/proc/self/status", "utf8"))[1]); } catch {}
  writeFileSync(process.env.PEAK_RSS_OUT, String(kb));
});
`,
  );
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function importWithPeakRss(targetBytes: number) {
  const offer = join(dir, `offer-${targetBytes}.json`);
  const out = join(dir, `catalog-${targetBytes}.json`);
  const rssFile = join(dir, `rss-${targetBytes}.txt`);
  const { bytes, skus } = await writeLargeOffer(offer, targetBytes);
  const result = await runCli(
    [
      "prices",
      "import",
      "--offer-file",
      offer,
      "--specs-catalog",
      join(FIXTURES, "specs-catalog.json"),
      "--out",
      out,
    ],
    { nodeArgs: ["--import", probe], env: { PEAK_RSS_OUT: rssFile } },
  );
  const peakRssBytes = Number(readFileSync(rssFile, "utf8")) * 1024;
  rmSync(offer);
  return { result, bytes, skus, peakRssBytes, catalog: JSON.parse(readFileSync(out, "utf8")) };
}

function expectOnlyTheGpuRows(catalog: { entries: { instanceType: string; usdPerHour: string | null }[] }) {
  const expected = LARGE_OFFER_GPU_ROWS.map(([type, usd]) => [
    type,
    usd.replace(/0+$/, "").replace(/\.$/, ""),
  ]);
  const actual = catalog.entries.map((e) => [e.instanceType, e.usdPerHour]);
  expect(actual.sort()).toEqual(expected.sort());
}

describe("prices import of a large offer file", () => {
  it("streams a ~50 MB file in bounded memory", async () => {
    const run = await importWithPeakRss(50 * MB);
    expect(run.result.code, run.result.stderr).toBe(0);
    expect(run.bytes).toBeGreaterThan(45 * MB);
    expectOnlyTheGpuRows(run.catalog);
    console.log(
      `offer file ${(run.bytes / MB).toFixed(1)} MB, ${run.skus} SKUs: peak RSS of the import ${(run.peakRssBytes / MB).toFixed(1)} MB`,
    );
    // Node itself needs ~45 MB; holding the file's text alone would add its full size.
    expect(run.peakRssBytes).toBeLessThan(120 * MB);
  }, 120_000);

  it.runIf(process.env.COMPUTEGUARD_LARGE_TESTS === "1")(
    "streams a ~300 MB file with peak RSS well below the file size",
    async () => {
      const run = await importWithPeakRss(300 * MB);
      expect(run.result.code, run.result.stderr).toBe(0);
      expect(run.bytes).toBeGreaterThan(280 * MB);
      expectOnlyTheGpuRows(run.catalog);
      console.log(
        `offer file ${(run.bytes / MB).toFixed(1)} MB, ${run.skus} SKUs: peak RSS of the import ${(run.peakRssBytes / MB).toFixed(1)} MB`,
      );
      expect(run.peakRssBytes).toBeLessThan(200 * MB);
    },
    600_000,
  );
});
