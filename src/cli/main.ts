import { Command, CommanderError } from "commander";
import { registerAudit } from "./commands/audit.js";
import { registerEstimate } from "./commands/estimate.js";
import { registerPrices } from "./commands/prices.js";
import { EXIT, UsageError } from "./errors.js";

const program = new Command()
  .name("computeguard")
  .description("Deploy-time cost gate for GPU and AI inference resources on Pulumi")
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

registerEstimate(program);
registerAudit(program);
registerPrices(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are successful exits; parse errors were already printed by commander.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  } else if (error instanceof UsageError) {
    process.stderr.write(`computeguard: ${error.message}\n`);
    process.exitCode = EXIT.badInput;
  } else {
    process.stderr.write(`computeguard: internal error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 70;
  }
}
