import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { entrySeqs, groupEntries, PostingBuilder } from "./postings.js";
import type { IndexKey } from "./storage.js";

const sortEntries = (es: { key: IndexKey; value: Buffer }[]) =>
  es
    .map((e) => ({ key: e.key, seqs: entrySeqs(e.key, e.value) }))
    .sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));

describe("PostingBuilder", () => {
  it("builds the same posting lists as groupEntries of the batch's keys", () => {
    const keyOf = fc.tuple(
      fc.constantFrom("t", "a", "r", "x"),
      fc.oneof(fc.constantFrom("1", "a", ""), fc.integer({ min: 0, max: 3 })),
      fc.integer({ min: 1, max: 3 }),
    );
    fc.assert(
      fc.property(fc.nat({ max: 1000 }), fc.array(keyOf, { maxLength: 40 }), (first, raw) => {
        // seqs ascend through the batch, as appends do
        let seq = first;
        const keys: IndexKey[] = raw.map(([tag, value, step]) => {
          seq += step;
          return [tag, value, seq];
        });
        const builder = new PostingBuilder();
        for (const [tag, value, s] of keys) builder.add(tag, value, s);
        expect(sortEntries([...builder.entries()])).toEqual(sortEntries(groupEntries(keys)));
      }),
      { numRuns: 300 },
    );
  });

  it("keeps the number 1 and the string `1` apart", () => {
    const b = new PostingBuilder();
    b.add("r", 1, 5);
    b.add("r", "1", 6);
    b.add("r", 1, 9);
    expect([...b.entries()].map((e) => [e.key, entrySeqs(e.key, e.value)])).toEqual([
      [
        ["r", 1, 5],
        [5, 9],
      ],
      [["r", "1", 6], [6]],
    ]);
  });
});
