/**
 * The LMDB layout of an audit log (one LMDB environment, a directory):
 *
 * | db            | key                       | value                                        |
 * |---------------|---------------------------|----------------------------------------------|
 * | `records`     | seq                       | leaf hash (32 B) ‖ canonical JSON; stub = hash only once pruned |
 * | `tree`        | [level, index], level 4, 8, … | hash of the complete subtree of 2^level leaves from index·2^level |
 * | `index`       | [tag, value, seq]         | empty — secondary indexes (see query.ts)     |
 * | `checkpoints` | tree size                 | signed note text                             |
 * | `meta`        | name                      | JSON (`origin`, `pruned` ranges, `format`)   |
 *
 * The records of one group commit are written in one transaction, so the log on disk is always a
 * consistent prefix: size = last record key + 1. Index entries and subtrees follow in larger
 * batches (see `AuditTrail`): `meta.indexed` is the first seq whose index entries and completed
 * subtrees may not be stored yet. Readers of the index also read the records from there to the
 * end (the unindexed tail), so queries stay exact; a subtree ending past it is computed from
 * the leaves when absent (at most the few thousand records of the lag).
 *
 * Only the subtrees of every {@link TREE_STRIDE}th level are stored (one per 16 records instead of
 * one per record: the tree was a third of the puts of an append); the levels between are computed
 * from the stored level below or the leaves, at most 2^(TREE_STRIDE−1) reads per node asked. Logs
 * written while every level was stored read (and verify) as before.
 */
import { closeSync, fsyncSync, openSync } from "node:fs";
import { join } from "node:path";
import { type Database, open, type RootDatabase } from "lmdb";
import { CompactRange, decomposition, type TreeNode } from "./compact-range.js";
import { fastNodeHash } from "./fast-hash.js";
import type { NodeSource } from "./merkle.js";
import { decodeRecord, splitValue } from "./record.js";
import type { AuditRecord, Durability } from "./types.js";

export type IndexKey = [string, string | number, number];

/** Subtrees are stored at the levels that are multiples of this (see the module comment). */
export const TREE_STRIDE = 4;

/** Whether the subtrees of `level` (≥ 1) are stored once indexed. */
export const isStoredLevel = (level: number): boolean => level % TREE_STRIDE === 0;

/** A range of sequence numbers [from, to) whose bodies were archived to `archive` and pruned. */
export interface PrunedRange {
  from: number;
  to: number;
  archive: string;
  sha256: string;
  at: number;
}

export interface StorageOptions {
  durability?: Durability;
  readOnly?: boolean;
}

/** The LMDB storage of one audit log. Reads are synchronous; writes are issued by the writer. */
export class AuditStorage {
  readonly path: string;
  readonly env: RootDatabase;
  readonly records: Database<Buffer, number>;
  readonly tree: Database<Buffer, [number, number]>;
  readonly index: Database<Buffer, IndexKey>;
  readonly checkpoints: Database<string, number>;
  readonly meta: Database<unknown, string>;
  readonly durability: Durability;
  readonly readOnly: boolean;

  private constructor(path: string, opts: StorageOptions) {
    this.path = path;
    this.durability = opts.durability ?? "committed";
    this.readOnly = opts.readOnly ?? false;
    // committed: MDB_NOSYNC — commits reach the OS page cache (survive a process crash);
    // flushed: LMDB's synchronous commit — mdb_txn_commit returns after fsync. lmdb-js's
    // default `overlappingSync` would return before the sync (and its `flushed` promise does not
    // track synchronous transactions), so it is turned off.
    this.env = open({
      path,
      maxDbs: 8,
      noSync: this.durability === "committed",
      overlappingSync: false,
      readOnly: this.readOnly,
      mapSize: 2 ** 34,
    });
    this.records = this.env.openDB({ name: "records", encoding: "binary" });
    this.tree = this.env.openDB({ name: "tree", encoding: "binary" });
    this.index = this.env.openDB({ name: "index", encoding: "binary" });
    this.checkpoints = this.env.openDB({ name: "checkpoints", encoding: "string" });
    this.meta = this.env.openDB({ name: "meta", encoding: "json" });
  }

  static open(path: string, opts: StorageOptions = {}): AuditStorage {
    return new AuditStorage(path, opts);
  }

  /** Number of leaves (records and pruned stubs) — last key + 1. */
  size(): number {
    for (const key of this.records.getKeys({ reverse: true, limit: 1 })) return key + 1;
    return 0;
  }

  /**
   * First seq the index entries do not cover yet (`meta.indexed`, written in the transaction
   * that writes the entries). Logs written before the index lagged have no such key and are
   * fully indexed.
   */
  indexedUpTo(size = this.size()): number {
    const v = this.meta.get("indexed");
    return typeof v === "number" ? Math.min(v, size) : size;
  }

  /** The stored leaf hash of `seq` (undefined when absent). */
  leafHash(seq: number): Buffer | undefined {
    const v = this.records.getBinary(seq);
    return v ? Buffer.from(splitValue(v).hash) : undefined;
  }

  /**
   * Hash of a complete subtree; level 0 is the record's leaf hash. A subtree of a stored level
   * (see {@link isStoredLevel}) that ends before `meta.indexed` must be stored (a missing one is
   * undefined: the log was damaged); any other is read if present (logs that stored every level)
   * and otherwise computed from its children. Undefined for a subtree past the end of the log.
   */
  node(level: number, index: number, indexed?: number): Buffer | undefined {
    const size = this.size();
    return this.#node(level, index, indexed ?? this.indexedUpTo(size), size);
  }

  #node(level: number, index: number, upTo: number, size: number): Buffer | undefined {
    if (level === 0) return index < size ? this.leafHash(index) : undefined;
    const v = this.tree.getBinary([level, index]);
    if (v) return Buffer.from(v);
    const end = (index + 1) * 2 ** level;
    if (end > size || (end <= upTo && isStoredLevel(level))) return undefined;
    const left = this.#node(level - 1, 2 * index, upTo, size);
    const right = left && this.#node(level - 1, 2 * index + 1, upTo, size);
    return left && right ? fastNodeHash(left, right) : undefined;
  }

  /** A NodeSource over the stored tree (throws when a node is missing). */
  nodeSource(): NodeSource {
    const size = this.size();
    const indexed = this.indexedUpTo(size);
    return (level, index) => {
      const h = this.#node(level, index, indexed, size);
      if (!h) throw new RangeError(`merkle node (${level}, ${index}) is missing`);
      return h;
    };
  }

  /** The compact range of the first `size` leaves, from stored subtrees. */
  compactRange(size: number): CompactRange {
    const src = this.nodeSource();
    const nodes: TreeNode[] = decomposition(size).map(({ level, index }) => ({
      level,
      index,
      hash: src(level, index),
    }));
    return new CompactRange(size, nodes);
  }

  get(seq: number): AuditRecord | undefined {
    const v = this.records.getBinary(seq);
    return v ? decodeRecord(v) : undefined;
  }

  origin(): string | undefined {
    return this.meta.get("origin") as string | undefined;
  }

  pruned(): PrunedRange[] {
    return (this.meta.get("pruned") as PrunedRange[] | undefined) ?? [];
  }

  /** Latest stored checkpoint note, if any. */
  latestCheckpoint(): { size: number; note: string } | undefined {
    for (const { key, value } of this.checkpoints.getRange({ reverse: true, limit: 1 })) {
      return { size: key, note: value };
    }
    return undefined;
  }

  /**
   * fsyncs the data file so everything committed so far survives a power loss (used before
   * signing a checkpoint in `committed` mode, where commits are not synced).
   */
  async fsync(): Promise<void> {
    await this.env.flushed;
    const fd = openSync(join(this.path, "data.mdb"), "r+");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  async close(): Promise<void> {
    await this.env.close();
  }
}
