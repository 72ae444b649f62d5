/**
 * The record side of verification (see verify.ts): for each stored value in seq order, the leaf
 * hash of its canonical bytes against the stored hash, its `seq` against its key, and its
 * `prev_hash` against the stored hash of the record before it (the hash chain, from genesis).
 * It only reads the `records` db, so it can run on a worker thread while the main thread
 * recomputes the Merkle tree from the same records (verify-worker.ts).
 */
import type { Database } from "lmdb";
import { storedLeafHash } from "./fast-hash.js";
import { GENESIS_HASH } from "./record.js";
import { hexEquals, scanned, scanRecord } from "./scan.js";
import type { AuditStorage, PrunedRange } from "./storage.js";
import type { ProblemList } from "./verify.js";

const GENESIS = Buffer.from(GENESIS_HASH, "hex");

/**
 * Whether a record's prev_hash is `hash` — the first 32 bytes of `hash`, which may be a whole
 * stored value (hash ‖ bytes); both undefined counts, as a strict comparison of the parsed values
 * would. Read in place at `prevAt` when scanned, else the parsed value.
 */
function linksTo(
  bytes: Buffer,
  prevAt: number,
  parsedPrev: unknown,
  hash: Buffer | undefined,
): boolean {
  if (prevAt >= 0) return hash !== undefined && hash.length >= 32 && hexEquals(bytes, prevAt, hash);
  return parsedPrev === (hash === undefined ? undefined : hash.toString("hex", 0, 32));
}

function inPruned(ranges: PrunedRange[], seq: number): boolean {
  return ranges.some((r) => seq >= r.from && seq < r.to);
}

const views = new WeakMap<AuditStorage, Database<Buffer, number>>();

/**
 * The `records` db read without copying values: a range iteration yields each value as a view
 * of lmdb-js's per-thread read buffer (its decoder hook gets that buffer when the decoder
 * "copies"), so a value is valid only until the next LMDB read on the thread — callers keep
 * what they need (the 32-byte stored hash) as a copy. Values lmdb-js returns in their own buffer
 * (too large for the shared one) are copied, so a view is always private and writable (the
 * in-place leaf hash writes byte 31 and restores it).
 */
export function recordsView(storage: AuditStorage): Database<Buffer, number> {
  let db = views.get(storage);
  if (!db) {
    const decode = (b: Buffer & { isGlobal?: boolean }, size: number): Buffer =>
      b.isGlobal ? b.subarray(0, size) : Buffer.from(b.subarray(0, size));
    // `encoder` (with `decode`) is an lmdb-js option its typings do not declare.
    const hooks: object = { encoder: { encode: (v: Buffer) => v, decode } };
    db = storage.env.openDB<Buffer, number>({ name: "records", encoding: "binary", ...hooks });
    views.set(storage, db);
  }
  return db;
}

/** A private copy of a stored value's hash (its first 32 bytes). */
export function ownHash(value: Buffer): Buffer {
  return Buffer.from(value.subarray(0, 32));
}

/** Checks records one at a time, in key order; problems are stamped with the key. */
export class RecordChecker {
  // Stored hashes of records n−1 and n−2 (undefined after a gap: nothing to link to).
  #prevHash: Buffer | undefined = GENESIS;
  #prevPrevHash: Buffer | undefined;
  expected = 0;
  checked = 0;
  pruned = 0;

  constructor(
    readonly problems: ProblemList,
    readonly prunedRanges: PrunedRange[],
  ) {}

  /**
   * Puts the checker in the state a walk from 0 has on reaching key `start`: expecting the key
   * after the last one below `start`, linked to the stored hashes of the records before it.
   */
  resumeAt(storage: AuditStorage, start: number): void {
    if (start <= 0) return;
    const before = (k: number): Buffer | undefined => {
      if (k < 0) return GENESIS;
      return storage.records.getBinary(k) ?? undefined;
    };
    let last = -1;
    for (const key of storage.records.getKeys({ start: start - 1, reverse: true, limit: 1 })) {
      last = key;
    }
    this.expected = last + 1;
    // A walk links record k to k−1 when k−1 exists, and to k−2 when k−1 and k−2 both exist.
    const p1 = last === start - 1 ? before(start - 1) : undefined;
    this.#prevHash = p1;
    this.#prevPrevHash = p1 ? before(start - 2) : undefined;
  }

  /**
   * Checks the record stored at `key` (`value` may be a transient view, see {@link recordsView});
   * returns a private copy of its stored hash.
   */
  step(key: number, value: Buffer): Buffer {
    const problems = this.problems;
    problems.at = key;
    if (key !== this.expected) {
      problems.add("missing", this.expected, "verify_missing", { next: key });
      this.#prevHash = undefined;
      this.#prevPrevHash = undefined;
    }
    const prevHash = this.#prevHash;
    const prevPrevHash = this.#prevPrevHash;
    // value = stored hash (32 B) ‖ canonical bytes; read in place, without subarrays.
    if (value.length > 32) {
      this.checked++;
      const actual = storedLeafHash(value);
      const intact = actual.compare(value, 0, 32) === 0;
      if (!intact) {
        problems.add("modified", key, "verify_modified", {
          actual: actual.toString("hex"),
          expected: value.toString("hex", 0, 32),
        });
      }
      // seq and prev_hash: scanned from the bytes, or parsed when the scanner declines.
      let seq: unknown;
      let prevAt = -1;
      let parsedPrev: unknown;
      if (scanRecord(value, 32)) {
        seq = scanned.seq;
        prevAt = scanned.prevAt;
      } else {
        let rec: { seq?: unknown; prev_hash?: unknown } = {};
        try {
          const v: unknown = JSON.parse(value.toString("utf8", 32));
          if (typeof v === "object" && v !== null) rec = v;
        } catch {}
        seq = rec.seq;
        parsedPrev = rec.prev_hash;
      }
      if (seq !== key) {
        if (
          typeof seq === "number" &&
          seq === key - 1 &&
          linksTo(value, prevAt, parsedPrev, prevPrevHash)
        ) {
          problems.add("inserted", key - 1, "verify_inserted", { next: key, prev: key - 2 });
        } else {
          problems.add("reordered", key, "verify_reordered", { found: String(seq) });
        }
      } else if (
        intact &&
        prevHash !== undefined &&
        !linksTo(value, prevAt, parsedPrev, prevHash)
      ) {
        if (key >= 2 && linksTo(value, prevAt, parsedPrev, prevPrevHash)) {
          problems.add("inserted", key - 1, "verify_inserted", { next: key, prev: key - 2 });
        } else {
          problems.add("modified", Math.max(key - 1, 0), "verify_chain", {
            seq: key,
            prev: key - 1,
            actual:
              prevAt >= 0 ? value.toString("latin1", prevAt, prevAt + 64) : String(parsedPrev),
            expected: prevHash.toString("hex", 0, 32),
          });
        }
      }
    } else {
      this.pruned++;
      if (!inPruned(this.prunedRanges, key))
        problems.add("missing", key, "verify_stub_modified", {});
    }
    // Continue the chain with the stored hash (see verify.ts).
    const stored = ownHash(value);
    this.#prevPrevHash = prevHash;
    this.#prevHash = stored;
    this.expected = key + 1;
    return stored;
  }
}

/** What the record side reports back (structured-clonable, for the worker). */
export interface RecordResult {
  items: ProblemList["items"];
  checked: number;
  pruned: number;
}

/** Runs the record side over the records [start, end) (as a walk from 0 would check them). */
export function checkRecords(
  storage: AuditStorage,
  start: number,
  end: number,
  problems: ProblemList,
): RecordResult {
  const rc = new RecordChecker(problems, storage.pruned());
  rc.resumeAt(storage, start);
  for (const { key, value } of recordsView(storage).getRange({ start, end })) rc.step(key, value);
  return { items: problems.items, checked: rc.checked, pruned: rc.pruned };
}
