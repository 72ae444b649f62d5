import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CORE_PRELUDE } from "./core.js";
import { PRELUDE } from "./index.js";
import { coreRuntime, instantiate, preludeNames } from "./instance.js";

const parse = coreRuntime.$pg_parseTimestamp as (s: string) => number;
const duration = coreRuntime.$pg_parseDuration as (s: string) => number;

describe("PRELUDE", () => {
  it("is self-contained JavaScript defining only $pg_ names", () => {
    expect(PRELUDE).not.toMatch(/\bimport\b|\brequire\(/);
    const h = instantiate(PRELUDE);
    expect(Object.keys(h).every((k) => k.startsWith("$pg_"))).toBe(true);
    expect(preludeNames(CORE_PRELUDE)).toContain("$pg_get");
    expect(PRELUDE).toBe(PRELUDE.slice()); // a constant string
  });

  it("parses RFC 3339 timestamps exactly like Date.parse", () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date("0100-01-01T00:00:00Z"),
          max: new Date("9999-12-31T23:59:59Z"),
          noInvalidDate: true,
        }),
        fc.constantFrom("Z", "+02:00", "-05:30", "z"),
        fc.constantFrom("", ".5", ".123", ".123456789"),
        (d, zone, frac) => {
          const text = d.toISOString().slice(0, 19) + frac + zone;
          expect(parse(text)).toBe(Date.parse(text.replace(/z$/, "Z")));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("throws condition errors without capturing a stack, and restores Error.stackTraceLimit", () => {
    const get = coreRuntime.$pg_get as (o: unknown, k: string) => unknown;
    const before = Error.stackTraceLimit;
    let caught: unknown;
    try {
      get({}, "missing");
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(Error);
    expect(caught).toBeInstanceOf(coreRuntime.$pg_Error as new () => Error);
    const e = caught as Error & { code: string };
    expect([e.name, e.code, e.message]).toEqual([
      "ConditionError",
      "R0001",
      "no such key `missing`",
    ]);
    expect(e.stack).toBe("ConditionError: no such key `missing`");
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error("x").stack).toMatch(/\n\s+at /);
  });

  it("rejects malformed timestamps and durations", () => {
    for (const bad of [
      "2026-02-30T00:00:00Z",
      "2026-13-01T00:00:00Z",
      "2026-01-01T24:00:00Z",
      "2026-01-01T00:00:00",
      "2026-01-01T00:00:00+0200",
      "2026-01-01",
      "2026-01-01T00:00:00.Z",
      "x026-01-01T00:00:00Z",
    ]) {
      expect(() => parse(bad), bad).toThrow(/invalid timestamp/);
    }
    expect(duration("1h30m")).toBe(5_400_000);
    expect(duration("1.5s")).toBe(1500);
    expect(duration("-2d")).toBe(-172_800_000);
    expect(duration("250ms")).toBe(250);
    for (const bad of ["", "5", "1 h", "1y", "h"])
      expect(() => duration(bad)).toThrow(/invalid duration/);
  });
});
