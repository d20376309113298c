// Runs one program the way `computeguard check` does (dist/, the mock runtime as a preview) and
// prints what it registered as JSON: `node --import tsx registrations.ts <program dir> [stack]`.
import type * as OutputGuardModule from "../../../cli/check/output-guard.js";
import type * as ProgressModule from "../../../cli/check/progress.js";
import type * as PulumiProjectModule from "../../../cli/check/pulumi-project.js";
import type * as RunProgramModule from "../../../cli/check/run-program.js";

// The built modules, typed by their sources (the build emits no declarations).
const built = (file: string): Promise<unknown> => import(`../../../dist/cli/check/${file}`);
const { OutputGuard } = (await built("output-guard.js")) as typeof OutputGuardModule;
const { StatusLine } = (await built("progress.js")) as typeof ProgressModule;
const { loadPulumiProgram } = (await built("pulumi-project.js")) as typeof PulumiProjectModule;
const { runProgram } = (await built("run-program.js")) as typeof RunProgramModule;

const [programDir, stack] = process.argv.slice(2);
const program = loadPulumiProgram({ programDir, ...(stack ? { stack } : {}) });
const run = await runProgram(program, {
  fallbackRegion: "us-east-1",
  guard: new OutputGuard(new StatusLine(process.stderr, false)),
  timeoutMs: 120_000,
});
process.stdout.write(JSON.stringify({ resources: run.resources, unexpanded: run.unexpanded }));
