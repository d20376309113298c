import { Command, CommanderError } from "commander";
import { EvaluationError, EXIT, UsageError } from "./errors.js";

type Register = (program: Command) => void;

/** Each command's module in help order, loaded only when needed: a command pays for its own imports. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  estimate: async () => (await import("./commands/estimate.js")).registerEstimate,
  audit: async () => (await import("./commands/audit.js")).registerAudit,
  prices: async () => (await import("./commands/prices.js")).registerPrices,
  check: async () => (await import("./commands/check.js")).registerCheck,
  store: async () => (await import("./commands/store.js")).registerStore,
};

const program = new Command()
  .name("computeguard")
  .description("Deploy-time cost gate for GPU and AI inference resources on Pulumi")
  .exitOverride()
  .configureOutput({ writeErr: (s) => process.stderr.write(s) });

try {
  // `computeguard estimate ...` needs only estimate; help, typos and the rest see every command.
  const named = process.argv[2];
  const needed = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
  for (const name of needed) (await COMMANDS[name]!())(program);
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version are successful exits; parse errors were already printed by commander.
    process.exitCode = error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
  } else if (error instanceof UsageError) {
    process.stderr.write(`computeguard: ${error.message}\n`);
    process.exitCode = EXIT.badInput;
  } else if (error instanceof EvaluationError) {
    process.stderr.write(`computeguard: ${error.message}\n`);
    // A stalled program may still hold timers or sockets open: end now rather than wait on them.
    process.exit(EXIT.couldNotEvaluate);
  } else {
    process.stderr.write(`computeguard: internal error: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 70;
  }
}
