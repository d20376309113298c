import { pathToFileURL } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import type { PriceSheet } from "../../src/pricing/price-sheet.js";
import { EvaluationError } from "../errors.js";
import { installMockRuntime, type MockRuntime, type RegisteredResource } from "./mock-runtime.js";
import type { OutputGuard } from "./output-guard.js";
import { pendingRegistrations } from "./pending.js";
import { describeProgramError } from "./program-error.js";
import { type PulumiProgram, shownPath } from "./pulumi-project.js";

export interface ProgramRun {
  resources: RegisteredResource[];
  placeholderDataSources: string[];
  /** Remote components registered as they are (not expanded), in registration order. */
  unexpanded: MockRuntime["unexpanded"];
}

export interface RunOptions {
  fallbackRegion: string;
  priceSheet?: PriceSheet;
  /** Keeps the program's stdout off ours and shows progress; see OutputGuard. */
  guard: OutputGuard;
  /** How long the program may run before the check gives up on it. */
  timeoutMs: number;
  onRegister?: (resource: RegisteredResource) => void;
  /** Environment variables set while the program runs (and restored after). */
  programEnv?: Record<string, string>;
}

/**
 * What the language host does with the loaded module: a default export (alone) is the program, and
 * a function is called; the result (or the named exports) are the stack outputs.
 */
async function runModule(mod: Record<string, unknown>): Promise<unknown> {
  if (Object.getOwnPropertyDescriptor(mod, "default") === undefined) return mod;
  const main = mod.default;
  return typeof main === "function" ? await (main as () => unknown)() : main;
}

const SHOWN_PENDING = 10;

/** "2 registrations never finished: a (aws:...), b (aws:...)", or "" when none are pending. */
function pendingText(verb: string): string {
  const pending = pendingRegistrations();
  if (pending.length === 0) return "";
  const shown = pending.slice(0, SHOWN_PENDING).join(", ");
  const more = pending.length > SHOWN_PENDING ? `, and ${pending.length - SHOWN_PENDING} more` : "";
  return `; ${pending.length} registration${pending.length === 1 ? "" : "s"} ${verb}: ${shown}${more}`;
}

/**
 * Runs a Pulumi TypeScript or JavaScript program in this process under the SDK's mock runtime, as a
 * preview: no engine, no cloud, no credentials. TypeScript is transpiled in memory by tsx. The
 * program runs in its project directory, as `pulumi preview` runs it. A program that throws, logs
 * an error or leaves a rejection, that stalls (waits on something that never settles) or that runs
 * past the timeout cannot be evaluated: one line naming the registrations still pending, exit 3.
 */
export async function runProgram(program: PulumiProgram, options: RunOptions): Promise<ProgramRun> {
  const runtime = installMockRuntime({
    project: program.project,
    stack: program.stack,
    config: program.config,
    secretKeys: program.secretKeys,
    fallbackRegion: options.fallbackRegion,
    ...(options.priceSheet ? { priceSheet: options.priceSheet } : {}),
    ...(options.onRegister ? { onRegister: options.onRegister } : {}),
  });
  const shown = shownPath(program.entry);
  type Interruption = "failed" | "stalled" | "timed out";
  let interrupt!: (why: Interruption) => void;
  const interrupted = new Promise<Interruption>((resolve) => {
    interrupt = resolve;
  });
  let failure: unknown;
  const onFailure = (error: unknown) => {
    failure ??= error;
    interrupt("failed");
  };
  // Nothing left to run while the program has not finished: it waits on a promise that never settles.
  const onDrained = () => interrupt("stalled");
  process.on("uncaughtException", onFailure);
  process.on("unhandledRejection", onFailure);
  process.on("beforeExit", onDrained);
  const timer = setTimeout(() => interrupt("timed out"), options.timeoutMs);
  timer.unref();
  const cwd = process.cwd();
  const savedEnv = Object.entries(options.programEnv ?? {}).map(([key]) => [key, process.env[key]] as const);
  Object.assign(process.env, options.programEnv);
  options.guard.start();
  let outcome: Interruption | "finished";
  try {
    process.chdir(program.projectDir);
    const finished = (async () => {
      const { tsImport } = await import("tsx/esm/api");
      await pulumi.runtime.runInPulumiStack(async () =>
        runModule(await tsImport(pathToFileURL(program.entry).href, import.meta.url)),
      );
      await pulumi.runtime.disconnect();
      // Rejections nobody awaited surface on the next turn of the event loop.
      await new Promise((resolve) => setImmediate(resolve));
      return "finished" as const;
    })();
    outcome = await Promise.race([finished, interrupted]);
  } catch (error) {
    onFailure(error);
    outcome = "failed";
  } finally {
    clearTimeout(timer);
    process.off("beforeExit", onDrained);
    process.chdir(cwd);
    for (const [key, value] of savedEnv) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
    options.guard.stop();
    // After a failure the SDK's own promise chains keep rejecting with the same error; the listeners
    // stay so those echoes end quietly instead of crashing the process with a stack trace.
    if (failure === undefined) {
      process.off("uncaughtException", onFailure);
      process.off("unhandledRejection", onFailure);
    }
  }
  if (failure !== undefined) {
    // A lookup answered with its own arguments is the usual reason an offline run fails.
    const echoed = [...runtime.placeholderDataSources].sort();
    const lookups = echoed.length > 0 ? `; answered offline without a real lookup: ${echoed.join(", ")}` : "";
    throw new EvaluationError(
      `program ${shown} failed: ${describeProgramError(failure)}${pendingText("never finished")}${lookups}`,
    );
  }
  if (outcome === "stalled")
    throw new EvaluationError(
      `program ${shown} stalled: it waits on something that never settles${pendingText("never finished")}`,
    );
  if (outcome === "timed out")
    throw new EvaluationError(
      `program ${shown} did not finish within ${options.timeoutMs / 1000} s (--timeout)${pendingText("still pending")}`,
    );
  if (pulumi.log.hasErrors()) throw new EvaluationError(`program ${shown} logged errors (shown above)`);
  return {
    resources: runtime.resources,
    placeholderDataSources: [...runtime.placeholderDataSources].sort(),
    unexpanded: runtime.unexpanded,
  };
}
