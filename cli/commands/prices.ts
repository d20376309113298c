import type { Command } from "commander";
import { embeddedCatalog, loadCatalogFile, type PriceCatalog } from "../../src/catalog/catalog.js";
import { type CatalogDiff, diffCatalogs } from "../../src/catalog/diff.js";
import { serializeCatalog, writeCatalogFile } from "../../src/catalog/import/catalog-writer.js";
import { importOffer, importOfferFile } from "../../src/catalog/import/import-offer.js";
import type { OfferCatalog } from "../../src/catalog/import/offer-catalog.js";
import { DEFAULT_PRICE_LIST_ENDPOINT, openRegionOffer } from "../../src/catalog/import/offer-download.js";
import { OfferImportError, OfferNetworkError } from "../../src/catalog/import/offer-error.js";
import { OFFER_SERVICES, type OfferService } from "../../src/catalog/import/offer-product.js";
import { formatAmount, formatRate, formatUsd, money } from "../../src/money.js";
import { Pricer, serviceOf } from "../../src/pricing/pricer.js";
import { EvaluationError, UsageError } from "../errors.js";
import type { Cli } from "../io.js";
import { commandSettings, type PricingFlags } from "../options.js";
import { warnAboutSettings } from "../warnings.js";

interface ListFlags extends PricingFlags {
  type?: string;
  format: string;
}

interface ImportFlags {
  offerFile?: string;
  service?: string;
  region?: string;
  specsCatalog?: string;
  out?: string;
}

interface RefreshFlags {
  region?: string;
  service: string;
  endpoint: string;
  timeout: string;
  specsCatalog?: string;
  out?: string;
}

/** `prices` lists the catalog (as `prices list`); `import`, `refresh` and `diff` maintain it. */
export function registerPrices(program: Command, cli: Cli): void {
  const prices = program
    .command("prices")
    .description(
      "Show the GPU price catalog (default: list), import or refresh it from the AWS Price List, diff two",
    );
  registerList(prices, cli);
  registerImport(prices, cli);
  registerRefresh(prices, cli);
  registerDiff(prices, cli);
}

function registerList(prices: Command, cli: Cli): void {
  prices
    .command("list", { isDefault: true })
    .description(
      "List the embedded price catalog (EC2 and SageMaker per type and region, Bedrock per model and term), with a price sheet applied when given",
    )
    .option("--region <region>", "only this region")
    .option("--type <instanceType>", "only this instance type (or a prefix such as p5 or ml.g5)")
    .option("--price-sheet <file>", "apply this price sheet")
    .option(
      "--catalog <file>",
      "a catalog written by `prices import` or `prices refresh`, over the embedded one",
    )
    .option("--format <format>", "table | json", "table")
    .action((flags: ListFlags) => {
      if (!["table", "json"].includes(flags.format)) {
        throw new UsageError(`--format must be table or json, got "${flags.format}"`);
      }
      // --region filters the listing here; it is not the default region.
      const settings = commandSettings(cli, { ...flags, region: undefined });
      warnAboutSettings(cli, settings);
      const priceSheet = settings.priceSheet;
      const catalog = settings.catalog ?? embeddedCatalog();
      const pricer = new Pricer(catalog, priceSheet);
      const rows = catalog.entries
        .filter((e) => !flags.region || e.region === flags.region)
        .filter(
          (e) =>
            !flags.type ||
            e.instanceType === flags.type ||
            e.instanceType.startsWith(`${flags.type}.`) ||
            e.family === flags.type,
        )
        .map((e) => {
          const quote = pricer.hourly({
            instanceType: e.instanceType,
            region: e.region,
            service: serviceOf(e.instanceType),
            purchase: "on-demand",
            applySavingsPlan: false,
          });
          return {
            instanceType: e.instanceType,
            region: e.region,
            usdPerHour: quote.priced ? quote.usdPerHour.toFixed() : null,
            catalogUsdPerHour: e.usdPerHour,
            monthlyUsd730h: quote.priced ? formatAmount(quote.usdPerHour.times(730)) : null,
            unpricedReason: quote.priced ? null : quote.reason,
            adjustments: quote.priced ? quote.adjustments : [],
            accelerator: e.accelerator,
            vcpu: e.vcpu,
            memoryGiB: e.memoryGiB,
            priceAsOf: e.priceAsOf,
            source: catalog.sources[e.sourceId]?.reference ?? e.sourceId,
          };
        });
      const bedrock = catalog.bedrockRates
        .filter((r) => !flags.region || r.region === flags.region)
        .filter((r) => !flags.type || r.modelId.startsWith(flags.type))
        .map((r) => {
          const quote = pricer.bedrockModelUnit(r.modelId, r.commitment, r.region);
          return {
            modelId: r.modelId,
            model: r.model,
            commitment: r.commitment,
            region: r.region,
            usdPerModelUnitHour: quote.priced ? quote.usdPerHour.toFixed() : null,
            catalogUsdPerModelUnitHour: r.usdPerModelUnitHour,
            unpricedReason: quote.priced ? null : (r.unpricedReason ?? quote.reason),
            priceAsOf: r.priceAsOf,
            source: catalog.sources[r.sourceId]?.reference ?? r.sourceId,
          };
        });
      if (rows.length + bedrock.length === 0) throw new UsageError("no catalog entries match the filters");
      if (flags.format === "json") {
        const json = {
          catalogVersion: catalog.version,
          currency: "USD",
          entries: rows,
          bedrockRates: bedrock,
        };
        cli.out(`${JSON.stringify(json, null, 2)}\n`);
        return;
      }
      const tables: string[] = [];
      if (rows.length > 0) {
        tables.push(
          renderTable(
            ["TYPE", "REGION", "PER HOUR", "PER MONTH (730 H)", "ACCELERATORS", "VCPU", "MEM GIB", "AS OF"],
            rows.map((r) => [
              r.instanceType,
              r.region,
              rate(r.usdPerHour),
              r.monthlyUsd730h === null ? "-" : formatUsd(money(r.monthlyUsd730h)),
              `${r.accelerator.count} x ${r.accelerator.model}`,
              String(r.vcpu),
              String(r.memoryGiB),
              r.priceAsOf,
            ]),
          ),
        );
      }
      if (bedrock.length > 0) {
        tables.push(
          `Bedrock provisioned throughput (per model unit per hour):\n${renderTable(
            ["MODEL ID", "TERM", "REGION", "PER MODEL UNIT HOUR", "AS OF"],
            bedrock.map((r) => [r.modelId, r.commitment, r.region, rate(r.usdPerModelUnitHour), r.priceAsOf]),
          )}`,
        );
      }
      cli.outTable(`${tables.join("\n\n")}\n\nCatalog ${catalog.version}. Sources:\n`);
      for (const [id, s] of Object.entries(catalog.sources)) cli.out(`  ${id}: ${s.reference} (${s.date})\n`);
    });
}

function registerImport(prices: Command, cli: Cli): void {
  prices
    .command("import")
    .description("Make a catalog from an AWS Price List bulk offer file (EC2 or SageMaker), read as a stream")
    .option("--offer-file <file>", "the offer file, e.g. AmazonEC2 .../current/us-east-1/index.json")
    .option("--service <service>", "AmazonEC2 | AmazonSageMaker (default: the file's offerCode)")
    .option("--region <region>", "keep only this region's products")
    .option(
      "--specs-catalog <file>",
      "take accelerator specs the offer lacks from this catalog (default: embedded)",
    )
    .option("--out <file>", "write the catalog to this file (atomically) instead of stdout")
    .action(async (flags: ImportFlags) => {
      if (!flags.offerFile) throw new UsageError("prices import needs --offer-file FILE");
      const service = flags.service === undefined ? undefined : parseService(flags.service);
      const specs = specsCatalog(cli, flags.specsCatalog);
      const offerFile = flags.offerFile;
      // A bulk offer file runs to hundreds of MB: a progress line on a terminal's stderr, nowhere else.
      const progress = cli.io.stderr.isTTY ? new ByteProgress(cli, `reading ${offerFile}`) : undefined;
      let result: OfferCatalog;
      try {
        result = await asUsageError(() =>
          importOfferFile(cli.path(offerFile), {
            service,
            region: flags.region,
            specs,
            ...(progress
              ? { onProgress: (read: number, total: number) => progress.update(read, total) }
              : {}),
          }),
        );
      } finally {
        progress?.finish();
      }
      emitCatalog(cli, result, flags.out);
    });
}

function registerRefresh(prices: Command, cli: Cli): void {
  prices
    .command("refresh")
    .description("Download a region's current offer file from the AWS Price List and make a catalog from it")
    .option("--region <region>", "the region to price, e.g. us-east-1")
    .option("--service <service>", "AmazonEC2 | AmazonSageMaker", "AmazonEC2")
    .option("--endpoint <url>", "Price List endpoint", DEFAULT_PRICE_LIST_ENDPOINT)
    .option("--timeout <seconds>", "give up when no data arrives for this long", "60")
    .option(
      "--specs-catalog <file>",
      "take accelerator specs the offer lacks from this catalog (default: embedded)",
    )
    .option("--out <file>", "write the catalog to this file (atomically) instead of stdout")
    .action(async (flags: RefreshFlags) => {
      if (!flags.region) throw new UsageError("prices refresh needs --region REGION");
      const region = flags.region;
      const service = parseService(flags.service);
      if (!/^https?:\/\/[^/]/.test(flags.endpoint)) {
        throw new UsageError(`--endpoint must be an http(s) URL, got "${flags.endpoint}"`);
      }
      const seconds = Number(flags.timeout);
      if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 3600) {
        throw new UsageError(`--timeout must be a number of seconds in (0, 3600], got "${flags.timeout}"`);
      }
      const specs = specsCatalog(cli, flags.specsCatalog);
      const progress = cli.io.stderr.isTTY
        ? new ByteProgress(cli, `downloading the ${region} offer file`)
        : undefined;
      let result: OfferCatalog;
      try {
        result = await asUsageError(async () => {
          const download = await openRegionOffer({
            endpoint: flags.endpoint,
            service,
            region,
            timeoutMs: seconds * 1000,
            onProgress: progress && ((received, total) => progress.update(received, total)),
          });
          return importOffer(download.body, { service, region, sourceName: download.url, specs });
        });
      } finally {
        progress?.finish();
      }
      emitCatalog(cli, result, flags.out);
    });
}

function registerDiff(prices: Command, cli: Cli): void {
  prices
    .command("diff")
    .description("Show prices changed, added and removed between two catalog files")
    .argument("<old>", "the older catalog JSON")
    .argument("<new>", "the newer catalog JSON")
    .option("--format <format>", "table | json", "table")
    .action((oldPath: string, newPath: string, flags: { format: string }) => {
      if (!["table", "json"].includes(flags.format)) {
        throw new UsageError(`--format must be table or json, got "${flags.format}"`);
      }
      const before = readCatalog(cli, oldPath);
      const after = readCatalog(cli, newPath);
      const diff = diffCatalogs(before, after);
      if (flags.format === "json") {
        const json = {
          old: { file: oldPath, catalogVersion: before.version },
          new: { file: newPath, catalogVersion: after.version },
          currency: "USD",
          ...diff,
        };
        cli.out(`${JSON.stringify(json, null, 2)}\n`);
        return;
      }
      cli.outTable(
        diffTable(diff, `${oldPath} (catalog ${before.version})`, `${newPath} (catalog ${after.version})`),
      );
    });
}

function diffTable(diff: CatalogDiff, oldName: string, newName: string): string {
  const price = rate;
  const rows = [
    ...diff.changed.map((c) => [
      "changed",
      c.instanceType,
      c.region,
      price(c.oldUsdPerHour),
      price(c.newUsdPerHour),
      c.changeUsdPerHour === null ? "-" : signedRate(c.changeUsdPerHour),
      c.changePercent === null ? "-" : `${signed(c.changePercent)} %`,
    ]),
    ...diff.added.map((a) => ["added", a.instanceType, a.region, "-", price(a.usdPerHour), "-", "-"]),
    ...diff.removed.map((r) => ["removed", r.instanceType, r.region, price(r.usdPerHour), "-", "-", "-"]),
  ];
  const summary =
    `${diff.changed.length} changed, ${diff.added.length} added, ${diff.removed.length} removed, ` +
    `${diff.unchangedCount} unchanged.`;
  const header = `Prices per hour from ${oldName} to ${newName}\n\n`;
  if (rows.length === 0) return `${header}${summary}\n`;
  const table = renderTable(["CHANGE", "TYPE", "REGION", "OLD", "NEW", "DELTA", "DELTA %"], rows);
  return `${header}${table}\n\n${summary}\n`;
}

function signed(value: string): string {
  return value.startsWith("-") || /^0(\.0*)?$/.test(value) ? value : `+${value}`;
}

/** An hourly rate as every table shows money ("$21.957642/h", the project's rate format), or UNPRICED. */
function rate(usdPerHour: string | null): string {
  return usdPerHour === null ? "UNPRICED" : formatRate(money(usdPerHour));
}

/** "+$1.50/h", "-$43.28/h". */
function signedRate(usdPerHour: string): string {
  const r = formatRate(money(usdPerHour).abs());
  return usdPerHour.startsWith("-") ? `-${r}` : /^0(\.0*)?$/.test(usdPerHour) ? r : `+${r}`;
}

function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

function parseService(value: string): OfferService {
  if ((OFFER_SERVICES as readonly string[]).includes(value)) return value as OfferService;
  throw new UsageError(`--service must be ${OFFER_SERVICES.join(" or ")}, got "${value}"`);
}

function readCatalog(cli: Cli, path: string): PriceCatalog {
  try {
    return loadCatalogFile(cli.path(path));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

function specsCatalog(cli: Cli, path: string | undefined): PriceCatalog {
  return path === undefined ? embeddedCatalog() : readCatalog(cli, path);
}

/** An offer's problems are the input's (exit 2); the Price List out of reach could not be evaluated (exit 3). */
async function asUsageError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof OfferNetworkError) throw new EvaluationError(error.message);
    if (error instanceof OfferImportError) throw new UsageError(error.message);
    throw error;
  }
}

function emitCatalog(cli: Cli, { catalog, warnings }: OfferCatalog, out: string | undefined): void {
  for (const warning of warnings) cli.err(`computeguard: warning: ${warning}\n`);
  const priced = catalog.entries.filter((e) => e.usdPerHour !== null).length;
  const counts = `${catalog.entries.length} entries (${priced} priced, ${catalog.entries.length - priced} unpriced)`;
  if (out === undefined) {
    cli.out(serializeCatalog(catalog));
    return;
  }
  try {
    writeCatalogFile(cli.path(out), catalog);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason =
      code === "ENOENT"
        ? "no such directory"
        : code === "EACCES"
          ? "permission denied"
          : (error as Error).message;
    throw new UsageError(`cannot write catalog ${out}: ${reason}`);
  }
  cli.err(`computeguard: wrote ${counts}, catalog ${catalog.catalogVersion}, to ${out}\n`);
}

/** One self-overwriting stderr line ("reading x.json: 120.0 of 300.0 MB (40 %)"), only used when stderr is a terminal. */
class ByteProgress {
  private lastDraw = 0;
  private drawn = false;

  constructor(
    private readonly cli: Cli,
    private readonly what: string,
  ) {}

  update(received: number, total: number | undefined): void {
    const now = Date.now();
    if (now - this.lastDraw < 200) return;
    this.lastDraw = now;
    const mb = (bytes: number) => (bytes / 1_000_000).toFixed(1);
    const of = total === undefined ? "" : ` of ${mb(total)} MB (${Math.floor((received / total) * 100)} %)`;
    this.cli.err(`\r${this.what}: ${mb(received)} MB${of}`);
    this.drawn = true;
  }

  finish(): void {
    if (this.drawn) this.cli.err("\n");
    this.drawn = false;
  }
}
