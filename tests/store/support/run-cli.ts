export { type CliRun, runCliInProcess as runStoreCli } from "../../support/in-process-cli.js";
