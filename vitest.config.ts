import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: [
      "{grammar,compiler,runtime,proxy,cli,policies,examples}/**/*.test.ts",
      "test/**/*.test.ts",
    ],
    exclude: ["**/node_modules/**", "dist/**", "bench/**"],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    globalSetup: ["test/setup/tmpdir.ts"],
  },
});
