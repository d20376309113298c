import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadChartLibrary } from "../../src/report/html/chart-library.js";
import { renderHtmlReport } from "../../src/report/html/render.js";
import { MIXED, PLANS, ROOT, SCALE } from "./support/cli.js";
import { previewReport, readFixture } from "./support/pipeline.js";

/** Debian's `chromium` package; CI installs it (see the report). CHROMIUM_PATH overrides. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const available = existsSync(CHROMIUM);
if (!available) {
  console.warn(
    `SKIPPED tests/reports/browser.test.ts: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`,
  );
}

const ARTIFACTS = path.join(ROOT, "tests/.artifacts");
const REPORT = path.join(ARTIFACTS, "report.html");
const SCREENSHOT = path.join(ARTIFACTS, "report.png");
/** The first screen of a blocked report with unpriced resources (docs/report-screenshot.png is a copy). */
const MIXED_REPORT = path.join(ARTIFACTS, "report-mixed.html");
const FIRST_SCREEN = path.join(ARTIFACTS, "report-1280x800.png");

/** The flags a CI box needs: no sandbox (root in a container), no GPU, and nothing phoning home. */
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

describe.skipIf(!available)("the HTML report in headless Chromium", () => {
  let profile: string;
  let context: BrowserContext;
  const problems: string[] = [];
  const requests: string[] = [];

  beforeAll(async () => {
    // The CLI's html output is checked in cli.test.ts; here the same renderer runs in process.
    const report = previewReport(readFixture(SCALE), {
      label: SCALE,
      policyConfig: readFixture(`${PLANS}/budgets.json`),
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(REPORT, renderHtmlReport(report, loadChartLibrary()));
    const mixed = previewReport(readFixture(MIXED), {
      label: MIXED,
      policyConfig: readFixture(`${PLANS}/budgets-fleet.json`),
    });
    writeFileSync(MIXED_REPORT, renderHtmlReport(mixed, loadChartLibrary()));
    profile = mkdtempSync(path.join(tmpdir(), "computeguard-chromium-"));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      viewport: { width: 1280, height: 900 },
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  it("draws both charts from the file alone, with no console error, and takes a screenshot", async () => {
    const page = await context.newPage();
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") problems.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("request", (r) => requests.push(r.url()));

    await page.goto(pathToFileURL(REPORT).href);
    await page.waitForFunction(
      () => (window as { __chartsReady?: boolean }).__chartsReady === true || "__chartsError" in window,
      undefined,
      { timeout: 20_000 },
    );
    const state = await page.evaluate(() => ({
      ready: (window as { __chartsReady?: boolean }).__chartsReady,
      error: (window as { __chartsError?: string }).__chartsError ?? null,
      attribute: document.documentElement.getAttribute("data-charts-ready"),
      headline: document.getElementById("headline")?.textContent,
      canvases: [...document.querySelectorAll("canvas")].map((canvas) => {
        const pixels = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
        let painted = 0;
        for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) painted++;
        return { id: canvas.id, width: canvas.width, painted, dataUrl: canvas.toDataURL().length };
      }),
    }));
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    expect(state).toMatchObject({ ready: true, error: null, attribute: "true" });
    expect(state.headline).toBe("+$19,968.42/mo GPU spend (worst case), 1 blocked, 3 warnings");
    expect(state.canvases.map((c) => c.id)).toEqual(["cost-by-resource", "projection"]);
    for (const c of state.canvases) {
      expect(c.width, c.id).toBeGreaterThan(300);
      // Bars and lines cover thousands of pixels; an empty canvas has none.
      expect(c.painted, c.id).toBeGreaterThan(5_000);
      expect(c.dataUrl, c.id).toBeGreaterThan(10_000);
    }
    expect(problems).toEqual([]);
    expect(requests).toEqual([pathToFileURL(REPORT).href]);
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(20_000);
  }, 60_000);
  it("leads with the verdict: the banner is visible without scrolling at 1280x800, above any figure", async () => {
    const page = await context.newPage();
    await page.setViewportSize({ width: 1280, height: 800 });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(pathToFileURL(MIXED_REPORT).href);
    await page.waitForFunction(
      () => (window as { __chartsReady?: boolean }).__chartsReady === true,
      undefined,
      {
        timeout: 20_000,
      },
    );
    const banner = page.locator("#verdict");
    await expect(banner.isVisible()).resolves.toBe(true);
    const box = (await banner.boundingBox())!;
    const scroll = await page.evaluate(() => window.scrollY);
    expect(scroll).toBe(0);
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(800);
    expect(box.width).toBeGreaterThan(600);
    expect(await banner.textContent()).toMatch(
      /^\s*BLOCKED\s+5 blocked, 1 warning, 2 not priced · fails --fail-on blocked\s*$/,
    );
    // Red, and above the headline figure and the totals.
    const style = await banner.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(style).toBe("rgb(254, 226, 226)");
    const headline = (await page.locator("#headline").boundingBox())!;
    expect(box.y + box.height).toBeLessThanOrEqual(headline.y);

    const drawn = await page.evaluate(() => {
      type ChartLike = {
        canvas: HTMLCanvasElement;
        data: { labels: unknown[]; datasets: Array<{ label: string }> };
        getDatasetMeta(i: number): { data: Array<{ height: number }> };
      };
      const getChart = (window as unknown as { Chart: { getChart(id: string): ChartLike } }).Chart.getChart;
      const bars = getChart("cost-by-resource");
      const index = bars.data.labels.findIndex((l) => Array.isArray(l) && l[0] === "pending-box");
      const notPriced = bars.data.datasets.findIndex((d) => d.label === "After, not priced");
      // What the dashed budget lines painted: a pixel on each, near its left end.
      const lines = (
        window as unknown as { __budgetLines: Array<{ chart: string; y: number; left: number }> }
      ).__budgetLines;
      const pixels = lines.map((l) => {
        const canvas = document.getElementById(l.chart) as HTMLCanvasElement;
        const ratio = canvas.width / canvas.clientWidth;
        const [r, g, b] = canvas
          .getContext("2d")!
          .getImageData(Math.round((l.left + 3) * ratio), Math.round(l.y * ratio), 1, 1).data;
        return { chart: l.chart, r, g, b };
      });
      return {
        label: bars.data.labels[index],
        notPricedHeight: bars.getDatasetMeta(notPriced).data[index]!.height,
        pixels,
      };
    });
    // The unpriced resource has a visible (hatched) bar and says why, under its name.
    expect(drawn.label).toEqual(["pending-box", "BLOCKED"]);
    expect(drawn.notPricedHeight).toBeGreaterThan(100);
    expect(drawn.pixels.map((p) => p.chart).sort()).toEqual(["cost-by-resource", "projection"]);
    for (const p of drawn.pixels) {
      expect(p.r, p.chart).toBeGreaterThan(140);
      expect(p.g, p.chart).toBeLessThan(90);
      expect(p.b, p.chart).toBeLessThan(90);
    }
    await page.screenshot({ path: FIRST_SCREEN });
    expect(statSync(FIRST_SCREEN).size).toBeGreaterThan(20_000);
    expect(errors).toEqual([]);
  }, 60_000);
});
