// Bundles the policy pack (policypack/pack.ts, the core it imports and their npm dependencies)
// into policypack/dist/, so the pack directory runs on its own once `npm install` has fetched the
// SDK: `pulumi policy publish` uploads only that directory. The SDK stays external (the engine's
// run-policy-pack loads it from the pack's node_modules), and so does what the core requires
// lazily by name at run time.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const PACK = path.join(ROOT, "policypack");
const OUT = path.join(PACK, "dist");
const manifest = JSON.parse(readFileSync(path.join(PACK, "package.json"), "utf8"));

const external = [...Object.keys(manifest.dependencies ?? {}), "pg-native"];
// Bundled CommonJS packages require node's built-ins; an ES module has no `require` of its own.
const banner = {
  js: 'import { createRequire as __cgCreateRequire } from "node:module"; const require = __cgCreateRequire(import.meta.url);',
};

/**
 * Every rule's config schema (GetAnalyzerInfo), computed here from the very sources bundled below
 * rather than by zod at every start of the pack.
 */
async function configSchemas() {
  // Inside the repository, so that the bundle resolves its external packages from node_modules.
  const dir = mkdtempSync(path.join(PACK, ".schemas-"));
  try {
    const outfile = path.join(dir, "schemas.mjs");
    await build({
      absWorkingDir: ROOT,
      stdin: {
        contents: [
          'import { RULES } from "./src/policy/rules/index.js";',
          'import { toPolicyConfigSchema } from "./src/policy/config-schema.js";',
          "export default Object.fromEntries(RULES.map((r) => [r.name, toPolicyConfigSchema(r.config)]));",
        ].join("\n"),
        resolveDir: ROOT,
        loader: "ts",
      },
      outfile,
      bundle: true,
      format: "esm",
      platform: "node",
      target: "node20",
      external: [...external, "@grpc/grpc-js"],
      banner,
      logLevel: "warning",
    });
    return (await import(pathToFileURL(outfile).href)).default;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const schemas = await configSchemas();
/** Which of the zod trims below applied: a zod release that moves its files must not undo them unnoticed. */
const zodTrims = new Set();
rmSync(OUT, { recursive: true, force: true });
const { metafile } = await build({
  absWorkingDir: ROOT,
  entryPoints: ["policypack/pack.ts"],
  outfile: path.join(OUT, "pack.cjs"),
  bundle: true,
  // One CommonJS script, so that policypack/compile-cache.ts can compile it through V8's code cache
  // (an ES module has no such API in Node 20). `pg` and proper-lockfile stay wrapped until first
  // used; the sources' import.meta.url becomes the bundle's own file URL.
  format: "cjs",
  platform: "node",
  target: "node20",
  // The pack's declared dependencies; pg-native is pg's optional native binding (never used).
  external,
  define: { "import.meta.url": "__cgBundleUrl" },
  // Strict throughout, as the ES module bundle it replaced was (the sources are ES modules).
  banner: { js: '"use strict";\nvar __cgBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [
    {
      // zod's `z` namespace carries every translation of its error messages (half of the bundle
      // zod brings); the pack speaks English only and never switches `z.config` locales, so the
      // index of translations keeps English alone. Less to parse at every start.
      name: "zod-what-the-pack-uses",
      setup(b) {
        b.onLoad({ filter: /node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => {
          zodTrims.add("locales");
          return { contents: 'export { default as en } from "./en.js";', loader: "js" };
        });
        // z.fromJSONSchema builds its own copy of the whole `z` namespace as it loads, at every
        // start; the pack never reads JSON Schema into zod.
        b.onLoad({ filter: /node_modules[\\/]zod[\\/]v4[\\/]classic[\\/]from-json-schema\.js$/ }, () => {
          zodTrims.add("fromJSONSchema");
          return {
            contents:
              'export function fromJSONSchema() { throw new Error("z.fromJSONSchema is left out of the computeguard pack bundle"); }',
            loader: "js",
          };
        });
      },
    },
    {
      name: "prebuilt-schemas",
      setup(b) {
        b.onLoad({ filter: /policypack[\\/]prebuilt-schemas\.ts$/ }, () => ({
          contents: `export const PREBUILT_SCHEMAS = ${JSON.stringify(schemas)};`,
          loader: "js",
        }));
      },
    },
  ],
  // Smaller to read and parse; identifiers are kept so stack traces stay legible.
  minifySyntax: true,
  minifyWhitespace: true,
  logLevel: "warning",
  metafile: true,
});
for (const trim of ["locales", "fromJSONSchema"]) {
  if (!zodTrims.has(trim))
    throw new Error(
      `bundle-pack: zod's ${trim} were not found where the bundle trims them; update scripts/bundle-pack.mjs`,
    );
}
// The pack patches the SDK's gRPC server and deserializer: a copy of either bundled into the pack
// would be patched instead and nothing would notice (settings in the policy config were once
// ignored that way). They must be reached through the SDK (policypack/policy-sdk.ts).
const SDK_OWNED = /node_modules\/(@grpc\/grpc-js|google-protobuf|@pulumi\/)/;
const copies = Object.keys(metafile.inputs).filter((input) => SDK_OWNED.test(input));
if (copies.length > 0) {
  throw new Error(
    `bundle-pack: the pack bundles its own copy of what the SDK owns (${copies[0]}); import it through policypack/policy-sdk.ts`,
  );
}
// What the pack directory's index.cjs loads the bundle with (node's built-ins only).
await build({
  absWorkingDir: ROOT,
  entryPoints: ["policypack/compile-cache.ts"],
  outfile: path.join(OUT, "load.cjs"),
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  logLevel: "warning",
});
// The embedded catalog is read on first use from ./data next to the compiled catalog module.
mkdirSync(path.join(OUT, "data"), { recursive: true });
cpSync(path.join(ROOT, "src/catalog/data"), path.join(OUT, "data"), { recursive: true });
