import type { Command } from "commander";
import { embeddedCatalog } from "../../catalog/catalog.js";
import { formatAmount } from "../../money.js";
import { Pricer, serviceOf } from "../../pricing/pricer.js";
import { UsageError } from "../errors.js";
import { estimatorOptions, type PricingFlags } from "../options.js";

interface PricesFlags extends PricingFlags {
  type?: string;
  format: string;
}

export function registerPrices(program: Command): void {
  program
    .command("prices")
    .description("List the embedded price catalog, with a price sheet applied when given")
    .option("--region <region>", "only this region")
    .option("--type <instanceType>", "only this instance type (or a prefix such as p5 or ml.g5)")
    .option("--price-sheet <file>", "apply this price sheet")
    .option("--format <format>", "table | json", "table")
    .action((flags: PricesFlags) => {
      if (!["table", "json"].includes(flags.format)) {
        throw new UsageError(`--format must be table or json, got "${flags.format}"`);
      }
      const { priceSheet } = estimatorOptions({ ...flags, region: undefined });
      const catalog = embeddedCatalog();
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
      if (rows.length === 0) throw new UsageError("no catalog entries match the filters");
      if (flags.format === "json") {
        process.stdout.write(
          `${JSON.stringify({ catalogVersion: catalog.version, currency: "USD", entries: rows }, null, 2)}\n`,
        );
        return;
      }
      const header = ["TYPE", "REGION", "USD/H", "USD/MO (730H)", "ACCELERATORS", "VCPU", "MEM GIB", "AS OF"];
      const table = rows.map((r) => [
        r.instanceType,
        r.region,
        r.usdPerHour ?? "UNPRICED",
        r.monthlyUsd730h ?? "-",
        `${r.accelerator.count} x ${r.accelerator.model}`,
        String(r.vcpu),
        String(r.memoryGiB),
        r.priceAsOf,
      ]);
      const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i]!.length)));
      const line = (cells: string[]) =>
        cells
          .map((c, i) => c.padEnd(widths[i]!))
          .join("  ")
          .trimEnd();
      process.stdout.write(
        `${[line(header), ...table.map(line)].join("\n")}\n\nCatalog ${catalog.version}. Sources:\n`,
      );
      for (const [id, s] of Object.entries(catalog.sources))
        process.stdout.write(`  ${id}: ${s.reference} (${s.date})\n`);
    });
}
