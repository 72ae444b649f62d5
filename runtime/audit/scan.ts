/**
 * A validating scanner of a stored record's canonical bytes that finds the two top-level members
 * verification needs — `seq` and `prev_hash` — without building the record (JSON.parse allocates
 * every string and object of the record, ≈ 3 µs each).
 *
 * Invariant: `scanRecord(b)` returns true only when `JSON.parse(b.toString("utf8"))` would
 * succeed and give a plain object whose `seq` is `scanned.seq` and whose `prev_hash` is the 64
 * lowercase hex characters at `b[scanned.prevAt …]`. It accepts a subset of JSON — no whitespace
 * (RFC 8785 output has none), `seq` a canonical non-negative integer, `prev_hash` 64 lowercase hex
 * digits, each at most once at the top level — and returns false for anything else, so callers
 * fall back to a full parse on any anomaly. Strings are checked for RFC 8259 §7 escapes and
 * control characters, numbers for the RFC 8259 §6 grammar, literals exactly.
 */

/** Output of the last successful {@link scanRecord} (one object, so a scan allocates nothing). */
export const scanned = { seq: -1, prevAt: -1 };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACKET = 0x5b;
const RBRACKET = 0x5d;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;

// Top-level member names followed by `":` (the opening quote already consumed).
const SEQ_NAME = Buffer.from('seq":');
const PREV_NAME = Buffer.from('prev_hash":');

const MAX_DEPTH = 512;

const isDigit = (c: number) => c >= ZERO && c <= NINE;
const isHex = (c: number) => isDigit(c) || (c >= 0x61 && c <= 0x66);

/** True when `b` holds `name` at `at`. */
function startsAt(b: Uint8Array, at: number, name: Uint8Array): boolean {
  if (at + name.length > b.length) return false;
  for (let k = 0; k < name.length; k++) if (b[at + k] !== name[k]) return false;
  return true;
}

// Byte classes inside a string: 0 plain, 1 `"`, 2 `\\`, 3 a control character (invalid).
const STRING_CLASS = new Uint8Array(256);
STRING_CLASS.fill(3, 0, 0x20);
STRING_CLASS[QUOTE] = 1;
STRING_CLASS[BACKSLASH] = 2;

/** End (exclusive) of the JSON string whose opening quote is at `i`, or -1. */
function skipString(b: Uint8Array, i: number): number {
  const n = b.length;
  i++;
  while (i < n) {
    const cls = STRING_CLASS[b[i] as number];
    if (cls === 0) {
      i++;
      continue;
    }
    if (cls === 1) return i + 1;
    if (cls === 3) return -1;
    const e = b[i + 1];
    if (e === 0x75) {
      // \uXXXX
      for (let k = 2; k < 6; k++) {
        const h = b[i + k] as number;
        if (!(isDigit(h) || (h >= 0x61 && h <= 0x66) || (h >= 0x41 && h <= 0x46))) return -1;
      }
      i += 6;
      continue;
    }
    // " \ / b f n r t
    if (
      e !== QUOTE &&
      e !== BACKSLASH &&
      e !== 0x2f &&
      e !== 0x62 &&
      e !== 0x66 &&
      e !== 0x6e &&
      e !== 0x72 &&
      e !== 0x74
    )
      return -1;
    i += 2;
  }
  return -1;
}

/** End of the RFC 8259 number starting at `i`, or -1. */
function skipNumber(b: Uint8Array, i: number): number {
  if (b[i] === MINUS) i++;
  if (b[i] === ZERO) i++;
  else if (isDigit(b[i] as number)) while (isDigit(b[i] as number)) i++;
  else return -1;
  if (b[i] === 0x2e) {
    i++;
    if (!isDigit(b[i] as number)) return -1;
    while (isDigit(b[i] as number)) i++;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === 0x2b || b[i] === MINUS) i++;
    if (!isDigit(b[i] as number)) return -1;
    while (isDigit(b[i] as number)) i++;
  }
  return i;
}

function skipLiteral(b: Uint8Array, i: number, word: string): number {
  for (let k = 0; k < word.length; k++) if (b[i + k] !== word.charCodeAt(k)) return -1;
  return i + word.length;
}

/** End of the JSON value (no whitespace) starting at `i`, or -1. */
function skipValue(b: Uint8Array, i: number, depth: number): number {
  const c = b[i];
  if (c === QUOTE) return skipString(b, i);
  if (c === LBRACE) {
    if (depth >= MAX_DEPTH) return -1;
    i++;
    if (b[i] === RBRACE) return i + 1;
    for (;;) {
      if (b[i] !== QUOTE) return -1;
      i = skipString(b, i);
      if (i < 0 || b[i] !== COLON) return -1;
      i = skipValue(b, i + 1, depth + 1);
      if (i < 0) return -1;
      if (b[i] === RBRACE) return i + 1;
      if (b[i] !== COMMA) return -1;
      i++;
    }
  }
  if (c === LBRACKET) {
    if (depth >= MAX_DEPTH) return -1;
    i++;
    if (b[i] === RBRACKET) return i + 1;
    for (;;) {
      i = skipValue(b, i, depth + 1);
      if (i < 0) return -1;
      if (b[i] === RBRACKET) return i + 1;
      if (b[i] !== COMMA) return -1;
      i++;
    }
  }
  if (c === 0x74) return skipLiteral(b, i, "true");
  if (c === 0x66) return skipLiteral(b, i, "false");
  if (c === 0x6e) return skipLiteral(b, i, "null");
  return skipNumber(b, i);
}

/**
 * Scans the top-level object in `b[start …]` for `seq` and `prev_hash` (see the module
 * invariant); on success their values are in {@link scanned} (`prevAt` indexes `b`).
 */
export function scanRecord(b: Uint8Array, start = 0): boolean {
  const n = b.length;
  if (n - start < 2 || b[start] !== LBRACE) return false;
  let seq = -1;
  let prevAt = -1;
  let i = start + 1;
  if (b[i] === RBRACE) return false;
  for (;;) {
    if (b[i] !== QUOTE) return false;
    if (startsAt(b, i + 1, SEQ_NAME)) {
      if (seq >= 0) return false;
      i += 1 + SEQ_NAME.length;
      const start = i;
      if (b[i] === ZERO) i++;
      else while (isDigit(b[i] as number)) i++;
      // canonical integers only, within the exactly representable range
      if (i === start || i - start > 15) return false;
      seq = 0;
      for (let k = start; k < i; k++) seq = seq * 10 + (b[k]! - ZERO);
    } else if (startsAt(b, i + 1, PREV_NAME)) {
      if (prevAt >= 0) return false;
      i += 1 + PREV_NAME.length;
      if (b[i] !== QUOTE || b[i + 65] !== QUOTE) return false;
      for (let k = i + 1; k <= i + 64; k++) if (!isHex(b[k]!)) return false;
      prevAt = i + 1;
      i += 66;
    } else {
      i = skipString(b, i);
      if (i < 0 || b[i] !== COLON) return false;
      i = skipValue(b, i + 1, 1);
      if (i < 0) return false;
    }
    if (b[i] === COMMA) {
      i++;
      continue;
    }
    if (b[i] === RBRACE && i === n - 1) break;
    return false;
  }
  if (seq < 0 || prevAt < 0) return false;
  scanned.seq = seq;
  scanned.prevAt = prevAt;
  return true;
}

const HEX = "0123456789abcdef";
const HEX_CODES = Uint8Array.from(HEX, (c) => c.charCodeAt(0));

/** True when the 64 hex characters at `b[at …]` spell `hash` (32 bytes) in lowercase. */
export function hexEquals(b: Uint8Array, at: number, hash: Uint8Array): boolean {
  for (let k = 0; k < 32; k++) {
    const x = hash[k]!;
    if (b[at + 2 * k] !== HEX_CODES[x >> 4] || b[at + 2 * k + 1] !== HEX_CODES[x & 15]) {
      return false;
    }
  }
  return true;
}
