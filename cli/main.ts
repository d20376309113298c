import { Command, CommanderError } from "commander";
import { EvaluationError, EXIT, UsageError } from "./errors.js";
import { Cli, type CliIo, streamWriter } from "./io.js";
import { packVersion } from "./version.js";

export type { CliIo, Writer } from "./io.js";

type Register = (program: Command, cli: Cli) => void;

/** Each command's module in help order, loaded only when needed: a command pays for its own imports. */
const COMMANDS: Record<string, () => Promise<Register>> = {
  estimate: async () => (await import("./commands/estimate.js")).registerEstimate,
  audit: async () => (await import("./commands/audit.js")).registerAudit,
  prices: async () => (await import("./commands/prices.js")).registerPrices,
  check: async () => (await import("./commands/check.js")).registerCheck,
  store: async () => (await import("./commands/store.js")).registerStore,
};

const EXIT_CODES_HELP = `
Exit codes:
  0  passed
  1  blocked (or a broken audit chain)
  2  bad input: a flag, file or setting is wrong (one line names it)
  3  could not evaluate: the store or network is unreachable, the program failed, stalled or timed out`;

/**
 * Runs `computeguard <argv>` (arguments after the program name) against io and returns the exit
 * code: 0 passed, 1 blocked, 2 bad input, 3 could not evaluate. Errors are one line on io.stderr.
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const cli = new Cli(io);
  const program = new Command()
    .name("computeguard")
    .description("Deploy-time cost gate for GPU and AI inference resources on Pulumi")
    .version(packVersion(), "-V, --version", "print computeguard's version")
    .addHelpText("after", EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({ writeOut: (s) => cli.out(s), writeErr: (s) => cli.err(s) });
  try {
    // `computeguard estimate ...` needs only estimate; help, typos and the rest see every command.
    const named = argv[0];
    const needed = named !== undefined && Object.hasOwn(COMMANDS, named) ? [named] : Object.keys(COMMANDS);
    for (const name of needed) (await COMMANDS[name]!())(program, cli);
    await program.parseAsync([...argv], { from: "user" });
    return cli.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are successful exits; parse errors were already printed by commander.
      return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (error instanceof UsageError) {
      cli.err(`computeguard: ${error.message}\n`);
      return EXIT.badInput;
    }
    if (error instanceof EvaluationError) {
      cli.err(`computeguard: ${error.message}\n`);
      return EXIT.couldNotEvaluate;
    }
    cli.err(`computeguard: internal error: ${(error as Error).stack ?? String(error)}\n`);
    return EXIT.couldNotEvaluate;
  }
}

/** The installed command (bin/computeguard.js): run against this process's streams, environment and directory. */
export async function main(): Promise<void> {
  const code = await run(process.argv.slice(2), {
    stdout: streamWriter(process.stdout),
    stderr: streamWriter(process.stderr),
    env: process.env,
    cwd: process.cwd(),
  });
  process.exitCode = code;
  // A stalled program may still hold timers or sockets open: end now rather than wait on them.
  if (code === EXIT.couldNotEvaluate) process.exit(code);
}
