// Moved to harness/engine.ts (shared by tests and benchmarks); this re-export keeps in-flight branches building.
export * from "../../harness/engine.js";
