export {
  type CliResult,
  ensureBuilt,
  expectUsageError,
  ROOT,
  runAll,
  runCli,
} from "../../support/cli.js";

export const PLANS = "tests/fixtures/plans";
export const SCALE = `${PLANS}/scale-endpoint-delete-dev.json`;
export const MIXED = `${PLANS}/mixed-changes.json`;
export const EXPORT_OLD = `${PLANS}/stack-export-old.json`;
export const EXPORT_NEW = `${PLANS}/stack-export-new.json`;
