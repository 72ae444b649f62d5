/**
 * Data-sensitivity detectors: `pii(x)`, `sensitivity(x)` and `detect(x)` in conditions and risk
 * models, and the `DETECTORS` map the runtime uses for `redact` obligations.
 *
 * The single source of truth is `DETECTORS_PRELUDE`, plain JavaScript text with no imports that
 * the compiler inlines once into `bundle.mjs` (so a bundle stays import-free). This module runs
 * that same text through `new Function` to give in-process callers the identical behaviour: what
 * the tests check here is byte for byte what a bundle executes.
 *
 * Invariants of the prelude (see docs/risk-scoring.md "Detectors"):
 * - every function is total: it never throws, whatever the input (cycles, throwing getters, huge
 *   or deep values), because the walk is wrapped and bounded;
 * - the walk visits at most `DETECTOR_BUDGET.maxNodes` values, `maxDepth` levels of nesting and
 *   `maxText` UTF-16 code units of string text; beyond it scanning stops (what was seen counts);
 * - every builtin pattern has bounded repetitions, so one scan of a string of length n costs
 *   O(n) steps per detector (no catastrophic backtracking);
 * - results are deterministic: ids are reported in registry order (highest sensitivity first,
 *   then declaration order).
 */

/** Sensitivity classes, lowest first; `sensitivity()` returns the highest one found. */
export const SENSITIVITY_CLASSES = [
  "public",
  "internal",
  "confidential",
  "pii",
  "financial",
  "health",
  "secret",
] as const;

export type SensitivityClass = (typeof SENSITIVITY_CLASSES)[number];

/** Limits of one walk over a value (per call of `pii`, `sensitivity` or `detect`). */
export const DETECTOR_BUDGET = { maxDepth: 32, maxNodes: 10_000, maxText: 1_048_576 } as const;

/**
 * JavaScript source of the detectors, inlined into the bundle prelude. Defines `$pg_pii`,
 * `$pg_sensitivity`, `$pg_detect`, `$pg_detectFind`, `$pg_addDetectors` and their private
 * helpers (all prefixed `$pg_det`). Written as plain ES2022 (no backticks, no `${`).
 */
export const DETECTORS_PRELUDE: string = String.raw`
const $pg_det_CLASSES = ["public", "internal", "confidential", "pii", "financial", "health", "secret"];
const $pg_det_PERSONAL = { pii: true, financial: true, health: true };
const $pg_det_MAX_DEPTH = 32;
const $pg_det_MAX_NODES = 10000;
const $pg_det_MAX_TEXT = 1048576;
const $pg_det_MAX_MATCHES = 10000;
function $pg_det_digits(s) {
  let d = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) d += s[i];
  }
  return d;
}
// Luhn (ISO/IEC 7812-1 annex B) over 13-19 digits; issuer prefix 2-6 (Mastercard 2-series, Amex,
// Visa, Mastercard, Discover/UnionPay); a run of one repeated digit is never a card.
function $pg_det_card(m) {
  const d = $pg_det_digits(m);
  if (d.length < 13 || d.length > 19) return 0;
  const first = d.charCodeAt(0) - 48;
  if (first < 2 || first > 6) return 0;
  let same = true;
  for (let i = 1; i < d.length; i++) if (d[i] !== d[0]) { same = false; break; }
  if (same) return 0;
  let sum = 0;
  let dbl = false;
  for (let i = d.length - 1; i >= 0; i--) {
    let n = d.charCodeAt(i) - 48;
    if (dbl) { n *= 2; if (n > 9) n -= 9; }
    sum += n;
    dbl = !dbl;
  }
  return sum % 10 === 0 ? m.length : 0;
}
// ISO 13616 IBAN: 15-34 characters, mod-97 of the rearranged number is 1. The pattern is greedy
// over space-separated groups, so shorter prefixes (whole groups) are tried too.
function $pg_det_ibanOk(t) {
  if (t.length < 15 || t.length > 34) return false;
  const r = t.slice(4) + t.slice(0, 4);
  let m = 0;
  for (let i = 0; i < r.length; i++) {
    const c = r.charCodeAt(i);
    if (c >= 48 && c <= 57) m = (m * 10 + (c - 48)) % 97;
    else if (c >= 65 && c <= 90) m = (m * 100 + (c - 55)) % 97;
    else return false;
  }
  return m === 1;
}
function $pg_det_iban(m) {
  if ($pg_det_ibanOk(m.split(" ").join(""))) return m.length;
  let end = m.lastIndexOf(" ");
  while (end > 0) {
    const p = m.slice(0, end);
    if ($pg_det_ibanOk(p.split(" ").join(""))) return p.length;
    end = m.lastIndexOf(" ", end - 1);
  }
  return 0;
}
// US SSN: area 001-899 except 666, group 01-99, serial 0001-9999; numbers publicised as examples
// and never valid (078-05-1120, 219-09-9999, 123-45-6789) are excluded.
function $pg_det_ssn(m) {
  const d = $pg_det_digits(m);
  const a = +d.slice(0, 3);
  const g = +d.slice(3, 5);
  const s = +d.slice(5);
  if (a === 0 || a === 666 || a >= 900 || g === 0 || s === 0) return 0;
  if (d === "078051120" || d === "219099999" || d === "123456789") return 0;
  return m.length;
}
// French NIR (INSEE): 13 characters + 2-digit key = 97 - (number mod 97); Corsica 2A/2B count as
// 19/18 for the key.
function $pg_det_nir(m) {
  const t = m.split(" ").join("").toUpperCase();
  if (t.length !== 15) return 0;
  const dep = t.slice(5, 7);
  const b = t.slice(0, 5) + (dep === "2A" ? "19" : dep === "2B" ? "18" : dep) + t.slice(7, 13);
  let r = 0;
  for (let i = 0; i < b.length; i++) {
    const c = b.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return 0;
    r = (r * 10 + c) % 97;
  }
  return 97 - r === +t.slice(13) ? m.length : 0;
}
// PEM private key (RFC 7468 §2): the range runs from the BEGIN line through the matching END line
// when one follows within 64 KiB, else it is the BEGIN line alone.
function $pg_det_pem(m, s, at) {
  const end = s.indexOf("-----END ", at + m.length);
  if (end < 0 || end - at > 65536) return m.length;
  const close = s.indexOf("-----", end + 9);
  return close < 0 || close - end > 64 ? m.length : close + 5 - at;
}
// Phone: 8-15 digits in total (E.164 allows at most 15).
function $pg_det_phone(m) {
  const n = $pg_det_digits(m).length;
  return n >= 8 && n <= 15 ? m.length : 0;
}
const $pg_det_DIGIT = /[0-9]/;
// Per-string features, computed once per string, so most detectors are skipped without running their
// pattern (a pattern only runs when its prefilter number "pre" admits the string; pre never rejects a
// string the pattern could accept).
function $pg_det_features(s, f, num) {
  f.s = s;
  f.kw = -1;
  if (s.length <= 128) {
    $pg_det_short(s, f, num);
    return;
  }
  // long strings: indexOf and a regex search run as native scans; the JS loop only counts
  // digits, from the first one on
  let digits = 0;
  const first = s.search($pg_det_DIGIT);
  if (first >= 0) {
    for (let i = first; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c >= 48 && c <= 57) digits++;
    }
  }
  f.digits = digits;
  f.bits = -1;
  if (num) {
    // the decimal text of a number ([-]digits[.digits][e[+-]digits], Infinity, NaN) has no "@",
    // "=", ":", keyword or secret marker: only the digit counts can admit a builtin pattern
    f.at = false;
    f.assign = false;
    f.quiet = !(digits >= 8 || (digits >= 2 && s.indexOf(".") >= 0) || (digits >= 4 && s.length >= 15));
    return;
  }
  const at = s.indexOf("@") >= 0;
  const assign = s.indexOf("=") >= 0 || s.indexOf(":") >= 0;
  f.at = at;
  f.assign = assign;
  // quiet: no builtin pattern can fire (each needs one of these), only key names and custom
  // detectors are left to check. The digit-based patterns need digits; the others need a
  // keyword or a secret's marker characters ($pg_det_words).
  f.quiet = !(digits >= 8 || at || assign || (digits >= 2 && s.indexOf(".") >= 0) || (digits >= 4 && s.length >= 15) || $pg_det_words(f));
}
// Short strings (most argument values): one pass over the characters gives the same features as
// the long-string path (one native scan per feature costs more in call overhead there). Each
// ASCII character maps to its feature bits: 1 digit, 2 "@", 4 "=" or ":", 8 ".", 16 "A" (kept
// only before K/S/G/I/R/N, see below), 32 "_",
// 64 "-", 128 "x", 256 "J", 512 "B"/"b". A marker literal is only searched for when its
// character is present ("earer" only matters after a "B"/"b": the bearer pattern needs it).
const $pg_det_CHAR = new Uint16Array(128);
for (let c = 48; c <= 57; c++) $pg_det_CHAR[c] = 1;
$pg_det_CHAR[64] = 2;
$pg_det_CHAR[61] = 4;
$pg_det_CHAR[58] = 4;
$pg_det_CHAR[46] = 8;
$pg_det_CHAR[65] = 16;
$pg_det_CHAR[95] = 32;
$pg_det_CHAR[45] = 64;
$pg_det_CHAR[120] = 128;
$pg_det_CHAR[74] = 256;
$pg_det_CHAR[66] = 512;
$pg_det_CHAR[98] = 512;
function $pg_det_short(s, f, num) {
  let digits = 0;
  let bits = 0;
  let prev = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      const k = $pg_det_CHAR[c];
      bits |= k;
      digits += k & 1;
      // "A" only counts before K, S, G, I, R or N: every AWS/Google key prefix (AKIA, ASIA, AGPA,
      // AIDA, AROA, ANPA, ANVA, AIPA, AIza) starts so, and ordinary words ("All") do not admit it
      if (prev === 65 && (c === 75 || c === 83 || c === 71 || c === 73 || c === 82 || c === 78)) bits |= 1024;
    }
    prev = c;
  }
  bits &= ~16;
  if ((bits & 1024) !== 0) bits |= 16;
  f.bits = bits;
  const at = (bits & 2) !== 0;
  const assign = (bits & 4) !== 0;
  f.digits = digits;
  f.at = at;
  f.assign = assign;
  if (digits >= 8 || at || assign || (digits >= 2 && (bits & 8) !== 0) || (digits >= 4 && s.length >= 15)) {
    f.quiet = false;
    return;
  }
  // see the long-string path: a number's text holds no keyword or secret marker
  if (num) {
    f.quiet = true;
    return;
  }
  if ((bits & 48) !== 0) {
    f.quiet = false;
    return;
  }
  if (((bits & 512) !== 0 && s.indexOf("earer") >= 0) || ((bits & 256) !== 0 && s.indexOf("eyJ") >= 0) || ((bits & 128) !== 0 && s.indexOf("xox") >= 0)) {
    f.quiet = false;
    return;
  }
  if ((bits & 64) !== 0 && (s.indexOf("sk-") >= 0 || s.indexOf("glpat-") >= 0 || s.indexOf("-----BEGIN ") >= 0)) {
    f.quiet = false;
    return;
  }
  f.quiet = !(s.length >= 3 && $pg_det_kw(f));
}
// Union of the keyword detectors (health_term, confidential_marker, internal_marker), factored
// as a trie so the engine rejects most word starts after one or two characters.
const $pg_det_KW = /\b(?:a(?:llerg|ntidepressant)|b(?:ipolar|lood pressure)|c(?:a(?:ncer|rcinoma)|hemotherapy|onfidential)|d(?:i(?:a(?:gnos|bet)|s(?:abilit|tribute))|o not distribute)|f(?:or internal)|h(?:epatitis|iv)|i(?:cd-?10|nternal)|m(?:aladie|e(?:dical record|ntal health))|o(?:ncolog|rdonnance)|p(?:r(?:e(?:gnan|scri)|oprietary)|sychiatric)|s(?:chizophreni|trictly|urgery)|t(?:rade secret|umou?r))/i;
// Whether a keyword or secret pattern could fire: the keyword trie, or a character sequence that
// every secret pattern contains (private_key "-----BEGIN ", AWS/Google keys "A", GitHub/Stripe
// "_", Slack "xox", OpenAI "sk-", GitLab "glpat-", JWT "eyJ", bearer tokens "earer"). indexOf
// runs as a native scan; an alternation of these literals in one regex was 3x slower.
// The literal scans run first (each native and cheap); the keyword trie, the costliest, last, and
// only on strings long enough to hold a keyword (the shortest, "HIV", has 3 characters).
function $pg_det_words(f) {
  const s = f.s;
  if (s.indexOf("A") >= 0 || s.indexOf("_") >= 0 || s.indexOf("earer") >= 0 || s.indexOf("eyJ") >= 0 || s.indexOf("xox") >= 0) return true;
  if (s.indexOf("-") >= 0 && (s.indexOf("sk-") >= 0 || s.indexOf("glpat-") >= 0 || s.indexOf("-----BEGIN ") >= 0)) return true;
  return s.length >= 3 && $pg_det_kw(f);
}
function $pg_det_kw(f) {
  if (f.kw < 0) f.kw = $pg_det_KW.test(f.s) ? 1 : 0;
  return f.kw === 1;
}
// An API key must not be glued to a longer token on its left (JS lookbehind at every position
// would make the scan slow; checking here lets the engine jump to the literal prefixes).
function $pg_det_apikey(m, s, at) {
  if (at > 0 && /[A-Za-z0-9_-]/.test(s[at - 1])) return 0;
  return m.length;
}
// Prefilters by number (one monomorphic switch rather than a closure per detector). f.bits are the
// marker bits of a short string ($pg_det_short; -1, i.e. all, for long strings): a literal is only
// searched for when its marker character is present.
function $pg_det_admit(pre, f) {
  switch (pre) {
    case 1: return (f.bits & 64) !== 0 && f.s.indexOf("-----BEGIN ") >= 0;
    // api_key: every alternative holds "A" before K/S/G/I/R/N (16), "_" (32) or "-" (64)
    case 2: return f.s.length >= 20 && (f.bits & 112) !== 0;
    case 3: return (f.bits & 256) !== 0 && f.s.indexOf("eyJ") >= 0;
    case 4: return (f.bits & 512) !== 0 && f.s.indexOf("earer") >= 0;
    case 5: return f.assign;
    case 6: return $pg_det_kw(f);
    case 7: return f.digits >= 2 && f.s.indexOf(".") >= 0;
    case 8: return f.digits >= 13;
    case 9: return f.digits >= 4 && f.s.length >= 15;
    case 10: return f.at;
    case 11: return f.digits >= 9;
    case 12: return f.digits >= 8;
    default: return true;
  }
}
function $pg_det_make(id, sensitivity, re, check, key, pre) {
  const flags = re.flags.indexOf("g") >= 0 ? re.flags : re.flags + "g";
  return {
    id: id,
    sensitivity: sensitivity,
    rank: $pg_det_CLASSES.indexOf(sensitivity),
    re: new RegExp(re.source, flags),
    test: new RegExp(re.source, flags.replace("g", "")),
    check: check,
    key: key,
    keys: key === null ? null : new Map(),
    pre: pre
  };
}
const $pg_det_LIST = [
  $pg_det_make("private_key", "secret", /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |SSH2 )?PRIVATE KEY(?: BLOCK)?-----/, $pg_det_pem, null, 1),
  $pg_det_make("api_key", "secret", /(?:(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}|gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255}|xox[abposr]-[A-Za-z0-9-]{10,250}|sk-[A-Za-z0-9_-]{20,256}|[rs]k_(?:live|test)_[A-Za-z0-9]{16,247}|AIza[0-9A-Za-z_-]{35}|glpat-[A-Za-z0-9_-]{20,64})(?![A-Za-z0-9_-])/, $pg_det_apikey, null, 2),
  $pg_det_make("jwt", "secret", /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{8,4096}\.eyJ[A-Za-z0-9_-]{8,8192}\.[A-Za-z0-9_-]{8,4096}/, null, null, 3),
  $pg_det_make("bearer_token", "secret", /\b[Bb]earer[ \t]{1,8}[A-Za-z0-9._~+\/-]{16,4096}={0,2}/, null, null, 4),
  $pg_det_make("credential", "secret", /\b(?:api[_-]?key|secret[_-]?key|client[_-]?secret|access[_-]?token|auth[_-]?token|password|passwd|pwd)["']?[ \t]{0,8}[:=][ \t]{0,8}["']?[^\s"',;]{6,256}/i, null,
    /^(?:[A-Za-z0-9]{0,64}[_-])?(?:password|passwd|pwd|passphrase|secret|api[_-]?key|apikey|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|private[_-]?key|client[_-]?secret|authorization)$/i,
    5),
  $pg_det_make("health_term", "health", /\b(?:diagnos(?:is|es|ed)|diabet(?:es|ic)|cancer|carcinoma|tumou?rs?|oncolog(?:y|ist)|chemotherapy|HIV|hepatitis|pregnan(?:t|cy)|prescri(?:ption|bed)|medical record|mental health|schizophreni[ac]|bipolar disorder|ICD-?10|blood pressure|allerg(?:y|ies)|disabilit(?:y|ies)|surgery|psychiatric|antidepressants?|maladie|ordonnance)\b/i, null, null, 6),
  $pg_det_make("icd10_code", "health", /\b[A-TV-Z][0-9][0-9AB]\.[0-9A-TV-Z]{1,4}\b/, null, null, 7),
  $pg_det_make("credit_card", "financial", /(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])/, $pg_det_card, null, 8),
  $pg_det_make("iban", "financial", /(?<![A-Z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}(?![A-Z0-9])/, $pg_det_iban, null, 9),
  $pg_det_make("email", "pii", /(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){0,8}\.[A-Za-z]{2,24}\b/, null, null, 10),
  $pg_det_make("us_ssn", "pii", /(?<![0-9-])[0-9]{3}([- ])[0-9]{2}\1[0-9]{4}(?![0-9-])/, $pg_det_ssn, null, 11),
  $pg_det_make("fr_nir", "pii", /(?<![0-9A-Za-z])[12] ?[0-9]{2} ?(?:0[1-9]|1[0-2]|[2-9][0-9]) ?(?:[0-9]{2}|2[ABab]) ?[0-9]{3} ?[0-9]{3} ?[0-9]{2}(?![0-9])/, $pg_det_nir, null, 8),
  $pg_det_make("phone", "pii", /(?<![0-9A-Za-z+])(?:\+[1-9][0-9]{0,2}(?:[ .-]?\(?[0-9]{1,4}\)?){2,5}|\(?[2-9][0-9]{2}\)?[ .-][2-9][0-9]{2}[ .-][0-9]{4}|0[1-9](?:[ .-]?[0-9]{2}){4}|0[1-9][0-9]{1,3}[ -][0-9]{3,4}[ -]?[0-9]{3,4})(?![0-9])/, $pg_det_phone, null, 12),
  $pg_det_make("confidential_marker", "confidential", /\b(?:strictly confidential|confidential|proprietary|trade secret|do not distribute)\b/i, null, null, 6),
  $pg_det_make("internal_marker", "internal", /\b(?:internal use only|internal only|for internal use)\b/i, null, null, 6)
];
// Registers custom detectors ({id, sensitivity, re}) declared in a RiskModel; keeps the list
// ordered by sensitivity (highest first), declaration order among equals.
function $pg_addDetectors(list) {
  for (let i = 0; i < list.length; i++) {
    const d = list[i];
    $pg_det_LIST.push($pg_det_make(d.id, d.sensitivity, d.re, null, null, 0));
  }
  $pg_det_LIST.sort(function (a, b) { return b.rank - a.rank; });
  $pg_det_index();
  return $pg_det_LIST.length;
}
// The detectors that can fire on a "quiet" string (see $pg_det_features): the ones with field
// names and the custom ones (no prefilter); same order as $pg_det_LIST.
const $pg_det_QUIET = [];
function $pg_det_index() {
  $pg_det_QUIET.length = 0;
  for (let i = 0; i < $pg_det_LIST.length; i++) {
    const d = $pg_det_LIST[i];
    if (d.key !== null || d.pre === 0) $pg_det_QUIET.push(d);
  }
}
$pg_det_index();
// One detector against one string: the accepted [start, end) ranges, at most "limit" of them.
function $pg_det_ranges(d, s, limit) {
  const out = [];
  const re = d.re;
  re.lastIndex = 0;
  let m;
  while (out.length < limit && (m = re.exec(s)) !== null) {
    const text = m[0];
    if (text.length === 0) { re.lastIndex++; continue; }
    const n = d.check === null ? text.length : d.check(text, s, m.index);
    if (n > 0) {
      out.push([m.index, m.index + n]);
      re.lastIndex = m.index + n;
    } else re.lastIndex = m.index + 1;
  }
  re.lastIndex = 0;
  return out;
}
// Whether a detector with a check fires at least once in s (no allocation but the match).
function $pg_det_any(d, s) {
  const re = d.re;
  re.lastIndex = 0;
  let m;
  let hit = false;
  while ((m = re.exec(s)) !== null) {
    if (m[0].length === 0) { re.lastIndex++; continue; }
    if (d.check(m[0], s, m.index) > 0) { hit = true; break; }
    re.lastIndex = m.index + 1;
  }
  re.lastIndex = 0;
  return hit;
}
// Field names repeat across calls (path, body, password…): their test result is memoised, in a
// bounded map (cleared when full), per detector (d.keys).
function $pg_det_keyTest(d, key) {
  const m = d.keys;
  let r = m.get(key);
  if (r === undefined) {
    if (m.size >= 4096) m.clear();
    r = key.length <= 256 && d.key.test(key);
    m.set(key, r);
  }
  return r;
}
function $pg_det_hit(d, f, key) {
  if (d.key !== null && key !== undefined && $pg_det_keyTest(d, key)) {
    const v = f.s.trim();
    if (v.length >= 4 && !/^[*xX•.#-]+$/.test(v)) return true;
  }
  if (d.pre !== 0 && (f.quiet || !$pg_det_admit(d.pre, f))) return false;
  if (d.check === null) return d.test.test(f.s);
  return $pg_det_any(d, f.s);
}
// One walk's state: budget, the features of the current string (see $pg_det_features) and the
// result so far. mode 0 = detect (found ids), 1 = sensitivity (best rank), 2 = pii (best = 1
// once personal data is found).
function $pg_det_state(mode) {
  return { nodes: 0, text: 0, stop: false, mode: mode, best: 0, found: null, s: "", digits: 0, bits: -1, at: false, assign: false, kw: -1, quiet: false };
}
const $pg_det_hasOwn = Object.prototype.hasOwnProperty;
const $pg_det_TOP = $pg_det_CLASSES.length - 1;
// Bounded, total walk over nested values: every string (and number, as its decimal text) is
// scanned by $pg_det_string; a throwing access skips that value, any other failure ends the walk.
function $pg_det_walk(x, st) {
  try { $pg_det_visit(x, 0, undefined, st); } catch (e) { st.stop = true; }
  return st;
}
function $pg_det_visit(x, depth, key, st) {
  if (st.stop || depth > $pg_det_MAX_DEPTH || ++st.nodes > $pg_det_MAX_NODES) return;
  const t = typeof x;
  if (t === "string" || t === "number" || t === "bigint") {
    let s = t === "string" ? x : String(x);
    const room = $pg_det_MAX_TEXT - st.text;
    if (room <= 0) { st.stop = true; return; }
    if (s.length > room) s = s.slice(0, room);
    st.text += s.length;
    $pg_det_string(s, key, st, t !== "string");
    return;
  }
  if (t !== "object" || x === null) return;
  if (Array.isArray(x)) {
    let n = 0;
    try { n = x.length; } catch (e) { return; }
    for (let i = 0; i < n && !st.stop; i++) {
      let v;
      try { v = x[i]; } catch (e) { continue; }
      $pg_det_visit(v, depth + 1, key, st);
    }
    return;
  }
  // for-in (own enumerable keys, same order as Object.keys) allocates no key array
  try {
    for (const k in x) {
      if (st.stop) return;
      if (!$pg_det_hasOwn.call(x, k)) continue;
      let v;
      try { v = x[k]; } catch (e) { continue; }
      $pg_det_visit(v, depth + 1, k, st);
    }
  } catch (e) {
    // an object whose keys cannot be listed (e.g. a throwing proxy) is skipped
  }
}
function $pg_det_string(s, key, st, num) {
  $pg_det_features(s, st, num);
  const list = st.quiet ? $pg_det_QUIET : $pg_det_LIST;
  const mode = st.mode;
  for (let i = 0; i < list.length; i++) {
    const d = list[i];
    if (mode === 1) {
      if (d.rank <= st.best) break;
      if ($pg_det_hit(d, st, key)) {
        st.best = d.rank;
        if (d.rank === $pg_det_TOP) { st.stop = true; return; }
      }
    } else if (mode === 2) {
      if ($pg_det_PERSONAL[d.sensitivity] === true && $pg_det_hit(d, st, key)) {
        st.best = 1;
        st.stop = true;
        return;
      }
    } else if (st.found[d.id] !== true && $pg_det_hit(d, st, key)) {
      st.found[d.id] = true;
    }
  }
}
// detect(x): ids of the detectors that fire anywhere in x, in registry order.
function $pg_detect(x) {
  const st = $pg_det_state(0);
  st.found = Object.create(null);
  $pg_det_walk(x, st);
  const out = [];
  for (let i = 0; i < $pg_det_LIST.length; i++) {
    const id = $pg_det_LIST[i].id;
    if (st.found[id] === true && out.indexOf(id) < 0) out.push(id);
  }
  return out;
}
// sensitivity(x): the highest class found (secret > health > financial > pii > confidential >
// internal > public); stops as soon as nothing higher can be found.
function $pg_sensitivity(x) {
  return $pg_det_CLASSES[$pg_det_walk(x, $pg_det_state(1)).best];
}
// pii(x): personal data found (a detector of class pii, financial or health).
function $pg_pii(x) {
  return $pg_det_walk(x, $pg_det_state(2)).best === 1;
}
// For redaction: the ranges where detector "id" fires in string s ([] for unknown ids).
function $pg_detectFind(id, s) {
  if (typeof s !== "string") return [];
  for (let i = 0; i < $pg_det_LIST.length; i++) {
    const d = $pg_det_LIST[i];
    if (d.id === id) {
      try { return $pg_det_ranges(d, s.length > $pg_det_MAX_TEXT ? s.slice(0, $pg_det_MAX_TEXT) : s, $pg_det_MAX_MATCHES); } catch (e) { return []; }
    }
  }
  return [];
}
`;

/** A custom regex detector declared in a RiskModel's `spec.detectors`. */
export interface CustomDetector {
  id: string;
  /** JavaScript regular expression source (checked for ReDoS at compile time). */
  pattern: string;
  sensitivity: SensitivityClass;
  /** Extra flags among `i`, `u`, `s`, `m`. */
  flags?: string;
}

/** A range `[start, end)` in UTF-16 code units. */
export interface DetectedRange {
  start: number;
  end: number;
}

/** One detector, usable by the runtime (e.g. to redact what it finds). */
export interface Detector {
  readonly id: string;
  readonly sensitivity: SensitivityClass;
  /** True when the detector fires in `s` (never throws). */
  test(s: string): boolean;
  /** Every place the detector fires in `s` (never throws; at most 10,000 ranges). */
  find(s: string): DetectedRange[];
  /**
   * True when a field of this name holding a non-empty value is itself sensitive (only the
   * `credential` detector has key names: `password`, `api_key`, `token`, …).
   */
  testKey(key: string): boolean;
}

/** The detector functions of one prelude instance (builtins plus the given custom ones). */
export interface DetectorSet {
  pii(x: unknown): boolean;
  sensitivity(x: unknown): SensitivityClass;
  detect(x: unknown): string[];
  readonly detectors: Readonly<Record<string, Detector>>;
}

interface RawDetector {
  id: string;
  sensitivity: SensitivityClass;
  key: RegExp | null;
}

interface PreludeApi {
  pii(x: unknown): boolean;
  sensitivity(x: unknown): SensitivityClass;
  detect(x: unknown): string[];
  find(id: string, s: string): [number, number][];
  add(list: { id: string; sensitivity: string; re: RegExp }[]): number;
  list: RawDetector[];
}

function instantiate(): PreludeApi {
  // The prelude is trusted constant text of this module (no user input is concatenated).
  const factory = new Function(
    `${DETECTORS_PRELUDE}\nreturn { pii: $pg_pii, sensitivity: $pg_sensitivity, detect: $pg_detect, find: $pg_detectFind, add: $pg_addDetectors, list: $pg_det_LIST };`,
  ) as () => PreludeApi;
  return factory();
}

/**
 * Creates the detector functions, with optional custom detectors, from the same source the
 * bundle inlines.
 *
 * @example
 * const set = createDetectorSet([{ id: "employee_id", pattern: "EMP-[0-9]{6}", sensitivity: "confidential" }]);
 * set.sensitivity({ note: "EMP-123456" }); // "confidential"
 */
export function createDetectorSet(custom: readonly CustomDetector[] = []): DetectorSet {
  const api = instantiate();
  if (custom.length > 0) {
    api.add(
      custom.map((c) => ({
        id: c.id,
        sensitivity: c.sensitivity,
        re: new RegExp(c.pattern, c.flags ?? ""),
      })),
    );
  }
  const detectors: Record<string, Detector> = Object.create(null);
  for (const raw of api.list) {
    if (raw.id in detectors) continue;
    const id = raw.id;
    const key = raw.key;
    detectors[id] = Object.freeze({
      id,
      sensitivity: raw.sensitivity,
      test: (s: string) => api.find(id, s).length > 0,
      find: (s: string) => api.find(id, s).map(([start, end]) => ({ start, end })),
      testKey: (k: string) => key?.test(k) === true,
    });
  }
  return {
    pii: api.pii,
    sensitivity: api.sensitivity,
    detect: api.detect,
    detectors: Object.freeze(detectors),
  };
}

const builtin = createDetectorSet();

/** The builtin detectors by id (email, phone, credit_card, iban, us_ssn, fr_nir, api_key, …). */
export const DETECTORS: Readonly<Record<string, Detector>> = builtin.detectors;

/** Ids of the builtin detectors, in registry order (highest sensitivity first). */
export const DETECTOR_IDS: readonly string[] = Object.freeze(Object.keys(DETECTORS));

/** `pii(x)` with the builtin detectors: personal data (pii, financial or health) found in `x`. */
export const pii: (x: unknown) => boolean = builtin.pii;

/** `sensitivity(x)` with the builtin detectors: the highest class found in `x`. */
export const sensitivity: (x: unknown) => SensitivityClass = builtin.sensitivity;

/** `detect(x)` with the builtin detectors: ids of the detectors firing anywhere in `x`. */
export const detect: (x: unknown) => string[] = builtin.detect;

const DYN = { kind: "dyn" } as const;

/**
 * The condition-language builtins of this file (a `BuiltinGroup` of grammar/builtins/builtin.ts,
 * declared structurally so this file stays free of imports): `pii(x)`, `sensitivity(x)` and
 * `detect(x)`, each accepting any value.
 */
export const detectorBuiltins = {
  name: "detectors",
  builtins: [
    {
      name: "pii",
      summary:
        "`pii(x)`: true when personal data (e-mail, phone, card, IBAN, national id, health) is found anywhere in `x`",
      overloads: [{ params: [DYN], result: { kind: "bool" } as const, helper: "$pg_pii" }],
    },
    {
      name: "sensitivity",
      summary:
        "`sensitivity(x)`: the highest data class found in `x`: public < internal < confidential < pii < financial < health < secret",
      overloads: [
        { params: [DYN], result: { kind: "string" } as const, helper: "$pg_sensitivity" },
      ],
    },
    {
      name: "detect",
      summary:
        '`detect(x)`: ids of the data detectors that fire anywhere in `x` (e.g. `["email", "iban"]`)',
      overloads: [
        {
          params: [DYN],
          result: { kind: "list", elem: { kind: "string" } } as const,
          helper: "$pg_detect",
        },
      ],
    },
  ],
  prelude: DETECTORS_PRELUDE,
};
