import { pathToFileURL } from "node:url";
import * as pulumi from "@pulumi/pulumi";
import type { PriceSheet } from "../../src/pricing/price-sheet.js";
import { UsageError } from "../errors.js";
import { installMockRuntime, type RegisteredResource } from "./mock-runtime.js";
import type { OutputGuard } from "./output-guard.js";
import { describeProgramError } from "./program-error.js";
import { type PulumiProgram, shownPath } from "./pulumi-project.js";

export interface ProgramRun {
  resources: RegisteredResource[];
  placeholderDataSources: string[];
}

export interface RunOptions {
  fallbackRegion: string;
  priceSheet?: PriceSheet;
  /** Keeps the program's stdout off ours and shows progress; see OutputGuard. */
  guard: OutputGuard;
  onRegister?: (resource: RegisteredResource) => void;
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

/**
 * Runs a Pulumi TypeScript or JavaScript program in this process under the SDK's mock runtime: no
 * engine, no cloud, no credentials. TypeScript is transpiled in memory by tsx. The program runs in
 * its project directory, as `pulumi up` runs it; anything it throws, logs as an error or leaves
 * rejected ends the check as bad input (one line).
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
  let failure: unknown;
  const onFailure = (error: unknown) => {
    failure ??= error;
  };
  process.on("uncaughtException", onFailure);
  process.on("unhandledRejection", onFailure);
  const cwd = process.cwd();
  options.guard.start();
  try {
    process.chdir(program.projectDir);
    const { tsImport } = await import("tsx/esm/api");
    await pulumi.runtime.runInPulumiStack(async () =>
      runModule(await tsImport(pathToFileURL(program.entry).href, import.meta.url)),
    );
    await pulumi.runtime.disconnect();
    // Rejections nobody awaited surface on the next turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
  } catch (error) {
    onFailure(error);
  } finally {
    process.chdir(cwd);
    options.guard.stop();
    // After a failure the SDK's own promise chains keep rejecting with the same error; the listeners
    // stay so those echoes end quietly instead of crashing the process with a stack trace.
    if (failure === undefined) {
      process.off("uncaughtException", onFailure);
      process.off("unhandledRejection", onFailure);
    }
  }
  if (failure !== undefined)
    throw new UsageError(`program ${shown} failed: ${describeProgramError(failure)}`);
  if (pulumi.log.hasErrors()) throw new UsageError(`program ${shown} logged errors (shown above)`);
  return { resources: runtime.resources, placeholderDataSources: [...runtime.placeholderDataSources].sort() };
}
