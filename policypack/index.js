// The engine `require`s this directory (Node >= 20.19 loads ES modules through require);
// the pack itself is compiled TypeScript (npm run build).
export { pack } from "../dist/policypack/pack.js";
