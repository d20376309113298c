// The engine `require`s this directory. The pack, the core and their dependencies are bundled into
// ./dist by `npm run build`, so this directory runs on its own once `npm install` has fetched
// @pulumi/policy; ./dist/load.cjs (policypack/compile-cache.ts) loads the bundle through V8's code
// cache, kept in ./dist/.compile-cache (COMPUTEGUARD_COMPILE_CACHE=off loads it without).
module.exports = require("./dist/load.cjs").loadPack(__dirname).exports;
