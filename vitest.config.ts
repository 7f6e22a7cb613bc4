import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Tests start real servers (Prism, the sandbox, Chromium): give them room on a 2-core machine.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    // One private PostgreSQL cluster for the run; test files take a database of their own (test/postgres.ts).
    globalSetup: ["./test/postgres-global-setup.ts"],
    reporters: ["default", "./test/plain-summary-reporter.ts"],
    typecheck: { enabled: true, include: ["test/**/*.test-d.ts"], tsconfig: "./tsconfig.json" },
  },
});
