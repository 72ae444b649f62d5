/**
 * The Merkle-tree side of verification: recomputes the tree from the stored leaf hashes with a
 * compact range (O(n) node hashes in total, nothing read back to do it) and compares every
 * subtree it completes with the stored one (subtrees ending past `meta.indexed` may be absent,
 * and only every `TREE_STRIDE`th level must be stored, see storage.ts). The stored subtrees are read with one LMDB cursor per
 * level, in index order — the order the compact range completes them — so the whole `tree` db is
 * read once, sequentially, instead of one keyed lookup per node.
 */
import { fastNodeHash } from "./fast-hash.js";
import { EMPTY_ROOT } from "./merkle.js";
import { type AuditStorage, isStoredLevel } from "./storage.js";
import type { ProblemList } from "./verify.js";

type Entry = { key: [number, number]; value: Buffer };

/** Stored subtrees of one level, read in index order. */
class LevelCursor {
  readonly #it: Iterator<Entry>;
  #cur: Entry | undefined;

  constructor(storage: AuditStorage, level: number) {
    this.#it = storage.tree
      .getRange({ start: [level, 0], end: [level + 1, 0] })
      [Symbol.iterator]() as Iterator<Entry>;
    this.#next();
  }

  #next(): void {
    const r = this.#it.next();
    this.#cur = r.done ? undefined : r.value;
  }

  /** The stored hash of subtree `index` (undefined when absent); indexes must not decrease. */
  take(index: number): Buffer | undefined {
    while (this.#cur && this.#cur.key[1] < index) this.#next();
    const c = this.#cur;
    if (!c || c.key[1] !== index) return undefined;
    this.#next();
    return c.value;
  }
}

export class TreeCheck {
  readonly #storage: AuditStorage;
  readonly #indexed: number;
  readonly #cursors: LevelCursor[] = [];
  // The compact range: complete subtrees, largest first (level, first leaf, hash).
  readonly #levels: number[] = [];
  readonly #starts: number[] = [];
  readonly #hashes: Uint8Array[] = [];
  size = 0;

  constructor(storage: AuditStorage) {
    this.#storage = storage;
    this.#indexed = storage.indexedUpTo();
  }

  /**
   * Appends a leaf hash; reports every completed subtree whose stored hash differs, or that is
   * missing although it ends before `meta.indexed` (past it, subtrees may not be written yet).
   */
  push(leaf: Uint8Array, problems: ProblemList): void {
    const levels = this.#levels;
    const starts = this.#starts;
    const hashes = this.#hashes;
    levels.push(0);
    starts.push(this.size);
    hashes.push(leaf);
    this.size++;
    for (let n = levels.length; n >= 2 && levels[n - 2] === levels[n - 1]; n--) {
      const level = levels[n - 2]! + 1;
      const from = starts[n - 2]!;
      const h = fastNodeHash(hashes[n - 2]!, hashes[n - 1]!);
      levels.length = starts.length = hashes.length = n - 1;
      levels[n - 2] = level;
      hashes[n - 2] = h;
      const index = from / 2 ** level;
      let cursor = this.#cursors[level];
      if (!cursor) {
        cursor = new LevelCursor(this.#storage, level);
        this.#cursors[level] = cursor;
      }
      const stored = cursor.take(index);
      if (stored ? !h.equals(stored) : isStoredLevel(level) && from + 2 ** level <= this.#indexed) {
        problems.add("modified", from, "verify_node", { level, index }, [
          from,
          from + 2 ** level - 1,
        ]);
      }
    }
  }

  /** MTH of the leaves pushed so far (RFC 9162 §2.1.1, the right fold of the compact range). */
  root(): Buffer {
    const hashes = this.#hashes;
    if (hashes.length === 0) return EMPTY_ROOT;
    let r = hashes[hashes.length - 1]!;
    for (let i = hashes.length - 2; i >= 0; i--) r = fastNodeHash(hashes[i]!, r);
    return Buffer.from(r);
  }
}
