import type { Command } from "commander";
import { estimateStack } from "../../estimate/estimator.js";
import { parseStackExport } from "../../inputs/stack-export.js";
import { estimateJson } from "../../report/estimate-json.js";
import { estimateTable } from "../../report/estimate-table.js";
import { UsageError } from "../errors.js";
import { readJsonFile } from "../files.js";
import { estimatorOptions, type PricingFlags } from "../options.js";

interface EstimateFlags extends PricingFlags {
  stackExport?: string;
  format: string;
}

export function registerEstimate(program: Command): void {
  program
    .command("estimate")
    .description("Estimate the monthly cost of every GPU, accelerator and inference resource in a stack")
    .option("--stack-export <file>", "output of `pulumi stack export`")
    .option("--region <region>", "region for resources whose own and provider region are unknown")
    .option("--price-sheet <file>", "price sheet JSON (discounts, custom rates, Bedrock rates)")
    .option("--hours-per-month <hours>", "hours in a month (default 730)")
    .option("--format <format>", "table | json", "table")
    .action((flags: EstimateFlags) => {
      if (!flags.stackExport) throw new UsageError("estimate needs --stack-export FILE");
      if (!["table", "json"].includes(flags.format)) {
        throw new UsageError(`--format must be table or json, got "${flags.format}"`);
      }
      const options = estimatorOptions(flags);
      let inputs: ReturnType<typeof parseStackExport>;
      try {
        inputs = parseStackExport(readJsonFile(flags.stackExport, "stack export"), flags.stackExport);
      } catch (error) {
        throw error instanceof UsageError ? error : new UsageError((error as Error).message);
      }
      const stack = estimateStack(inputs, options);
      process.stdout.write(
        flags.format === "json"
          ? `${JSON.stringify(estimateJson(stack, { priceSheet: options.priceSheetName }), null, 2)}\n`
          : estimateTable(stack),
      );
    });
}
