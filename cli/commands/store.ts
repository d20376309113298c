import type { Command } from "commander";
import { reconcilePackConfig } from "../../src/policy/gate.js";
import type { BudgetLimits } from "../../src/policy/org-spend.js";
import { gpuOrgBudget, type OrgBudgetConfig } from "../../src/policy/rules/gpu-org-budget.js";
import { parseRuleConfig } from "../../src/policy/session.js";
import {
  ledgerJson,
  ledgerReport,
  ledgerTable,
  MigrationError,
  migrateStore,
  readLedger,
  StoreConnection,
  StoreFailure,
  StoreSettingError,
  storeSettings,
} from "../../src/store/index.js";
import { EvaluationError, UsageError } from "../errors.js";
import { readJsonFile } from "../files.js";
import type { Cli } from "../io.js";

interface LedgerListFlags {
  team?: string;
  organization?: string;
  policyConfig?: string;
  format: string;
}

/** `computeguard store migrate` and `computeguard ledger list`: the shared store's two CLI doors. */
export function registerStore(program: Command, cli: Cli): void {
  const store = program
    .command("store")
    .description("The shared PostgreSQL store (COMPUTEGUARD_STORE_URL): audit trail and spend ledger");

  store
    .command("migrate")
    .description(
      "Create or upgrade the store's schema and its computeguard_app role; re-running changes nothing",
    )
    .option("--grant-to <role>", "also make this login role (a CI runner's) a member of computeguard_app")
    .action(async (flags: { grantTo?: string }) => {
      const result = await withStore(cli, (conn) =>
        migrateStore(conn, flags.grantTo !== undefined ? { grantTo: flags.grantTo } : {}),
      );
      cli.out(
        result.applied.length > 0
          ? `applied ${result.applied.map((m) => `${String(m.version).padStart(3, "0")}-${m.name}`).join(", ")}; schema at version ${result.version}\n`
          : `schema up to date at version ${result.version}; nothing to do\n`,
      );
      if (result.granted) cli.out(`granted computeguard_app to ${result.granted}\n`);
    });

  program
    .command("ledger")
    .description("GPU spend per team across every stack, as the store's spend ledger holds it")
    .command("list")
    .description("Each stack's recorded (or claimed) monthly spend per team, and each budget's use")
    .option("--team <team>", "only this team")
    .option("--organization <org>", "only this organization")
    .option("--policy-config <file>", "policy config JSON whose gpu-org-budget limits to show use against")
    .option("--format <format>", "table | json", "table")
    .action(async (flags: LedgerListFlags) => {
      if (!["table", "json"].includes(flags.format)) {
        throw new UsageError(`--format must be table or json, got "${flags.format}"`);
      }
      const limits = budgetLimits(cli, flags.policyConfig);
      const entries = await withStore(cli, (conn) =>
        readLedger(conn, {
          ...(flags.team !== undefined ? { team: flags.team } : {}),
          ...(flags.organization !== undefined ? { organization: flags.organization } : {}),
        }),
      );
      const report = ledgerReport(entries, limits, flags.team !== undefined ? { team: flags.team } : {});
      if (flags.format === "json") cli.out(ledgerJson(report));
      else cli.outTable(ledgerTable(report));
    });
}

/** gpu-org-budget's limits and basis from a policy config file (none, worst case, without one). */
function budgetLimits(cli: Cli, file: string | undefined): BudgetLimits {
  if (file === undefined) return { teamLimitsUsd: {}, basis: "worst-case" };
  const raw = readJsonFile(file, "policy config", cli.io.cwd);
  try {
    const entry = reconcilePackConfig(raw).find((p) => p.rule === gpuOrgBudget)!;
    const config: OrgBudgetConfig = parseRuleConfig(gpuOrgBudget, entry.config);
    return config;
  } catch (error) {
    throw new UsageError(
      `policy config ${file}: ${(error as Error).message.replace(/^policy config: /, "")}`,
    );
  }
}

/**
 * Opens the store named by COMPUTEGUARD_STORE_URL, runs work, closes it. Each problem is one line
 * on stderr: a missing or bad setting or an unusable schema exit 2, an unreachable store exit 3.
 */
export async function withStore<T>(cli: Cli, work: (conn: StoreConnection) => Promise<T>): Promise<T> {
  let conn: StoreConnection;
  try {
    conn = new StoreConnection(storeSettings(cli.env));
  } catch (error) {
    if (error instanceof StoreSettingError) throw new UsageError(error.message);
    throw error;
  }
  try {
    return await work(conn);
  } catch (error) {
    // Unreachable, timed out or failing: could not evaluate (3). A schema to migrate is for the user to fix (2).
    if (error instanceof StoreFailure) throw new EvaluationError(error.message);
    if (error instanceof MigrationError) throw new UsageError(error.message);
    throw error;
  } finally {
    await conn.close();
  }
}
