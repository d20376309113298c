/** One way to drive policypack/ like the engine in every conformance suite: build, launch, close. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll } from "vitest";
import {
  type Diagnostic,
  type EngineClient,
  type LaunchOptions,
  launchPolicyPack,
  type ProviderInput,
} from "../../harness/engine.js";
import { ensureBuilt } from "../support/built.js";

export const ROOT = path.resolve(__dirname, "../..");
export const PACK = path.join(ROOT, "policypack");

export const provider: ProviderInput = {
  type: "pulumi:providers:aws",
  name: "default_7_48_0",
  properties: { region: "us-east-1" },
};

export const by = (ds: Diagnostic[], policy: string) => ds.filter((d) => d.policyName === policy);
export const mandatory = (ds: Diagnostic[]) => ds.filter((d) => d.enforcementLevel === "mandatory");

export interface PackSession {
  /** Launches a pack that writes its audit trail to a fresh file (closed after each test). */
  launch(opts?: LaunchOptions): ReturnType<typeof launchPolicyPack>;
  /** The audit log of the pack launched last. */
  auditLog(): string;
  /** Closes the pack launched last before the test ends (to launch another). */
  close(): Promise<void>;
}

/** Registers the suite's hooks: the pack runs its bundle (built when stale), and every pack is closed. */
export function packSession(): PackSession {
  let client: EngineClient | undefined;
  let auditLog = "";
  beforeAll(() => ensureBuilt(), 180_000);
  const close = async () => {
    await client?.close();
    client = undefined;
  };
  afterEach(close);
  return {
    async launch(opts: LaunchOptions = {}) {
      auditLog = path.join(mkdtempSync(path.join(tmpdir(), "cg-audit-")), "audit.jsonl");
      const env = { COMPUTEGUARD_AUDIT_LOG: auditLog, ...opts.env };
      const launched = await launchPolicyPack(PACK, { stack: "prod", project: "ml", ...opts, env });
      client = launched.client;
      return launched;
    },
    auditLog: () => auditLog,
    close,
  };
}
