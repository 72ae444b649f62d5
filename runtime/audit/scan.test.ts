import canonicalizeModule from "canonicalize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hexEquals, scanned, scanRecord } from "./scan.js";
import { awkwardString, jsonValue } from "./test-helpers/json-arbitrary.js";

const canonicalize = canonicalizeModule as unknown as (input: unknown) => string;

const str = awkwardString;
const json = jsonValue;
const hex64 = fc.uint8Array({ minLength: 32, maxLength: 32 }).map((b) => Buffer.from(b));

// A record-like object: arbitrary members (nested JSON, awkward names) plus seq and prev_hash.
const record = fc
  .tuple(fc.dictionary(str, json, { maxKeys: 6 }), fc.nat({ max: 2 ** 40 }), hex64)
  .map(([rest, seq, prev]) => ({
    obj: { ...rest, seq, prev_hash: prev.toString("hex") },
    prev,
  }));

/** What verification used to read: JSON.parse of the bytes, or undefined when it throws. */
function parsed(b: Buffer): { seq?: unknown; prev_hash?: unknown } | undefined {
  try {
    const v: unknown = JSON.parse(b.toString("utf8"));
    return typeof v === "object" && v !== null ? v : undefined;
  } catch {
    return undefined;
  }
}

describe("scanRecord", () => {
  it("finds seq and prev_hash in any canonical record", () => {
    fc.assert(
      fc.property(record, ({ obj, prev }) => {
        const b = Buffer.from(canonicalize(obj));
        expect(scanRecord(b)).toBe(true);
        expect(scanned.seq).toBe(obj.seq);
        expect(hexEquals(b, scanned.prevAt, prev)).toBe(true);
        // as stored: after the 32-byte hash, offsets relative to the whole value
        const value = Buffer.concat([prev, b]);
        expect(scanRecord(value, 32)).toBe(true);
        expect(scanned.seq).toBe(obj.seq);
        expect(hexEquals(value, scanned.prevAt, prev)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it("accepts altered bytes only when JSON.parse reads the same seq and prev_hash", () => {
    fc.assert(
      fc.property(
        record,
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 3,
        }),
        ({ obj }, edits) => {
          const b = Buffer.from(canonicalize(obj));
          for (const [at, byte] of edits) b[at % b.length] = byte;
          if (!scanRecord(b)) return;
          const rec = parsed(b);
          expect(rec).toBeDefined();
          expect(rec!.seq).toBe(scanned.seq);
          expect(rec!.prev_hash).toBe(b.toString("latin1", scanned.prevAt, scanned.prevAt + 64));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it.each([
    ["whitespace", '{"prev_hash":"' + "a".repeat(64) + '", "seq":1}'],
    ["a duplicate seq", '{"prev_hash":"' + "a".repeat(64) + '","seq":1,"seq":2}'],
    ["a non-integer seq", '{"prev_hash":"' + "a".repeat(64) + '","seq":1.0}'],
    ["a leading zero", '{"prev_hash":"' + "a".repeat(64) + '","seq":01}'],
    ["uppercase hex", '{"prev_hash":"' + "A".repeat(64) + '","seq":1}'],
    ["no prev_hash", '{"seq":1}'],
    ["an invalid escape", '{"a":"\\q","prev_hash":"' + "a".repeat(64) + '","seq":1}'],
    ["a bare word", '{"a":tru,"prev_hash":"' + "a".repeat(64) + '","seq":1}'],
    ["trailing bytes", '{"prev_hash":"' + "a".repeat(64) + '","seq":1}x'],
    ["an unclosed object", '{"a":{"b":1,"prev_hash":"' + "a".repeat(64) + '","seq":1}'],
  ])("declines %s (the caller parses instead)", (_what, text) => {
    expect(scanRecord(Buffer.from(text))).toBe(false);
  });
});
