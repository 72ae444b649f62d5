/**
 * The outcome of `paracle test`: suite results, totals, coverage and threshold, and the
 * diagnostics that prevented running (policy compile errors, invalid suites).
 */
import type { CoverageReport } from "./coverage.js";
import type { SuiteResult } from "./run.js";
import type { Diagnostic } from "./suite.js";

export interface Totals {
  cases: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
}

export interface ThresholdResult {
  /** Required rule coverage, percent. */
  required: number;
  actual: number;
  met: boolean;
}

export interface TestReport {
  /** True when every case passed, there is no error diagnostic, and the threshold (if any) is met. */
  ok: boolean;
  /** Where the bundle came from. */
  bundle: string;
  diagnostics: Diagnostic[];
  /** Each diagnostic formatted with its code frame, in the same order. */
  formattedDiagnostics: string[];
  suites: SuiteResult[];
  totals: Totals;
  coverage?: CoverageReport;
  threshold?: ThresholdResult;
  durationMs: number;
}

export function totalsOf(suites: SuiteResult[]): Totals {
  const t: Totals = { cases: 0, passed: 0, failed: 0, errors: 0, skipped: 0 };
  for (const s of suites)
    for (const c of s.cases) {
      t.cases++;
      if (c.status === "passed") t.passed++;
      else if (c.status === "failed") t.failed++;
      else if (c.status === "error") t.errors++;
      else t.skipped++;
    }
  return t;
}
