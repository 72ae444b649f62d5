/**
 * RFC 9162 §2.1 Merkle Tree Hash, inclusion proofs and consistency proofs.
 *
 * Leaf hash: SHA-256(0x00 ‖ d); node hash: SHA-256(0x01 ‖ left ‖ right); the hash of the empty
 * tree is SHA-256(""). The proof algorithms (PATH, PROOF/SUBPROOF) are written once against a
 * {@link NodeSource} — "the hash of the complete, aligned subtree of 2^level leaves starting at
 * leaf index·2^level" — so the same code serves the in-memory helpers below (which hash the raw
 * leaves) and the LMDB store (which looks the stored subtree hashes up in O(1) each).
 */
import { createHash } from "node:crypto";

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

/** SHA-256(0x00 ‖ d) — RFC 9162 §2.1.1. */
export function leafHash(data: Uint8Array): Buffer {
  return createHash("sha256").update(LEAF_PREFIX).update(data).digest();
}

/** SHA-256(0x01 ‖ left ‖ right) — RFC 9162 §2.1.1. */
export function nodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  return createHash("sha256").update(NODE_PREFIX).update(left).update(right).digest();
}

/** MTH({}) = SHA-256() — RFC 9162 §2.1.1. */
export const EMPTY_ROOT: Buffer = createHash("sha256").digest();

/** The hash of the complete subtree of 2^level leaves starting at leaf `index << level`. */
export type NodeSource = (level: number, index: number) => Uint8Array;

/** Largest power of two strictly smaller than n (n ≥ 2) — the `k` of RFC 9162 §2.1.1. */
export function splitPoint(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** log2 of a power of two (exact for every safe integer power of two). */
export function log2(size: number): number {
  return Math.round(Math.log2(size));
}

/** Safe for sizes beyond 2^31, where bitwise operators would overflow. */
export function isPowerOfTwo(n: number): boolean {
  return n > 0 && 2 ** log2(n) === n;
}

/**
 * MTH(D[start:end]) for a range whose start is aligned to the largest power of two ≤ its size,
 * which holds for every range the RFC 9162 recursions visit.
 */
export function rangeHash(src: NodeSource, start: number, end: number): Uint8Array {
  const n = end - start;
  if (n === 0) return EMPTY_ROOT;
  if (isPowerOfTwo(n) && start % n === 0) {
    const level = log2(n);
    return src(level, start / n);
  }
  const k = splitPoint(n);
  return nodeHash(rangeHash(src, start, start + k), rangeHash(src, start + k, end));
}

/** PATH(m, D[start:end]) — RFC 9162 §2.1.3.1, leaf `m` relative to `start`. */
export function auditPath(src: NodeSource, m: number, start: number, end: number): Uint8Array[] {
  const n = end - start;
  if (n <= 1) return [];
  const k = splitPoint(n);
  if (m < k) {
    const path = auditPath(src, m, start, start + k);
    path.push(rangeHash(src, start + k, end));
    return path;
  }
  const path = auditPath(src, m - k, start + k, end);
  path.push(rangeHash(src, start, start + k));
  return path;
}

/** SUBPROOF(m, D[start:end], b) — RFC 9162 §2.1.4.1. */
function subproof(
  src: NodeSource,
  m: number,
  start: number,
  end: number,
  b: boolean,
): Uint8Array[] {
  const n = end - start;
  if (m === n) return b ? [] : [rangeHash(src, start, end)];
  const k = splitPoint(n);
  if (m <= k) {
    const proof = subproof(src, m, start, start + k, b);
    proof.push(rangeHash(src, start + k, end));
    return proof;
  }
  const proof = subproof(src, m - k, start + k, end, false);
  proof.push(rangeHash(src, start, start + k));
  return proof;
}

/** PROOF(m, D[n]) — RFC 9162 §2.1.4.1; empty when m is 0 or m = n. */
export function consistencyPath(src: NodeSource, m: number, n: number): Uint8Array[] {
  if (m <= 0 || m >= n) return [];
  return subproof(src, m, 0, n, true);
}

/** A NodeSource over raw leaves, hashing each subtree at most once (O(n) in total). */
function memorySource(leaves: Uint8Array[]): NodeSource {
  const levels: Uint8Array[][] = [leaves.map(leafHash)];
  const node = (level: number, index: number): Uint8Array => {
    const row = levels[level] ?? [];
    levels[level] = row;
    const hit = row[index];
    if (hit) return hit;
    if (level === 0) throw new RangeError(`leaf \`${index}\` out of range`);
    const h = nodeHash(node(level - 1, index * 2), node(level - 1, index * 2 + 1));
    row[index] = h;
    return h;
  };
  return node;
}

/**
 * MTH(D[n]) over raw leaf data — RFC 9162 §2.1.1.
 *
 * @example
 * merkleRoot([new TextEncoder().encode("a")]) // SHA-256(0x00 ‖ "a")
 */
export function merkleRoot(leaves: Uint8Array[]): Uint8Array {
  return rangeHash(memorySource(leaves), 0, leaves.length);
}

/** The inclusion proof PATH(index, D[n]) of leaf `index` — RFC 9162 §2.1.3.1. */
export function inclusionProof(leaves: Uint8Array[], index: number): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) {
    throw new RangeError(`leaf index \`${index}\` is outside a tree of size ${leaves.length}`);
  }
  return auditPath(memorySource(leaves), index, 0, leaves.length);
}

/** The consistency proof PROOF(m, D[n]) between the first `m` leaves and all of them — RFC 9162 §2.1.4.1. */
export function consistencyProof(leaves: Uint8Array[], m: number): Uint8Array[] {
  if (!Number.isInteger(m) || m < 0 || m > leaves.length) {
    throw new RangeError(`size \`${m}\` is outside 0..${leaves.length}`);
  }
  return consistencyPath(memorySource(leaves), m, leaves.length);
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}

/** RFC 9162 §2.1.3.2, taking the already hashed leaf. */
export function verifyInclusionHash(
  hash: Uint8Array,
  index: number,
  treeSize: number,
  proof: Uint8Array[],
  root: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(treeSize)) return false;
  if (index < 0 || index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r: Uint8Array = hash;
  for (const p of proof) {
    if (p.length !== 32) return false;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(r, root);
}

/**
 * Verifies that raw leaf `leaf` is at `index` in the tree of `treeSize` leaves with root `root`,
 * following RFC 9162 §2.1.3.2.
 */
export function verifyInclusion(
  leaf: Uint8Array,
  index: number,
  treeSize: number,
  proof: Uint8Array[],
  root: Uint8Array,
): boolean {
  return verifyInclusionHash(leafHash(leaf), index, treeSize, proof, root);
}

/**
 * Verifies that the tree of size `m` with root `oldRoot` is a prefix of the tree of size `n` with
 * root `newRoot`, following RFC 9162 §2.1.4.2. By convention m = 0 holds with an empty proof, and
 * m = n holds with an empty proof and equal roots.
 */
export function verifyConsistency(
  m: number,
  n: number,
  proof: Uint8Array[],
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
): boolean {
  if (!Number.isSafeInteger(m) || !Number.isSafeInteger(n) || m < 0 || m > n) return false;
  if (m === 0) return proof.length === 0;
  if (m === n) return proof.length === 0 && equalBytes(oldRoot, newRoot);
  if (proof.length === 0) return false;
  if (proof.some((p) => p.length !== 32)) return false;
  const path = isPowerOfTwo(m) ? [oldRoot, ...proof] : proof;
  let fn = m - 1;
  let sn = n - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr: Uint8Array = path[0]!;
  let sr: Uint8Array = path[0]!;
  for (let i = 1; i < path.length; i++) {
    const c = path[i]!;
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && equalBytes(fr, oldRoot) && equalBytes(sr, newRoot);
}
