import { spawn } from "node:child_process";
import path from "node:path";
import { ROOT } from "../../support/built.js";

/** A registration as check records it (see RegisteredResource in src/report/check-report.ts). */
export interface Registration {
  urn: string;
  type: string;
  name: string;
  parent?: string;
  props: Record<string, unknown>;
  propertyDependencies: Record<string, string[]>;
}

export interface Registrations {
  resources: Registration[];
  unexpanded: Array<{ urn: string; type: string; name: string; computeFree?: string }>;
}

/** What a program registers when check runs it (tests/check/support/registrations.ts). */
export function registrationsOf(programDir: string, stack?: string): Promise<Registrations> {
  return new Promise((resolve, reject) => {
    const script = path.join(ROOT, "tests/check/support/registrations.ts");
    const child = spawn(
      process.execPath,
      ["--import", "tsx", script, programDir, ...(stack ? [stack] : [])],
      {
        cwd: ROOT,
      },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => {
      if (status === 0) resolve(JSON.parse(stdout) as Registrations);
      else reject(new Error(`registrations of ${programDir} exited ${status}: ${stderr}`));
    });
  });
}

/** Runs each named job, a few at a time (each spawns a Node process loading the Pulumi SDK on a shared machine). */
export async function runEach<K extends string, T>(
  names: readonly K[],
  job: (name: K) => Promise<T>,
  concurrency = 4,
): Promise<Record<K, T>> {
  const results = {} as Record<K, T>;
  const queue = [...names];
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) results[name] = await job(name);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
