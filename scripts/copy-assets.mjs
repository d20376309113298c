// Copies the data files the compiled code loads at run time (tsc only emits code).
import { cpSync } from "node:fs";

cpSync("src/catalog/data", "dist/src/catalog/data", { recursive: true });
