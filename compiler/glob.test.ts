import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { globCovers, globMatches, globToRegExp } from "./glob.js";

describe("globs", () => {
  it("match names with dashes, slashes and regex metacharacters literally", () => {
    expect(globMatches("release-*", "release-2026.1")).toBe(true);
    expect(globMatches("release-*", "releases")).toBe(false);
    expect(globMatches("a/b-?", "a/b-c")).toBe(true);
    expect(globMatches("db.(drop)+", "db.(drop)+")).toBe(true);
    expect(globMatches("db.(drop)+", "db.dropdrop")).toBe(false);
    expect(globMatches("fs.*", "fs.delete.all")).toBe(true);
  });

  it("compile every printable pattern without throwing, and match the pattern itself literally", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-ascii" }), (s) => {
        const literal = s.replace(/[*?]/g, "");
        expect(() => globToRegExp(literal)).not.toThrow();
        expect(globMatches(literal, literal)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("cover: a trailing-star prefix covers longer prefixes, never the reverse", () => {
    expect(globCovers("fs.*", "fs.delete")).toBe(true);
    expect(globCovers("fs.*", "fs.tmp.*")).toBe(true);
    expect(globCovers("fs.tmp.*", "fs.*")).toBe(false);
  });
});
