/**
 * The shipped policy pack (`policies/`) passes its own suites, compiled in memory by the real
 * compiler, with at least 90% rule coverage (ISSUE 3 acceptance: `paracle test policies`).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileForTests, formatPretty, runPolicyTests } from "../compiler/testing/index.js";

const root = join(import.meta.dirname, "..");

describe.each(["policies", "examples/customer-support/policies", "examples/coding-agent/policies"])(
  "policy pack %s",
  (dir) => {
    it("passes its suites with rule coverage >= 90%", async () => {
      const report = await runPolicyTests({
        dir: join(root, dir),
        compile: compileForTests,
        coverageThreshold: 90,
      });
      const text = formatPretty(report, { color: false });
      expect(
        report.diagnostics.filter((d) => d.severity === "error"),
        text,
      ).toEqual([]);
      expect(report.totals.failed + report.totals.errors, text).toBe(0);
      expect(report.totals.passed).toBeGreaterThanOrEqual(10);
      expect(report.coverage!.rules.percent, text).toBeGreaterThanOrEqual(90);
      expect(report.ok, text).toBe(true);
    });
  },
);
