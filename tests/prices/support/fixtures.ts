import { join } from "node:path";
import { ROOT } from "../../support/built.js";

export const FIXTURES = join(ROOT, "tests/fixtures/prices");
