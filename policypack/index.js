// The engine `require`s this directory (Node >= 20.19 loads ES modules through require). The
// pack, the core and their dependencies are bundled into ./dist by `npm run build`, so this
// directory runs on its own once `npm install` has fetched @pulumi/policy.
export { pack } from "./dist/pack.js";
