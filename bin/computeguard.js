#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript under dist/ (built by `npm ci` via the prepare script).
import "../dist/cli/main.js";
