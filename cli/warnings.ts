import type { Settings } from "../src/settings/resolve.js";
import { settingsWarnings } from "../src/settings/warnings.js";
import type { Cli } from "./io.js";

/**
 * Refused environment overrides, and prices gone stale (AWS cut P4/P5 by up to 44 % in June 2025):
 * said once per command on stderr, never in the output.
 */
export function warnAboutSettings(cli: Cli, settings: Settings, now = new Date()): void {
  for (const warning of settingsWarnings(settings, now)) cli.err(`computeguard: warning: ${warning}\n`);
}
