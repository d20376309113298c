import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

/** The UMD builds chart.js ships, minified first: the report inlines one so it needs no network. */
const BUILDS = ["chart.umd.min.js", "chart.umd.js"];

export interface ChartLibrary {
  version: string;
  code: string;
}

/**
 * Reads chart.js from node_modules at render time. The package's main entry sits in its dist/
 * folder, next to the UMD builds (its `exports` map does not expose them by path).
 */
export function loadChartLibrary(): ChartLibrary {
  const require = createRequire(import.meta.url);
  let main: string;
  try {
    main = require.resolve("chart.js");
  } catch {
    throw new Error(
      "--format html needs the chart.js package (npm install chart.js): the report inlines its UMD build",
    );
  }
  const dist = path.dirname(main);
  const file = BUILDS.map((b) => path.join(dist, b)).find((f) => existsSync(f));
  if (!file) throw new Error(`--format html: no ${BUILDS.join(" or ")} in ${dist}`);
  // A source-map comment would point devtools at a file next to the original, not in the report.
  const code = readFileSync(file, "utf8").replace(/\n\/\/# sourceMappingURL=\S*\s*$/, "\n");
  const version = /Chart\.js v(\d+\.\d+\.\d+)/.exec(code)?.[1] ?? "unknown";
  return { version, code };
}
