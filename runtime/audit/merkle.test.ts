import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CompactRange, decomposition, rangeDecomposition, rootFromNodes } from "./compact-range.js";
import {
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  merkleRoot,
  verifyConsistency,
  verifyInclusion,
} from "./merkle.js";

// An independent, literal transcription of RFC 9162 §2.1.1 / §2.1.3.1 / §2.1.4.1 over arrays.
const sha = (...parts: Uint8Array[]) => {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest();
};
const k = (n: number) => 2 ** Math.ceil(Math.log2(n) - 1);
const MTH = (d: Uint8Array[]): Buffer => {
  if (d.length === 0) return sha();
  if (d.length === 1) return sha(Buffer.from([0]), d[0]!);
  const s = k(d.length);
  return sha(Buffer.from([1]), MTH(d.slice(0, s)), MTH(d.slice(s)));
};
const PATH = (m: number, d: Uint8Array[]): Buffer[] => {
  if (d.length === 1) return [];
  const s = k(d.length);
  return m < s
    ? [...PATH(m, d.slice(0, s)), MTH(d.slice(s))]
    : [...PATH(m - s, d.slice(s)), MTH(d.slice(0, s))];
};
const SUBPROOF = (m: number, d: Uint8Array[], b: boolean): Buffer[] => {
  if (m === d.length) return b ? [] : [MTH(d)];
  const s = k(d.length);
  return m <= s
    ? [...SUBPROOF(m, d.slice(0, s), b), MTH(d.slice(s))]
    : [...SUBPROOF(m - s, d.slice(s), false), MTH(d.slice(0, s))];
};

const leavesOf = (n: number) => Array.from({ length: n }, (_, i) => Buffer.from(`leaf-${i}`));
const hex = (xs: Uint8Array[]) => xs.map((x) => Buffer.from(x).toString("hex"));
const flip = (b: Uint8Array, bit = 0) => {
  const c = Buffer.from(b);
  c[bit >> 3]! ^= 1 << (bit & 7);
  return c;
};

describe("RFC 9162 helpers", () => {
  it("hashes the empty tree and one leaf as the RFC says", () => {
    expect(Buffer.from(merkleRoot([])).toString("hex")).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(EMPTY_ROOT.equals(sha())).toBe(true);
    const a = Buffer.from("a");
    expect(Buffer.from(merkleRoot([a])).equals(sha(Buffer.from([0]), a))).toBe(true);
  });

  it("proves and verifies inclusion of every index of trees of size 1..64", () => {
    for (let n = 1; n <= 64; n++) {
      const d = leavesOf(n);
      const root = merkleRoot(d);
      expect(Buffer.from(root).equals(MTH(d))).toBe(true);
      const biggerRoot = MTH(leavesOf(n + 1));
      const smallerRoot = MTH(d.slice(0, -1));
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(d, i);
        expect(hex(proof)).toEqual(hex(PATH(i, d)));
        expect(verifyInclusion(d[i]!, i, n, proof, root)).toBe(true);
        // corrupted proofs fail: flipped bit, wrong index, wrong size, truncated, wrong leaf
        if (proof.length > 0) {
          const j = i % proof.length;
          const bad = proof.map((p, x) => (x === j ? flip(p, (i * 7) % 256) : p));
          expect(verifyInclusion(d[i]!, i, n, bad, root)).toBe(false);
          expect(verifyInclusion(d[i]!, i, n, proof.slice(0, -1), root)).toBe(false);
          expect(verifyInclusion(d[i]!, i, n, [...proof, proof[0]!], root)).toBe(false);
        }
        if (n > 1) expect(verifyInclusion(d[i]!, (i + 1) % n, n, proof, root)).toBe(false);
        // wrong size: the same proof against the real root of a tree one leaf larger / smaller
        expect(verifyInclusion(d[i]!, i, n + 1, proof, biggerRoot)).toBe(false);
        if (i < n - 1) expect(verifyInclusion(d[i]!, i, n - 1, proof, smallerRoot)).toBe(false);
        expect(verifyInclusion(Buffer.from("other"), i, n, proof, root)).toBe(false);
        expect(verifyInclusion(d[i]!, i, n, proof, flip(root))).toBe(false);
      }
      expect(verifyInclusion(d[0]!, n, n, [], root)).toBe(false);
    }
  });

  it("proves and verifies consistency between every pair of sizes 1 ≤ m ≤ n ≤ 64", () => {
    for (let n = 1; n <= 64; n++) {
      const d = leavesOf(n);
      const newRoot = merkleRoot(d);
      const biggerRoot = MTH(leavesOf(n + 1));
      for (let m = 1; m <= n; m++) {
        const oldRoot = merkleRoot(d.slice(0, m));
        const proof = consistencyProof(d, m);
        expect(hex(proof)).toEqual(m === n ? [] : hex(SUBPROOF(m, d, true)));
        expect(verifyConsistency(m, n, proof, oldRoot, newRoot)).toBe(true);
        if (m === n) continue;
        for (let j = 0; j < proof.length; j++) {
          const bad = proof.map((p, x) => (x === j ? flip(p, m + n) : p));
          expect(verifyConsistency(m, n, bad, oldRoot, newRoot)).toBe(false);
        }
        expect(verifyConsistency(m, n, proof.slice(0, -1), oldRoot, newRoot)).toBe(false);
        expect(verifyConsistency(m, n, [], oldRoot, newRoot)).toBe(false);
        expect(verifyConsistency(m, n + 1, proof, oldRoot, biggerRoot)).toBe(false);
        if (m > 1) {
          const other = merkleRoot(d.slice(0, m - 1));
          expect(verifyConsistency(m - 1, n, proof, other, newRoot)).toBe(false);
        }
        expect(verifyConsistency(m, n, proof, flip(oldRoot), newRoot)).toBe(false);
        expect(verifyConsistency(m, n, proof, oldRoot, flip(newRoot))).toBe(false);
      }
    }
  });

  it("keeps the same root incrementally, and from any covering set of subtrees", () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 8 }), { maxLength: 80 }),
        fc.nat(),
        (d, cut) => {
          const range = new CompactRange();
          for (const x of d) range.push(leafHash(x));
          expect(Buffer.from(range.root()).equals(MTH(d))).toBe(true);
          expect(range.nodes.map(({ level, index }) => ({ level, index }))).toEqual(
            decomposition(d.length),
          );
          // [0, a) as its compact range, leaves [a, b), then [b, n) as aligned subtrees
          if (d.length === 0) return;
          const a = cut % d.length;
          const b = a + Math.floor((d.length - a) / 2);
          const left = new CompactRange();
          for (const x of d.slice(0, a)) left.push(leafHash(x));
          const right = rangeDecomposition(b, d.length).map(({ level, index }) => ({
            level,
            index,
            hash: MTH(d.slice(index * 2 ** level, (index + 1) * 2 ** level)),
          }));
          const middle = d
            .slice(a, b)
            .map((x, i) => ({ level: 0, index: a + i, hash: leafHash(x) }));
          const root = rootFromNodes([...left.nodes, ...middle, ...right], d.length);
          expect(Buffer.from(root).equals(MTH(d))).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("rejects out-of-range indexes and sizes", () => {
    const d = leavesOf(4);
    expect(() => inclusionProof(d, 4)).toThrow(RangeError);
    expect(() => consistencyProof(d, 5)).toThrow(RangeError);
    expect(verifyConsistency(5, 4, [], merkleRoot(d), merkleRoot(d))).toBe(false);
    expect(verifyConsistency(0, 4, [], EMPTY_ROOT, merkleRoot(d))).toBe(true);
  });
});
