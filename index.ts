// The entry `pulumi package add` analyses: Pulumi's component analyzer maps package.json's main
// (dist/components/index.js) to a TypeScript file beside it, which does not exist, and then looks
// for index.ts here. The npm package's entry stays dist/components/index.js.
export * from "./components/index.js";
