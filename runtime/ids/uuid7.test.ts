import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { uuidv7 } from "./uuid7.js";

const SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("uuidv7 (RFC 9562 §5.7)", () => {
  it("has the v7 layout, carries its millisecond timestamp, and sorts by time", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 48 - 1 }),
        fc.integer({ min: 1, max: 2 ** 20 }),
        (ms, dt) => {
          const a = uuidv7(ms);
          expect(a).toMatch(SHAPE);
          expect(Number.parseInt(a.slice(0, 8) + a.slice(9, 13), 16)).toBe(ms);
          if (ms + dt < 2 ** 48) expect(uuidv7(ms + dt) > a).toBe(true);
        },
      ),
    );
  });

  it("is unique across many draws in one millisecond", () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => uuidv7(1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
  });

  it("matches the RFC's example layout for 2022-02-22T19:22:22Z (017F22E2-79B0-7...)", () => {
    expect(uuidv7(Date.parse("2022-02-22T19:22:22.000Z")).slice(0, 15)).toBe("017f22e2-79b0-7");
  });
});
