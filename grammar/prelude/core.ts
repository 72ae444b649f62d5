/**
 * Core runtime helpers of compiled conditions, as self-contained JavaScript source (no imports).
 * The text is inlined once at the top of every bundle, so it must be deterministic: it is a
 * constant string, never `Function.prototype.toString` output.
 *
 * Invariants: every helper throws `$pg_Error` (never another error) for a condition's run-time
 * error; `$pg_get` is only called with a field name vetted at compile time (never `__proto__`,
 * `constructor`, `prototype`); dynamic keys go through `$pg_index`, which refuses them. Reads
 * use own-property checks, so prototype members are never read.
 */
export const CORE_PRELUDE = String.raw`// A condition's run-time error is data for the decision (errors[]), never debugged through a stack:
// capturing one costs ~6 µs per throw, so none is captured (Error.stackTraceLimit is restored).
class $pg_Error extends Error {
  constructor(code, message) {
    const limit = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = 0;
    } catch {}
    super(message);
    try {
      Error.stackTraceLimit = limit;
    } catch {}
    this.name = "ConditionError";
    this.code = code;
  }
}
const $pg_hasOwn = Object.prototype.hasOwnProperty;
function $pg_kind(v) {
  if (v === null) return "null";
  const t = typeof v;
  if (t === "boolean") return "bool";
  if (t === "object") return Array.isArray(v) ? "list" : "map";
  return t;
}
function $pg_typeError(expected, v) {
  return new $pg_Error("R0002", "expected " + expected + ", got " + $pg_kind(v));
}
function $pg_forbidden(k) {
  return k === "__proto__" || k === "constructor" || k === "prototype";
}
function $pg_absorb(e, prev) {
  if (!(e instanceof $pg_Error)) throw e;
  return prev === null ? e : prev;
}
function $pg_get(o, k) {
  if (typeof o !== "object" || o === null || Array.isArray(o)) {
    throw new $pg_Error("R0002", "cannot select field \u0060" + k + "\u0060 from " + $pg_kind(o));
  }
  if (!$pg_hasOwn.call(o, k)) throw new $pg_Error("R0001", "no such key \u0060" + k + "\u0060");
  return o[k];
}
function $pg_index(o, k) {
  if (Array.isArray(o)) {
    if (typeof k !== "number" || !Number.isInteger(k)) throw $pg_typeError("an integer list index", k);
    if (k < 0 || k >= o.length) {
      throw new $pg_Error("R0003", "index " + k + " out of range for a list of size " + o.length);
    }
    return o[k];
  }
  if (typeof o === "object" && o !== null) {
    if (typeof k !== "string") throw $pg_typeError("a string map key", k);
    if ($pg_forbidden(k)) throw new $pg_Error("R0006", "key \u0060" + k + "\u0060 is not allowed");
    if (!$pg_hasOwn.call(o, k)) throw new $pg_Error("R0001", "no such key \u0060" + k + "\u0060");
    return o[k];
  }
  throw new $pg_Error("R0002", "cannot index a value of type " + $pg_kind(o));
}
function $pg_has(o, k) {
  if (typeof o !== "object" || o === null || Array.isArray(o)) {
    throw new $pg_Error("R0002", "has() needs a map, got " + $pg_kind(o));
  }
  if (typeof k !== "string") throw $pg_typeError("a string map key", k);
  return !$pg_forbidden(k) && $pg_hasOwn.call(o, k);
}
function $pg_s(v) {
  if (typeof v !== "string") throw $pg_typeError("string", v);
  return v;
}
function $pg_n(v) {
  if (typeof v !== "number") throw $pg_typeError("number", v);
  return v;
}
function $pg_b(v) {
  if (typeof v !== "boolean") throw $pg_typeError("bool", v);
  return v;
}
function $pg_l(v) {
  if (!Array.isArray(v)) throw $pg_typeError("list", v);
  return v;
}
function $pg_m(v) {
  if (typeof v !== "object" || v === null || Array.isArray(v)) throw $pg_typeError("map", v);
  return v;
}
function $pg_digits(s, i, n) {
  let v = 0;
  for (let j = i; j < i + n; j++) {
    const c = s.charCodeAt(j) - 48;
    if (!(c >= 0 && c <= 9)) return -1;
    v = v * 10 + c;
  }
  return v;
}
// RFC 3339 section 5.6 date-time (T, t or space between date and time; Z, z or +hh:mm offset;
// 1-9 fraction digits, truncated to milliseconds), parsed by hand: a regex + Date.parse costs ~300 ns.
function $pg_rfc3339(s) {
  const n = s.length;
  if (n < 20 || n > 35) return Number.NaN;
  const Y = $pg_digits(s, 0, 4);
  const M = $pg_digits(s, 5, 2);
  const D = $pg_digits(s, 8, 2);
  const h = $pg_digits(s, 11, 2);
  const mi = $pg_digits(s, 14, 2);
  const se = $pg_digits(s, 17, 2);
  const T = s.charCodeAt(10);
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return Number.NaN;
  if (T !== 84 && T !== 116 && T !== 32) return Number.NaN;
  if (Y < 0 || M < 1 || M > 12 || D < 1 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) return Number.NaN;
  const leap = (Y % 4 === 0 && Y % 100 !== 0) || Y % 400 === 0;
  const dim = M === 2 ? (leap ? 29 : 28) : M === 4 || M === 6 || M === 9 || M === 11 ? 30 : 31;
  if (D > dim) return Number.NaN;
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 46) {
    i++;
    const from = i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    const count = i - from;
    if (count < 1 || count > 9) return Number.NaN;
    for (let j = 0; j < 3; j++) ms = ms * 10 + (j < count ? s.charCodeAt(from + j) - 48 : 0);
  }
  let offset = 0;
  const z = s.charCodeAt(i);
  if (z === 90 || z === 122) {
    if (i + 1 !== n) return Number.NaN;
  } else if (z === 43 || z === 45) {
    const oh = $pg_digits(s, i + 1, 2);
    const om = $pg_digits(s, i + 4, 2);
    if (i + 6 !== n || s.charCodeAt(i + 3) !== 58 || oh < 0 || oh > 23 || om < 0 || om > 59) return Number.NaN;
    offset = (z === 43 ? 1 : -1) * (oh * 60 + om) * 60000;
  } else return Number.NaN;
  let t = Date.UTC(Y, M - 1, D, h, mi, se, ms);
  if (Y < 100) {
    const d = new Date(t);
    d.setUTCFullYear(Y);
    t = d.getTime();
  }
  return t - offset;
}
let $pg_tsLastText = null;
let $pg_tsLastValue = 0;
function $pg_parseTimestamp(s) {
  if (s === $pg_tsLastText) return $pg_tsLastValue;
  const v = $pg_rfc3339(s);
  if (v !== v) throw new $pg_Error("R0005", "invalid timestamp \u0060" + s + "\u0060");
  $pg_tsLastText = s;
  $pg_tsLastValue = v;
  return v;
}
function $pg_t(v) {
  if (typeof v === "number") return v;
  if (typeof v === "string") return $pg_parseTimestamp(v);
  throw $pg_typeError("timestamp", v);
}
const $pg_durUnits = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60000, h: 3600000, d: 86400000 };
const $pg_durRe = /^(-?)((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d))+)$/;
function $pg_parseDuration(s) {
  const m = $pg_durRe.exec(s);
  if (m === null) throw new $pg_Error("R0005", "invalid duration \u0060" + s + "\u0060");
  let ms = 0;
  const part = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/g;
  let p = part.exec(m[2]);
  while (p !== null) {
    ms += Number(p[1]) * $pg_durUnits[p[2]];
    p = part.exec(m[2]);
  }
  return m[1] === "-" ? -ms : ms;
}
function $pg_d(v) {
  if (typeof v === "number") return v;
  if (typeof v === "string") return $pg_parseDuration(v);
  throw $pg_typeError("duration", v);
}
function $pg_deq(a, b) {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!$pg_deq(a[i], b[i])) return false;
    return true;
  }
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null || Array.isArray(b)) {
    return false;
  }
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!$pg_hasOwn.call(b, k) || !$pg_deq(a[k], b[k])) return false;
  return true;
}
function $pg_eq(a, b) {
  if (a === b) return true;
  const ka = $pg_kind(a);
  const kb = $pg_kind(b);
  if (ka !== kb) {
    if (ka === "null" || kb === "null") return false;
    throw new $pg_Error("R0002", "cannot compare " + ka + " with " + kb + " using ==");
  }
  return $pg_deq(a, b);
}
function $pg_cmp(a, b, op) {
  const t = typeof a;
  if ((t === "number" || t === "string") && typeof b === t) return a < b ? -1 : a > b ? 1 : 0;
  throw new $pg_Error("R0002", "cannot compare " + $pg_kind(a) + " with " + $pg_kind(b) + " using " + op);
}
function $pg_lt(a, b) {
  return $pg_cmp(a, b, "<") < 0;
}
function $pg_le(a, b) {
  return $pg_cmp(a, b, "<=") <= 0;
}
function $pg_gt(a, b) {
  return $pg_cmp(a, b, ">") > 0;
}
function $pg_ge(a, b) {
  return $pg_cmp(a, b, ">=") >= 0;
}
function $pg_in(x, c) {
  if (Array.isArray(c)) {
    for (let i = 0; i < c.length; i++) if ($pg_deq(x, c[i])) return true;
    return false;
  }
  if (typeof c === "object" && c !== null) {
    return typeof x === "string" && !$pg_forbidden(x) && $pg_hasOwn.call(c, x);
  }
  throw new $pg_Error("R0002", "cannot use in with " + $pg_kind(c));
}
function $pg_arith(a, b, op) {
  return new $pg_Error("R0002", "operator " + op + " cannot be applied to " + $pg_kind(a) + " and " + $pg_kind(b));
}
function $pg_add(a, b) {
  const t = typeof a;
  if ((t === "number" || t === "string") && typeof b === t) return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return a.concat(b);
  throw $pg_arith(a, b, "+");
}
function $pg_sub(a, b) {
  if (typeof a === "number" && typeof b === "number") return a - b;
  throw $pg_arith(a, b, "-");
}
function $pg_mul(a, b) {
  if (typeof a === "number" && typeof b === "number") return a * b;
  throw $pg_arith(a, b, "*");
}
function $pg_div(a, b) {
  if (typeof a !== "number" || typeof b !== "number") throw $pg_arith(a, b, "/");
  if (b === 0) throw new $pg_Error("R0004", "division by zero");
  return a / b;
}
function $pg_mod(a, b) {
  if (typeof a !== "number" || typeof b !== "number") throw $pg_arith(a, b, "%");
  if (b === 0) throw new $pg_Error("R0004", "modulus by zero");
  return a % b;
}
function $pg_neg(a) {
  if (typeof a !== "number") throw $pg_typeError("number", a);
  return -a;
}
function $pg_not(a) {
  if (typeof a !== "boolean") throw $pg_typeError("bool", a);
  return !a;
}
function $pg_mkmap() {
  const o = {};
  for (let i = 0; i < arguments.length; i += 2) {
    const k = arguments[i];
    if (typeof k !== "string") throw $pg_typeError("a string map key", k);
    if ($pg_forbidden(k)) throw new $pg_Error("R0006", "key \u0060" + k + "\u0060 is not allowed");
    if ($pg_hasOwn.call(o, k)) throw new $pg_Error("R0002", "duplicate map key \u0060" + k + "\u0060");
    o[k] = arguments[i + 1];
  }
  return o;
}
`;
