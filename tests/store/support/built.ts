export { ensureBuilt as ensurePackBuilt, ROOT } from "../../support/built.js";
