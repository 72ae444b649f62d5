import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { fastNodeHash, storedLeafHash } from "./fast-hash.js";
import { leafHash, nodeHash } from "./merkle.js";

describe("fast hashes", () => {
  it("equal the RFC 9162 leaf and node hashes and leave the stored value untouched", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 33, maxLength: 700 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        (value, l, r) => {
          const before = Buffer.from(value);
          expect(storedLeafHash(value)).toEqual(leafHash(value.subarray(32)));
          expect(Buffer.from(value)).toEqual(before);
          expect(fastNodeHash(l, r)).toEqual(nodeHash(l, r));
        },
      ),
      { numRuns: 300 },
    );
  });
});
