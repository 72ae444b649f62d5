/**
 * RFC 8785 (JCS) canonical JSON text, written for speed: the same output as the `canonicalize`
 * package (checked byte for byte by a property test) without its `reduce`/template-string
 * allocations. Rules (RFC 8785 §3.2): object members sorted by the UTF-16 code units of their
 * names (`Array.prototype.sort`'s default order), no whitespace, strings as ECMAScript
 * `JSON.stringify` writes them (§3.2.2.2), numbers as ECMAScript's Number-to-String (§3.2.2.3,
 * which `JSON.stringify` implements); `toJSON` is honoured and `undefined`/symbol members are left
 * out (array elements become `null`), as `JSON.stringify` does.
 *
 * Unlike `canonicalize`, a value JSON cannot represent (NaN, ±Infinity, a function, a bigint)
 * throws a `TypeError` instead of producing invalid text.
 */

// Characters JSON.stringify escapes (RFC 8785 §3.2.2.2): `"`, `\`, controls, lone surrogates.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** A JSON string literal, exactly as `JSON.stringify(s)` writes it. */
export function quote(s: string): string {
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** The canonical text of `value`; throws `TypeError` on a value JSON cannot represent. */
export function jcs(value: unknown): string {
  switch (typeof value) {
    case "string":
      return quote(value);
    case "number":
      if (!Number.isFinite(value)) throw new TypeError(`${value} is not allowed`);
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "object":
      if (value === null) return "null";
      return object(value as Record<string, unknown>);
    default:
      throw new TypeError(`a ${typeof value} is not JSON`);
  }
}

function object(o: Record<string, unknown>): string {
  if (typeof o.toJSON === "function") return jcs(o.toJSON());
  if (Array.isArray(o)) {
    let out = "[";
    for (let i = 0; i < o.length; i++) {
      if (i > 0) out += ",";
      const v: unknown = o[i];
      out += v === undefined || typeof v === "symbol" ? "null" : jcs(v);
    }
    return `${out}]`;
  }
  const keys = Object.keys(o).sort();
  let out = "{";
  let first = true;
  for (const k of keys) {
    const v = o[k];
    if (v === undefined || typeof v === "symbol") continue;
    if (first) first = false;
    else out += ",";
    out += quote(k);
    out += ":";
    out += jcs(v);
  }
  return `${out}}`;
}

/**
 * A canonicaliser for plain objects whose member names are all among `names` (e.g. objects a
 * module builds itself): it walks the names in RFC 8785 order instead of sorting each object's
 * keys. Values are canonicalised with {@link jcs}, or with `nested[name]` when given (for members
 * that are themselves such objects); `undefined`/symbol members are left out.
 */
export function fixedShape(
  names: readonly string[],
  nested: Record<string, (o: Record<string, unknown>) => string> = {},
): (o: Record<string, unknown>) => string {
  const sorted = [...names].sort();
  const prefixes = sorted.map((k) => `${quote(k)}:`);
  const writers = sorted.map((k) => nested[k]);
  return (o) => {
    let out = "{";
    for (let i = 0; i < sorted.length; i++) {
      const v = o[sorted[i]!];
      if (v === undefined || typeof v === "symbol") continue;
      if (out.length > 1) out += ",";
      out += prefixes[i];
      const w = writers[i];
      out +=
        typeof v === "string"
          ? quote(v)
          : w && typeof v === "object" && v !== null && !Array.isArray(v)
            ? w(v as Record<string, unknown>)
            : jcs(v);
    }
    return `${out}}`;
  };
}
