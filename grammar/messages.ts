/**
 * The catalogue of every message of the condition language, with stable codes.
 * Style (Cedar): lowercase, no final period, user input in backticks. Code never holds raw
 * message text: it calls `message(code, ...args)`.
 * E00xx: syntax, E01xx: types and names, E02xx: literals and regexes, W0xxx: warnings.
 * Runtime errors (R0xxx) are raised by the PRELUDE and listed in `runtimeMessages` for the docs.
 */
export const messages = {
  E0001: { name: "unexpected-character", text: (c: string) => `unexpected character \`${c}\`` },
  E0002: { name: "unexpected-token", text: (t: string) => `unexpected ${t}` },
  E0003: {
    name: "missing-token",
    text: (expected: string, found: string) => `expected ${expected}, found ${found}`,
  },
  E0004: { name: "trailing-input", text: (t: string) => `unexpected ${t} after the expression` },
  E0005: { name: "unterminated-string", text: () => "unterminated string literal" },
  E0006: { name: "invalid-escape", text: (e: string) => `invalid escape sequence \`${e}\`` },
  E0007: { name: "empty-expression", text: () => "the condition is empty" },
  E0008: { name: "invalid-number", text: (n: string) => `invalid number \`${n}\`` },
  E0009: {
    name: "condition-too-long",
    text: (max: string) => `the condition is too long (more than ${max} tokens)`,
  },
  E0010: {
    name: "nesting-too-deep",
    text: (max: string) => `the condition is nested too deeply (more than ${max} levels)`,
  },
  E0101: { name: "unknown-identifier", text: (n: string) => `unknown identifier \`${n}\`` },
  E0102: {
    name: "unknown-field",
    text: (f: string, on: string) => `unknown field \`${f}\` on \`${on}\``,
  },
  E0103: {
    name: "forbidden-field",
    text: (f: string) => `field name \`${f}\` is not allowed`,
  },
  E0104: { name: "unknown-function", text: (n: string) => `unknown function \`${n}\`` },
  E0105: {
    name: "wrong-argument-count",
    text: (n: string, expected: string, got: number) => `\`${n}\` expects ${expected}, got ${got}`,
  },
  E0106: {
    name: "no-matching-overload",
    text: (n: string, got: string) => `no overload of \`${n}\` accepts (${got})`,
  },
  E0107: {
    name: "mismatched-comparison",
    text: (op: string, l: string, r: string) => `cannot compare ${l} with ${r} using \`${op}\``,
  },
  E0108: {
    name: "invalid-operands",
    text: (op: string, types: string) => `operator \`${op}\` cannot be applied to ${types}`,
  },
  E0109: {
    name: "not-a-bool",
    text: (what: string, t: string) => `${what} must be a bool, found ${t}`,
  },
  E0110: {
    name: "not-selectable",
    text: (f: string, t: string) => `cannot select field \`${f}\` from a value of type ${t}`,
  },
  E0111: {
    name: "not-indexable",
    text: (t: string, k: string) => `cannot index a value of type ${t} with ${k}`,
  },
  E0112: {
    name: "invalid-macro-variable",
    text: (m: string) => `the first argument of \`${m}\` must be a variable name`,
  },
  E0113: {
    name: "invalid-has-argument",
    text: () => '`has()` takes a field selection such as `a.b` or `a["b"]`',
  },
  E0114: {
    name: "not-iterable",
    text: (m: string, t: string) => `\`${m}\` needs a list or a map, found ${t}`,
  },
  E0115: {
    name: "map-key-not-string",
    text: (t: string) => `map keys must be strings, found ${t}`,
  },
  E0116: { name: "duplicate-map-key", text: (k: string) => `duplicate map key \`${k}\`` },
  E0117: {
    name: "unknown-method",
    text: (n: string, t: string) => `no method \`${n}\` on values of type ${t}`,
  },
  E0118: {
    name: "mismatched-branches",
    text: (a: string, b: string) => `the branches of \`?:\` have different types: ${a} and ${b}`,
  },
  E0119: {
    name: "mismatched-in",
    text: (l: string, r: string) => `cannot look for ${l} in ${r}`,
  },
  E0201: {
    name: "invalid-regex",
    text: (re: string, why: string) => `invalid regular expression \`${re}\`: ${why}`,
  },
  E0202: {
    name: "redos-regex",
    text: (re: string) => `regular expression \`${re}\` is prone to catastrophic backtracking`,
  },
  E0203: {
    name: "regex-not-literal",
    text: () => "the pattern of `matches` must be a string literal",
  },
  E0204: { name: "invalid-duration", text: (s: string) => `invalid duration \`${s}\`` },
  E0205: { name: "invalid-timestamp", text: (s: string) => `invalid timestamp \`${s}\`` },
  E0206: { name: "invalid-time-zone", text: (s: string) => `unknown time zone \`${s}\`` },
  W0001: {
    name: "possibly-misspelled-field",
    text: (f: string, on: string) => `\`${on}\` has no declared field \`${f}\``,
  },
} as const;

export type MessageCode = keyof typeof messages;

type Args<C extends MessageCode> = Parameters<(typeof messages)[C]["text"]>;

/** Renders the catalogue message `code` with its arguments. */
export function message<C extends MessageCode>(code: C, ...args: Args<C>): string {
  const fn = messages[code].text as (...a: unknown[]) => string;
  return fn(...args);
}

/** Help texts shared by several diagnostics. */
export const helps = {
  didYouMean: (s: string) => `did you mean \`${s}\`?`,
  doubleEquals: "use `==` to compare values",
  doubleAmp: "use `&&` for logical and",
  doublePipe: "use `||` for logical or",
  redos:
    "a pattern such as `(a+)+` or `(a|a)*` can take exponential time on some inputs; remove the nested or overlapping repetition",
  regexSyntax:
    "patterns use JavaScript regular expression syntax with the `u` flag; a leading `(?i)` makes them case-insensitive",
  durationSyntax:
    "a duration is a sequence of numbers with units, such as `30s`, `5m`, `1h30m`, `1d`",
  timestampSyntax: "a timestamp is RFC 3339, such as `2026-01-01T00:00:00Z`",
  timeZone: "use an IANA time zone name such as `Europe/Paris` or `UTC`",
  compareTypes: "convert one side first, e.g. with `int(x)`, `string(x)` or `timestamp(x)`",
} as const;

/** Runtime error codes raised by compiled conditions (documented in docs/conditions.md). */
export const runtimeMessages = {
  R0001: "no-such-key: a field or map key is missing",
  R0002: "type-error: a value has the wrong type for the operation",
  R0003: "index-out-of-range: a list index is outside the list",
  R0004: "division-by-zero",
  R0005: "invalid-value: a timestamp, duration, time zone or number string does not parse",
  R0006: "forbidden-key: `__proto__`, `constructor` and `prototype` are never read or written",
} as const;
