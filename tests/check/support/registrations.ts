// Runs one program the way `computeguard check` does (dist/, the mock runtime as a preview) and
// prints what it registered as JSON: `node --import tsx registrations.ts <program dir> [stack]`.
import { OutputGuard } from "../../../dist/cli/check/output-guard.js";
import { StatusLine } from "../../../dist/cli/check/progress.js";
import { loadPulumiProgram } from "../../../dist/cli/check/pulumi-project.js";
import { runProgram } from "../../../dist/cli/check/run-program.js";

const [programDir, stack] = process.argv.slice(2);
const program = loadPulumiProgram({ programDir, ...(stack ? { stack } : {}) });
const run = await runProgram(program, {
  fallbackRegion: "us-east-1",
  guard: new OutputGuard(new StatusLine(process.stderr, false)),
  timeoutMs: 120_000,
});
process.stdout.write(JSON.stringify({ resources: run.resources, unexpanded: run.unexpanded }));
