/**
 * The policy test runner (`paracle test`): YAML suites of decision inputs and expectations run
 * against a compiled bundle, with pretty/JSON/JUnit reports, coverage and watch mode.
 * See docs/testing-policies.md.
 */
export { importBundleDir, importBundleSource, UsageError } from "./bundle-source.js";
export { reportFormats, type TestCommandArgs, type TestCommandIo, testCommand } from "./command.js";
export { compileForTests } from "./compile-for-tests.js";
export type { BranchAnalyzer, CoverageReport, FileCoverage, Ratio } from "./coverage.js";
export { computeCoverage } from "./coverage.js";
export { checkExpectation, type Mismatch } from "./expect.js";
export { loadSuiteFile } from "./load-suite.js";
export { type PolicyCompiler, type PolicyTestOptions, runPolicyTests } from "./policy-tests.js";
export type { TestReport, Totals } from "./report.js";
export { formatJson } from "./reporters/json.js";
export { formatJunit } from "./reporters/junit.js";
export { formatPretty } from "./reporters/pretty.js";
export type { CaseResult, SuiteResult } from "./run.js";
export { runSuites } from "./run.js";
export type { Expectation, TestCase, TestSuite } from "./suite.js";
export type { RuleInfo, TestBundle } from "./test-bundle.js";
export { watchAndRerun } from "./watch.js";
