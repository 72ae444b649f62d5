/**
 * Safe pieces of generated code. Every string that reaches `bundle.mjs` goes through `literal`
 * (JSON.stringify, plus U+2028/U+2029 escaped) or `jsonData` (data parsed at load time with
 * JSON.parse, so keys such as `__proto__` stay plain own properties instead of setting a
 * prototype as they would in an object literal). Comments go through `commentText`.
 */

/** A JS string literal for `s`. */
export function literal(s: string): string {
  return JSON.stringify(s)
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A JS expression producing a fresh copy of the JSON value `v`. */
export function jsonData(v: unknown): string {
  return `JSON.parse(${literal(JSON.stringify(v))})`;
}

/**
 * Text safe inside a `//` comment: no line terminators (LF, CR, U+2028, U+2029), no other control
 * characters, and no `*\/` (so the text stays safe inside a block comment too).
 */
export function commentText(s: string): string {
  return s
    .replace(
      /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
      (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
    )
    .replace(/\*\//g, "*\\/");
}

/** An identifier fragment derived from a policy id (for readable function names). */
export function slug(id: string): string {
  const s = id
    .replace(/[^A-Za-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 40);
  return s === "" ? "rule" : s;
}

/** JSON with object keys sorted recursively (deterministic manifests and data tables). */
export function sortedJson(v: unknown, indent?: number): string {
  return JSON.stringify(sortValue(v), null, indent);
}

export function sortValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortValue);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined)
        Object.defineProperty(out, k, {
          value: sortValue(x),
          enumerable: true,
          writable: true,
          configurable: true,
        });
    }
    return out;
  }
  return v;
}
