/**
 * Allocation-light RFC 9162 hashes for the hot loops (verification, appends), using Node's
 * one-shot `crypto.hash` (Node ≥ 20.12) instead of a `Hash` object per digest. Same values as
 * {@link leafHash} / {@link nodeHash} in merkle.ts (checked by fast-hash.test.ts).
 */
import { hash } from "node:crypto";
import { nodeHash } from "./merkle.js";

// 0x01 ‖ left ‖ right, rewritten for every node hash (single-threaded, never retained).
const NODE_INPUT = Buffer.alloc(65);
NODE_INPUT[0] = 0x01;

/** SHA-256(0x01 ‖ left ‖ right) — RFC 9162 §2.1.1. */
export function fastNodeHash(left: Uint8Array, right: Uint8Array): Buffer {
  if (left.length !== 32 || right.length !== 32) return nodeHash(left, right);
  NODE_INPUT.set(left, 1);
  NODE_INPUT.set(right, 33);
  return hash("sha256", NODE_INPUT, "buffer");
}

/**
 * The leaf hash SHA-256(0x00 ‖ bytes) of a stored value `hash (32 B) ‖ bytes` (length > 32),
 * hashed in place: byte 31 is set to 0x00 for the digest and restored before returning, so the
 * value must be a private, writable buffer (lmdb-js returns a copy for `binary` reads).
 */
export function storedLeafHash(value: Uint8Array): Buffer {
  const saved = value[31]!;
  value[31] = 0;
  try {
    return hash("sha256", value.subarray(31), "buffer");
  } finally {
    value[31] = saved;
  }
}
