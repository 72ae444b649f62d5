/**
 * Machine-readable report: the `TestReport` as JSON (decisions included for failing cases only, so
 * the output stays small). Stable key order.
 */
import type { TestReport } from "../report.js";

export function formatJson(report: TestReport): string {
  const suites = report.suites.map((s) => ({
    ...s,
    cases: s.cases.map(({ decision, ...c }) =>
      c.status === "failed" && decision !== undefined ? { ...c, decision } : c,
    ),
  }));
  const { formattedDiagnostics: _formatted, ...rest } = report;
  return `${JSON.stringify({ ...rest, suites }, null, 2)}\n`;
}
