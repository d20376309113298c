// Empties dist/ before a build, so a file whose source was deleted or renamed cannot linger there
// and ship in the npm package (`files` takes whatever dist/ holds). tsc rebuilds everything anyway.
import { rmSync } from "node:fs";

rmSync("dist", { recursive: true, force: true });
