/**
 * vitest globalSetup: one PostgreSQL server for every store suite in the run (each suite makes
 * its own database in it). Registered in vitest.config.ts as
 *   globalSetup: ["tests/store/global-setup.ts"],
 * Without that line each store suite starts a server of its own; without PostgreSQL binaries
 * the suites skip, saying why.
 */
import type { TestProject } from "vitest/node";
import { postgresSupport, startPostgres } from "./support/postgres.js";

declare module "vitest" {
  export interface ProvidedContext {
    computeguardPostgres: { port: number } | { skip: string };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const support = postgresSupport();
  if (!support.available) {
    project.provide("computeguardPostgres", { skip: support.reason });
    return async () => undefined;
  }
  const server = await startPostgres();
  project.provide("computeguardPostgres", { port: server.port });
  return () => server.stop();
}
