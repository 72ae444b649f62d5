import canonicalizeModule from "canonicalize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { jcs } from "./jcs.js";
import { canonicalBytes, recordBody, recordText } from "./record.js";
import { writeRecordText } from "./record-text.js";
import { awkwardNumber, awkwardString, jsonValue } from "./test-helpers/json-arbitrary.js";
import { AUDIT_EVENT_TYPES, AUDIT_OUTCOMES, type AuditEventInput } from "./types.js";

const canonicalize = canonicalizeModule as unknown as (input: unknown) => string | undefined;

const str = awkwardString;
const num = awkwardNumber;
const json = jsonValue;

const input: fc.Arbitrary<AuditEventInput> = fc.record(
  {
    type: fc.constantFrom(...AUDIT_EVENT_TYPES),
    actor: fc.record({ id: str, kind: fc.constantFrom("agent", "user", "system") as never }),
    action: str,
    resource: str,
    risk: fc.record({ score: num, level: str }),
    policy: fc.record({ decision: str, matched: fc.array(str, { maxLength: 3 }), bundle: str }),
    outcome: fc.constantFrom(...AUDIT_OUTCOMES),
    context: fc.dictionary(str, json, { maxKeys: 6 }),
    correlation_id: str,
    session_id: str,
    workflow_id: str,
  },
  { requiredKeys: ["type", "actor", "outcome"] },
) as fc.Arbitrary<AuditEventInput>;

describe("RFC 8785 encoder", () => {
  it("writes exactly the bytes of the `canonicalize` package for any JSON value", () => {
    fc.assert(
      fc.property(json, (v) => {
        expect(jcs(v)).toBe(canonicalize(v));
      }),
      { numRuns: 500 },
    );
  });

  it("writes exactly the bytes of the `canonicalize` package for any record", () => {
    fc.assert(
      fc.property(input, fc.nat(), fc.nat(), (e, seq, ts) => {
        const body = recordBody(e, seq, ts, "ab".repeat(32));
        const expected = canonicalize(body);
        expect(recordText(body)).toBe(expected);
        expect(canonicalBytes(body).toString("utf8")).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("writes a record body of any member values like the generic encoder", () => {
    // undefined members, nested objects with missing members, arrays where objects go
    const anyValue = fc.oneof(
      json,
      fc.constant(undefined),
      fc.dictionary(str, json, { maxKeys: 3 }),
    );
    // recordBody's actor/risk/policy have only their named members (or are not objects)
    const nestedOf = (names: string[]) =>
      fc.oneof(
        fc.record(Object.fromEntries(names.map((n) => [n, anyValue])), { requiredKeys: [] }),
        fc.constant(undefined),
        str,
        fc.array(json, { maxLength: 2 }),
      );
    const fields = ["action", "context", "correlation_id", "outcome", "prev_hash", "resource"];
    const more = ["seq", "session_id", "timestamp", "type", "v", "workflow_id"];
    const body = fc.record(
      {
        ...Object.fromEntries([...fields, ...more].map((n) => [n, anyValue])),
        actor: nestedOf(["id", "kind"]),
        risk: nestedOf(["level", "score"]),
        policy: nestedOf(["bundle", "decision", "matched"]),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(body, (b) => {
        expect(writeRecordText(b as never)).toBe(jcs(b));
      }),
      { numRuns: 500 },
    );
  });

  it("honours toJSON, drops undefined members and nulls undefined array elements", () => {
    const v = { b: new Date(0), a: undefined, c: [undefined, 1e21, -0, 5e-7, "\u2028\ud800"] };
    expect(jcs(v)).toBe('{"b":"1970-01-01T00:00:00.000Z","c":[null,1e+21,0,5e-7,"\u2028\\ud800"]}');
    expect(jcs(v)).toBe(canonicalize(v));
  });

  it("refuses values JSON cannot represent instead of writing invalid text", () => {
    expect(() => jcs({ x: Number.NaN })).toThrow("NaN is not allowed");
    expect(() => jcs({ x: Number.POSITIVE_INFINITY })).toThrow("Infinity is not allowed");
    expect(() => jcs({ f: () => 1 })).toThrow("a function is not JSON");
    expect(() => jcs({ n: 1n })).toThrow("a bigint is not JSON");
  });
});
