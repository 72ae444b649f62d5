import { distance } from "../validate/did-you-mean.js";
/**
 * Message catalogue of the policy test runner (Cedar's style: lowercase, no final period, user
 * input in backticks). Code never holds raw message text; it calls these builders.
 */
export const testMessages = {
  yamlSyntax: (detail: string) => ({ code: "test_yaml_syntax", message: detail }),
  notAMapping: (what: string) => ({
    code: "test_wrong_type",
    message: `${what} must be a mapping`,
  }),
  wrongType: (what: string, expected: string, actual: string) => ({
    code: "test_wrong_type",
    message: `${what} must be ${expected}, found ${actual}`,
  }),
  unknownField: (field: string, where: string) => ({
    code: "test_unknown_field",
    message: `unknown field \`${field}\` in ${where}`,
  }),
  missingField: (field: string, where: string) => ({
    code: "test_missing_field",
    message: `missing required field \`${field}\` in ${where}`,
  }),
  badApiVersion: (value: string) => ({
    code: "test_bad_api_version",
    message: `unsupported apiVersion \`${value}\``,
    help: "use `paracle.dev/v1`",
  }),
  badKind: (value: string) => ({
    code: "test_bad_kind",
    message: `a test file holds \`PolicyTest\` documents, found kind \`${value}\``,
  }),
  badTimestamp: (value: string) => ({
    code: "test_bad_timestamp",
    message: `\`${value}\` is not an ISO 8601 timestamp`,
    help: "write e.g. `2025-03-04T10:00:00Z`",
  }),
  badEnum: (what: string, value: string, allowed: readonly string[]) => ({
    code: "test_bad_value",
    message: `${what} must be one of ${allowed.map((a) => `\`${a}\``).join(", ")}, found \`${value}\``,
  }),
  badRange: (what: string) => ({
    code: "test_bad_value",
    message: `${what}: \`min\` is greater than \`max\``,
  }),
  unknownFixture: (name: string, category: string) => ({
    code: "test_unknown_fixture",
    message: `unknown fixture \`${name}\` in \`fixtures.${category}\``,
  }),
  fixtureCycle: (name: string) => ({
    code: "test_fixture_cycle",
    message: `fixture \`${name}\` uses itself through \`$use\``,
  }),
  duplicateCase: (name: string) => ({
    code: "test_duplicate_case",
    message: `duplicate case name \`${name}\` in this suite`,
  }),
  duplicateSuite: (name: string) => ({
    code: "test_duplicate_suite",
    message: `duplicate suite name \`${name}\``,
  }),
  noCases: () => ({ code: "test_no_cases", message: "this suite has no cases" }),
  emptyExpect: () => ({
    code: "test_empty_expect",
    message: "`expect` asserts nothing",
    help: "add at least `decision`",
  }),
  missingAction: () => ({
    code: "test_missing_action",
    message: "the case input has no `action` (after applying fixtures)",
  }),
  missingAgent: () => ({
    code: "test_missing_agent",
    message: "the case input has no `agent` (after applying fixtures)",
  }),
} as const;

/** Usage errors of `paracle test` (exit code 2). */
export const usageMessages = {
  cannotRead: (path: string) => `cannot read \`${path}\``,
  badManifest: (path: string) => `\`${path}\` is not valid JSON`,
  hashMismatch: (path: string) => `\`${path}\` does not match the hash in its manifest`,
  badThreshold: (value: unknown) =>
    `coverage threshold must be between 0 and 100, got \`${value}\``,
  noSuites: (dir: string) => `no \`*_test.yaml\` suites found in \`${dir}\``,
  noCompiler: () => "no policy compiler available; pass `--bundle <dir>`",
  filterSelectsNothing: (filter: string) => `no case matches the filter \`${filter}\``,
} as const;

/** Closest candidate by edit distance, for "did you mean `X`?" help texts. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best === undefined ? undefined : `did you mean \`${best}\`?`;
}
