/**
 * Every message the compiler prints, with its stable code. Code never holds raw message text
 * (TypeScript's diagnosticMessages.json habit); Cedar's style: lowercase, no final period, user
 * input in backticks, the longer explanation in `help`.
 */

export interface Message {
  code: string;
  message: string;
  help?: string;
}

const q = (s: unknown): string => `\`${String(s).replace(/[\r\n\u2028\u2029]/g, " ")}\``;
const didYouMean = (s: string | undefined): string | undefined =>
  s === undefined ? undefined : `did you mean ${q(s)}?`;

export const M = {
  // usage / IO (exit 2)
  policyDirMissing: (dir: string): Message => ({
    code: "policy-dir-missing",
    message: `policy directory ${q(dir)} does not exist or is not a directory`,
  }),
  noPolicyFiles: (dir: string): Message => ({
    code: "no-policy-files",
    message: `no policy files (*.yaml, *.yml) found in ${q(dir)}`,
  }),
  // load
  yamlSyntax: (detail: string): Message => ({ code: "yaml-syntax", message: detail }),
  notAMapping: (): Message => ({
    code: "wrong-type",
    message: "a policy document must be a mapping with `apiVersion` and `kind`",
  }),
  badApiVersion: (v: unknown): Message => ({
    code: "bad-api-version",
    message: `unsupported apiVersion ${q(v)}`,
    help: "use `apiVersion: paracle.dev/v1`",
  }),
  unknownKind: (kind: unknown, suggestion?: string): Message => ({
    code: "unknown-kind",
    message: `unknown kind ${q(kind)}`,
    help: didYouMean(suggestion) ?? "kinds are `PolicySet`, `ApprovalTemplate` and `RiskModel`",
  }),
  // validate
  unknownField: (field: string, where: string, suggestion?: string): Message => ({
    code: "unknown-field",
    message: `unknown field ${q(field)} in ${where}`,
    help: didYouMean(suggestion),
  }),
  wrongType: (where: string, expected: string, actual: string): Message => ({
    code: "wrong-type",
    message: `${where} must be ${expected}, found ${actual}`,
  }),
  missingField: (field: string, where: string): Message => ({
    code: "missing-field",
    message: `missing required field ${q(field)} in ${where}`,
  }),
  badEnum: (
    where: string,
    value: unknown,
    allowed: readonly unknown[],
    suggestion?: string,
  ): Message => ({
    code: "bad-value",
    message: `${where} must be one of ${allowed.map(q).join(", ")}, found ${q(value)}`,
    help: didYouMean(suggestion),
  }),
  outOfRange: (where: string, bound: string): Message => ({
    code: "bad-value",
    message: `${where} must be ${bound}`,
  }),
  emptyString: (where: string): Message => ({
    code: "bad-value",
    message: `${where} must not be empty`,
  }),
  badPattern: (where: string, value: unknown, what: string): Message => ({
    code: "bad-value",
    message: `${where} ${q(value)} is not ${what}`,
  }),
  badDuration: (value: unknown): Message => ({
    code: "bad-duration",
    message: `bad duration ${q(value)}`,
    help: "a duration is a whole number followed by `ms`, `s`, `m`, `h` or `d`, e.g. `30s`, `5m`, `1d`",
  }),
  badGlob: (value: unknown, why: string): Message => ({
    code: "bad-glob",
    message: `bad glob ${q(value)}: ${why}`,
    help: "names and globs use letters, digits, `_ . : / @ -` and the wildcards `*` (any characters) and `?` (one character)",
  }),
  badHours: (value: unknown): Message => ({
    code: "bad-value",
    message: `bad hours ${q(value)}`,
    help: 'write hours as `"HH:MM-HH:MM"` (24-hour clock; the end may be before the start to wrap past midnight)',
  }),
  badTimeZone: (value: unknown): Message => ({
    code: "bad-value",
    message: `unknown time zone ${q(value)}`,
    help: "use an IANA time zone name such as `Europe/Paris` or `UTC`",
  }),
  duplicateId: (id: string, firstAt: string): Message => ({
    code: "duplicate-id",
    message: `duplicate policy id ${q(id)}`,
    help: `first declared at ${firstAt}`,
  }),
  duplicateName: (kind: string, name: string, firstAt: string): Message => ({
    code: "duplicate-name",
    message: `duplicate ${kind} name ${q(name)}`,
    help: `first declared at ${firstAt}`,
  }),
  settingForOtherType: (key: string, type: string): Message => ({
    code: "unknown-field",
    message: `setting ${q(key)} does not apply to a policy of type ${q(type)}`,
    help: `\`${key}\` settings belong to policies of type \`${key === "approval" ? "require_approval" : key}\``,
  }),
  missingSettings: (key: string, type: string): Message => ({
    code: "missing-field",
    message: `a policy of type ${q(type)} needs its ${q(key)} settings`,
  }),
  scopeNeedsMatch: (scope: string, field: string): Message => ({
    code: "missing-field",
    message: `a policy with scope ${q(scope)} must list ${q(`match.${field}`)}`,
  }),
  unknownTemplate: (name: string, suggestion?: string): Message => ({
    code: "unknown-template",
    message: `unknown approval template ${q(name)}`,
    help: didYouMean(suggestion),
  }),
  multipleRiskModels: (firstAt: string): Message => ({
    code: "duplicate-name",
    message: "a bundle holds at most one `RiskModel`",
    help: `the first one is at ${firstAt}`,
  }),
  // inheritance
  unknownExtends: (ref: string, suggestion?: string): Message => ({
    code: "unknown-extends",
    message: `unknown policy set ${q(ref)} in \`extends\``,
    help:
      didYouMean(suggestion) ??
      "extend a set by its `metadata.name` or by a relative path such as `./common.yaml`",
  }),
  extendsCycle: (cycle: string[]): Message => ({
    code: "extends-cycle",
    message: `cycle in \`extends\`: ${cycle.map(q).join(" -> ")}`,
  }),
  ambiguousExtendsPath: (ref: string, count: number): Message => ({
    code: "unknown-extends",
    message: `${q(ref)} holds ${count} policy sets, so \`extends\` cannot tell which one is meant`,
    help: "extend it by `metadata.name` instead",
  }),
  weakenedDeny: (id: string, how: string, parentAt: string, parentSet: string): Message => ({
    code: "weakened-deny",
    message: `policy ${q(id)} weakens the \`deny\` it inherits from ${q(parentSet)} (${parentAt}): ${how}`,
    help: "a child set may add policies or strengthen an inherited deny, never weaken it",
  }),
  disableUnknown: (id: string): Message => ({
    code: "unknown-policy",
    message: `policy ${q(id)} disables or overrides nothing: no inherited policy has this id`,
    help: "an entry without `type` must disable an inherited policy (`enabled: false`)",
  }),
  conflictingDefinitions: (id: string, otherAt: string): Message => ({
    code: "duplicate-id",
    message: `policy id ${q(id)} has two different definitions in the bundle`,
    help: `the other one is at ${otherAt}`,
  }),
  conflictingDefaults: (a: string, b: string): Message => ({
    code: "conflicting-defaults",
    message: `top-level policy sets ${q(a)} and ${q(b)} declare different \`defaults\``,
    help: "compile them separately, or make one extend the other",
  }),
  // type check
  notBoolean: (type: string): Message => ({
    code: "condition-type",
    message: `a \`when\` condition must be a boolean, found ${type}`,
  }),
  notNumber: (type: string): Message => ({
    code: "condition-type",
    message: `a quota \`amount\` must be a number, found ${type}`,
  }),
  // analysis (warnings)
  shadowed: (id: string, by: string, at: string): Message => ({
    code: "shadowed-rule",
    message: `policy ${q(id)} can never change the decision: it is shadowed by ${q(by)}`,
    help: `${q(by)} (at ${at}) matches everything this policy matches, unconditionally, with a more restrictive or equal effect`,
  }),
  contradictoryBounds: (path: string): Message => ({
    code: "never-matches",
    message: `policy condition can never be true: the bounds on ${q(path)} contradict each other`,
  }),
  globMatchesNothing: (glob: string): Message => ({
    code: "never-matches",
    message: `action pattern ${q(glob)} matches no action of the declared catalogue`,
    help: "fix the name or add the action to `actions:`",
  }),
  allowDenySameMatch: (allow: string, deny: string, at: string): Message => ({
    code: "allow-deny-conflict",
    message: `policies ${q(allow)} (allow) and ${q(deny)} (deny) have the same match`,
    help: `the deny (at ${at}) wins whenever both conditions hold`,
  }),
  unusedConstant: (name: string): Message => ({
    code: "unused-constant",
    message: `constant ${q(name)} is never used`,
  }),
  tooManyErrors: (shown: number, total: number): Message => ({
    code: "too-many-errors",
    message: `${total - shown} more errors not shown (first ${shown} shown)`,
  }),
} as const;
