/**
 * `paracle test` as a function: discover suites, obtain the bundle (compiled in memory or loaded
 * from `--bundle`), run the cases, account coverage, check the threshold. Returns a report; the
 * CLI only formats it and picks the exit code.
 */
import { readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { formatDiagnostic } from "../../grammar/index.js";
import { branchAnalyzer } from "./branch-coverage.js";
import { importBundleDir, importBundleSource, UsageError } from "./bundle-source.js";
import { type BranchAnalyzer, computeCoverage } from "./coverage.js";
import { discoverSuiteFiles } from "./discover.js";
import { loadSuiteFile } from "./load-suite.js";
import { testMessages, usageMessages } from "./messages.js";
import type { TestReport } from "./report.js";
import { totalsOf } from "./report.js";
import { runSuites } from "./run.js";
import type { Diagnostic, TestSuite } from "./suite.js";
import type { RuleInfo, TestBundle } from "./test-bundle.js";

/** Compiles a policy directory in memory for testing. */
export type PolicyCompiler = (
  dir: string,
  options: { coverage: boolean },
) => Promise<{ diagnostics: Diagnostic[]; formatted: string[]; bundleSource?: string }>;

export interface PolicyTestOptions {
  /** Directory holding the policies and their `*_test.yaml` suites (or one suite file). */
  dir: string;
  /** Test this compiled bundle directory instead of compiling `dir`. */
  bundleDir?: string;
  filter?: string;
  coverage?: boolean;
  /** Minimum rule coverage in percent; implies `coverage`. */
  coverageThreshold?: number;
  /** Compiles `dir` in memory (required unless `bundleDir` is given). */
  compile?: PolicyCompiler;
  /** Computes branch coverage of a rule (default: the grammar interpreter, branch-coverage.ts). */
  branches?: BranchAnalyzer;
  now?: () => number;
  timer?: () => number;
}

/** Runs a policy test directory. Throws `UsageError` for usage/IO problems (exit code 2). */
export async function runPolicyTests(options: PolicyTestOptions): Promise<TestReport> {
  const timer = options.timer ?? (() => performance.now());
  const start = timer();
  if (
    options.coverageThreshold !== undefined &&
    !(options.coverageThreshold >= 0 && options.coverageThreshold <= 100)
  )
    throw new UsageError(usageMessages.badThreshold(options.coverageThreshold));
  let files: string[];
  try {
    files = await discoverSuiteFiles(options.dir);
  } catch {
    throw new UsageError(usageMessages.cannotRead(options.dir));
  }
  if (files.length === 0) throw new UsageError(usageMessages.noSuites(options.dir));

  const diagnostics: Diagnostic[] = [];
  const formattedDiagnostics: string[] = [];
  const suites: TestSuite[] = [];
  const seenSuites = new Set<string>();
  for (const file of files) {
    const text = await readFile(file, "utf8");
    const loaded = loadSuiteFile(file, text);
    for (const d of loaded.diagnostics) {
      diagnostics.push(d);
      formattedDiagnostics.push(formatDiagnostic(d, text));
    }
    for (const s of loaded.suites) {
      if (seenSuites.has(s.name)) {
        const d: Diagnostic = {
          ...testMessages.duplicateSuite(s.name),
          severity: "error",
          span: s.span,
        };
        diagnostics.push(d);
        formattedDiagnostics.push(formatDiagnostic(d, text));
        continue;
      }
      seenSuites.add(s.name);
      suites.push(s);
    }
  }

  const wantCoverage = options.coverage === true || options.coverageThreshold !== undefined;
  let bundle: TestBundle | undefined;
  if (options.bundleDir !== undefined) bundle = await importBundleDir(options.bundleDir);
  else {
    if (!options.compile) throw new UsageError(usageMessages.noCompiler());
    // A single suite file tests the policies of its directory.
    const policyDir = (await stat(options.dir)).isDirectory() ? options.dir : dirname(options.dir);
    const compiled = await options.compile(policyDir, { coverage: wantCoverage });
    diagnostics.push(...compiled.diagnostics);
    formattedDiagnostics.push(...compiled.formatted);
    if (
      compiled.bundleSource !== undefined &&
      !compiled.diagnostics.some((d) => d.severity === "error")
    )
      bundle = await importBundleSource(
        compiled.bundleSource,
        `compiled in memory from ${options.dir}`,
      );
  }

  if (bundle) bundle = { ...bundle, rules: await rootRules(bundle.rules, options.dir) };
  const run = bundle
    ? runSuites(suites, bundle, {
        ...(options.filter !== undefined ? { filter: options.filter } : {}),
        ...(options.now ? { now: options.now } : {}),
        ...(options.timer ? { timer: options.timer } : {}),
      })
    : { suites: [], executions: [] };
  if (options.filter !== undefined && suites.length > 0 && run.suites.length === 0 && bundle)
    throw new UsageError(usageMessages.filterSelectsNothing(options.filter));
  const totals = totalsOf(run.suites);
  const report: TestReport = {
    ok: false,
    bundle: bundle?.origin ?? options.bundleDir ?? options.dir,
    diagnostics,
    formattedDiagnostics,
    suites: run.suites,
    totals,
    durationMs: 0,
  };
  if (wantCoverage && bundle)
    report.coverage = computeCoverage(
      bundle.rules,
      run.executions,
      options.branches ?? branchAnalyzer(bundle),
    );
  if (options.coverageThreshold !== undefined) {
    const actual = report.coverage?.rules.percent ?? 0;
    report.threshold = {
      required: options.coverageThreshold,
      actual,
      met: actual >= options.coverageThreshold,
    };
  }
  report.ok =
    bundle !== undefined &&
    !diagnostics.some((d) => d.severity === "error") &&
    totals.failed === 0 &&
    totals.errors === 0 &&
    (report.threshold?.met ?? true);
  report.durationMs = timer() - start;
  return report;
}

/**
 * Rule sources are relative to the compiled directory; re-root them at `dir` (or the directory of a
 * single suite file) so coverage names the same paths as the suites and the compiler diagnostics.
 */
async function rootRules(
  rules: Record<string, RuleInfo>,
  dir: string,
): Promise<Record<string, RuleInfo>> {
  const base = (await stat(dir)).isDirectory() ? dir : dirname(dir);
  const out: Record<string, RuleInfo> = {};
  for (const [id, rule] of Object.entries(rules))
    Object.defineProperty(out, id, {
      value: { ...rule, file: join(base, rule.file) },
      enumerable: true,
    });
  return out;
}

export { UsageError };
