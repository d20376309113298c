import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Engine-style suites spawn real policy-pack processes; a loaded 2-core CI box needs headroom.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // One private PostgreSQL 15 server for the store suites (skipped, saying why, without the binaries).
    globalSetup: ["tests/store/global-setup.ts"],
  },
});
