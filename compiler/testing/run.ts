/**
 * Runs loaded suites against a bundle. Each case gets a deep copy of its input (a bundle must not
 * be able to leak state between cases through a mutated input) and a pinned clock.
 */
import type { Decision, DecisionInput } from "../../runtime/decision/types.js";
import { checkExpectation, type Mismatch } from "./expect.js";
import { caseFilter } from "./filter.js";
import type { Span, TestSuite } from "./suite.js";
import type { TestBundle } from "./test-bundle.js";

export type CaseStatus = "passed" | "failed" | "skipped" | "error";

/** The outcome of one case. */
export interface CaseResult {
  suite: string;
  name: string;
  span: Span;
  status: CaseStatus;
  mismatches: Mismatch[];
  /** Set when `decide` threw (status `error`). */
  error?: string;
  durationMs: number;
  decision?: Decision;
}

export interface SuiteResult {
  name: string;
  file: string;
  cases: CaseResult[];
  durationMs: number;
}

/** One evaluated case input and its decision (the raw material of coverage). */
export interface Execution {
  input: DecisionInput;
  decision: Decision;
}

export interface RunOptions {
  filter?: string;
  /** Wall clock (ms) used for cases without any `now`/`time`; default Date.now. */
  now?: () => number;
  /** Monotonic timer (ms) for durations; default performance.now. */
  timer?: () => number;
}

export interface RunResult {
  suites: SuiteResult[];
  executions: Execution[];
}

/** Runs every selected case; never throws for a failing case or a throwing bundle. */
export function runSuites(
  suites: TestSuite[],
  bundle: TestBundle,
  options: RunOptions = {},
): RunResult {
  const selected = caseFilter(options.filter);
  const now = options.now ?? Date.now;
  const timer = options.timer ?? (() => performance.now());
  const results: SuiteResult[] = [];
  const executions: Execution[] = [];
  for (const suite of suites) {
    const suiteStart = timer();
    const cases: CaseResult[] = [];
    for (const c of suite.cases) {
      if (!selected(suite.name, c.name)) continue;
      const base = { suite: suite.name, name: c.name, span: c.span, mismatches: [] as Mismatch[] };
      if (c.skip) {
        cases.push({ ...base, status: "skipped", durationMs: 0 });
        continue;
      }
      const input = structuredClone(c.input);
      if (typeof input.time !== "string") input.time = new Date(now()).toISOString();
      const start = timer();
      try {
        const decision = bundle.decide(structuredClone(input));
        const durationMs = timer() - start;
        executions.push({ input, decision });
        const mismatches = checkExpectation(c.expect, decision);
        cases.push({
          ...base,
          mismatches,
          status: mismatches.length === 0 ? "passed" : "failed",
          durationMs,
          decision,
        });
      } catch (err) {
        cases.push({
          ...base,
          status: "error",
          error: err instanceof Error ? err.message : String(err),
          durationMs: timer() - start,
        });
      }
    }
    if (cases.length > 0)
      results.push({ name: suite.name, file: suite.file, cases, durationMs: timer() - suiteStart });
  }
  return { suites: results, executions };
}
