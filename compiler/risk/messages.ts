import { distance } from "../validate/did-you-mean.js";
/**
 * Every diagnostic of the risk model compiler, with its stable code (Cedar's style: lowercase, no
 * final period, user input in backticks, the longer explanation in `help`).
 */

export interface RiskMessage {
  code: string;
  message: string;
  help?: string;
}

const q = (s: unknown): string => `\`${String(s).replace(/[\r\n\u2028\u2029]/g, " ")}\``;
const dym = (s: string | undefined): string | undefined =>
  s === undefined ? undefined : `did you mean ${q(s)}?`;
const opt = (m: RiskMessage, help: string | undefined): RiskMessage =>
  help === undefined ? m : { ...m, help };

export const RM = {
  notAMapping: (what: string): RiskMessage => ({
    code: "wrong-type",
    message: `${what} must be a mapping`,
  }),
  wrongType: (field: string, expected: string): RiskMessage => ({
    code: "wrong-type",
    message: `${q(field)} must be ${expected}`,
  }),
  missing: (field: string, where: string): RiskMessage => ({
    code: "missing-field",
    message: `missing ${q(field)} in ${where}`,
  }),
  unknownField: (field: string, where: string, suggestion?: string): RiskMessage =>
    opt(
      { code: "unknown-field", message: `unknown field ${q(field)} in ${where}` },
      dym(suggestion),
    ),
  factorKind: (id: string): RiskMessage => ({
    code: "risk-factor-kind",
    message: `factor ${q(id)} needs exactly one of \`expression\`, \`lookup\` or \`bands\``,
    help: "`expression` computes the value, `lookup` maps a value through a table, `bands` maps a number through ranges",
  }),
  badId: (id: unknown): RiskMessage => ({
    code: "bad-value",
    message: `invalid id ${q(id)}`,
    help: "ids are identifiers: letters, digits and `_`, not starting with a digit (`__proto__`, `constructor` and `prototype` are reserved)",
  }),
  duplicateId: (what: string, id: string): RiskMessage => ({
    code: "duplicate-id",
    message: `duplicate ${what} id ${q(id)}`,
  }),
  notPositive: (field: string, id: string, value: unknown): RiskMessage => ({
    code: "risk-not-positive",
    message: `${q(field)} of factor ${q(id)} must be greater than 0, found ${q(value)}`,
  }),
  noFactors: (): RiskMessage => ({
    code: "missing-field",
    message: "a risk model needs at least one factor",
  }),
  bandRange: (from: number, to: number): RiskMessage => ({
    code: "risk-band-range",
    message: `band ${q(`${from}–${to}`)} is empty: \`from\` must be less than \`to\``,
    help: "a band covers `from` ≤ value < `to`",
  }),
  bandOverlap: (a: string, b: string): RiskMessage => ({
    code: "risk-band-overlap",
    message: `band ${q(b)} overlaps band ${q(a)}`,
    help: "bands are half-open ranges (`from` ≤ value < `to`); `{from: 0, to: 6}` and `{from: 6, to: 20}` do not overlap",
  }),
  badClamp: (): RiskMessage => ({
    code: "bad-value",
    message: "`clamp` must be two numbers `[min, max]` with min ≤ max",
  }),
  badMatch: (v: unknown): RiskMessage => ({
    code: "bad-value",
    message: `unknown match mode ${q(v)}`,
    help: "use `exact`, `glob` or `contains`",
  }),
  badCombination: (v: unknown): RiskMessage => ({
    code: "bad-value",
    message: `unknown combination ${q(v)}`,
    help: 'use `weighted`, `max` or `{expression: "..."}`',
  }),
  unknownLevel: (name: string, suggestion?: string): RiskMessage =>
    opt(
      { code: "unknown-level", message: `unknown risk level ${q(name)}` },
      dym(suggestion) ?? "levels are `low`, `medium`, `high` and `critical`",
    ),
  levelRange: (name: string, max: unknown): RiskMessage => ({
    code: "risk-level-range",
    message: `the \`max\` of level ${q(name)} must be a number from 0 to 100, found ${q(max)}`,
  }),
  levelOrder: (name: string, max: number, prev: string, prevMax: number): RiskMessage => ({
    code: "risk-level-order",
    message: `level ${q(name)} ends at ${max}, not above level ${q(prev)} (${prevMax})`,
    help: "levels must increase: low < medium < high < critical",
  }),
  levelCoverage: (max: number): RiskMessage => ({
    code: "risk-level-coverage",
    message: `level \`critical\` ends at ${max}, so scores above it have no level`,
    help: "the last level must end at 100 so that every score from 0 to 100 has exactly one level",
  }),
  badAction: (v: unknown): RiskMessage => ({
    code: "bad-value",
    message: `unknown level action ${q(v)}`,
    help: "use `allow`, `audit`, `alert`, `require_approval` or `deny`",
  }),
  badTimeZone: (tz: unknown): RiskMessage => ({
    code: "bad-time-zone",
    message: `unknown time zone ${q(tz)}`,
    help: "use an IANA time zone name such as `Europe/Paris` or `UTC`",
  }),
  badSensitivity: (v: unknown): RiskMessage => ({
    code: "bad-value",
    message: `unknown sensitivity ${q(v)}`,
    help: "use `public`, `internal`, `confidential`, `pii`, `financial`, `health` or `secret`",
  }),
  badRegex: (detail: string): RiskMessage => ({
    code: "bad-regex",
    message: `invalid regular expression: ${detail}`,
  }),
  unsafeRegex: (pattern: string): RiskMessage => ({
    code: "unsafe-regex",
    message: `regular expression ${q(pattern)} may backtrack catastrophically (ReDoS)`,
    help: "avoid nested or overlapping repetitions such as `(a+)+` or `(a|a)*`; detectors run on untrusted arguments",
  }),
  emptyMatch: (pattern: string): RiskMessage => ({
    code: "bad-regex",
    message: `regular expression ${q(pattern)} matches the empty string`,
  }),
  detectorShadows: (id: string): RiskMessage => ({
    code: "duplicate-id",
    message: `custom detector ${q(id)} has the name of a builtin detector`,
    help: "pick another id; builtin detectors cannot be redefined",
  }),
  unknownDetector: (id: string, suggestion?: string): RiskMessage =>
    opt({ code: "unknown-detector", message: `unknown detector ${q(id)}` }, dym(suggestion)),
  unknownSensitivityKey: (key: string, suggestion?: string): RiskMessage =>
    opt({ code: "bad-value", message: `${q(key)} is not a sensitivity class` }, dym(suggestion)),
  unknownFactor: (id: string, suggestion?: string): RiskMessage =>
    opt({ code: "unknown-factor", message: `unknown factor ${q(id)}` }, dym(suggestion)),
  expressionType: (what: string, expected: string, found: string): RiskMessage => ({
    code: "risk-expression-type",
    message: `${what} must be ${expected}, found ${found}`,
  }),
};

/** The closest candidate within a third of the name's length (at least 2 edits), if any. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const c of candidates) {
    const d = distance(name.toLowerCase(), c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}
