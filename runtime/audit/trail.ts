/**
 * The audit trail: a single writer appending to an LMDB {@link AuditStorage} with group commit.
 *
 * Invariants:
 * - `append` assigns seq, prev_hash and the Merkle subtrees synchronously, in call order, and
 *   queues the record; the queue is committed as one synchronous LMDB transaction on the next
 *   loop turn (group commit, see `#commitBatch`). The returned promise resolves after that
 *   transaction committed (`flushed`: and was synced); batches commit in order, so a resolved
 *   append implies every earlier append is committed too.
 * - A batch is written only if the log on disk ends right before it, so a second writer process
 *   on the same directory is detected instead of forking the log.
 * - A failed commit makes the trail unhealthy: in-memory state (size, compact range) may be ahead
 *   of the disk, so every later append is refused until the trail is reopened.
 * - A checkpoint is signed only after the records it covers are synced to disk.
 * - Index entries and subtrees lag: the postings and completed subtrees of appended records
 *   accumulate in memory and are written with a group commit once {@link INDEX_BATCH_RECORDS}
 *   are pending, or on their own at most {@link INDEX_MAX_DELAY_MS} after the first one (and on
 *   close), together with `meta.indexed`. Readers scan the records past `meta.indexed` (see
 *   query.ts) and compute the subtrees ending past it (storage.ts), so nothing committed is
 *   missed; a crash loses only derived data, which `open` rebuilds from the records. At one call
 *   at a time this leaves one write (the record) in the commit every call waits for.
 */

import type { KeyObject } from "node:crypto";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { ABORT } from "lmdb";
import { type Clock, systemClock } from "../clock.js";
import { type Checkpoint, signCheckpoint, toPrivateKey, toPublicKey } from "./checkpoint.js";
import type { CompactRange, TreeNode } from "./compact-range.js";
import { AuditError } from "./errors.js";
import { acquireWriterLock, assertUnlocked } from "./lock.js";
import { auditPath, consistencyPath } from "./merkle.js";
import { PostingBuilder } from "./postings.js";
import {
  type AuditQuery,
  forEachIndexKey,
  type PageRequest,
  type QueryPage,
  runQuery,
} from "./query.js";
import { encodeRecord, GENESIS_HASH, validateInput } from "./record.js";
import { type AuditStats, computeStats } from "./stats.js";
import { AuditStorage, isStoredLevel } from "./storage.js";
import type { AuditEventInput, AuditRecord, AuditSink, Durability, VerifyReport } from "./types.js";
import { IntegrityVerifier, type VerifyOptions } from "./verify.js";

/** Pending index postings are written with the next group commit once this many are pending. */
export const INDEX_BATCH_RECORDS = 1024;
/** ...and at the latest this long after the first pending one. */
export const INDEX_MAX_DELAY_MS = 10;

export interface AuditTrailOptions {
  /** Directory of the LMDB environment (created if missing). */
  path: string;
  durability?: Durability;
  /** Ed25519 private key (PEM) signing checkpoints. */
  signingKey?: string | KeyObject;
  /** Signed-note key name; defaults to the origin. */
  keyName?: string;
  /** Checkpoint origin line; defaults to `paracle.audit/<random log id>` chosen at creation. */
  origin?: string;
  clock?: Clock;
  /**
   * Sign a checkpoint every so often when the log grew, and a last one on close (0 or absent:
   * only on demand).
   */
  checkpointIntervalMs?: number;
  /**
   * Open an existing log for reading only (verify, search, stats, export): nothing is written,
   * not even the index catch-up, so it works beside a running writer and on read-only media.
   */
  readOnly?: boolean;
  /**
   * Take the log's writer lock (default true; see lock.ts): a second process opening the log
   * for writing is refused with `audit_locked` instead of forking it. `false` is for tools that
   * do not append (signing a checkpoint beside a running sidecar); their appends are refused
   * while another process holds the lock.
   */
  lock?: boolean;
}

/**
 * The appends queued for the next group commit, as parallel arrays (no object per append): the
 * LMDB values and stored records in seq order, the subtrees they completed, their index entries
 * and the callers' promise settlers. `done` settles after the batch's appends have settled.
 */
class Batch {
  first = -1;
  /** `performance.now()` at the batch's first append. */
  startedAt = 0;
  readonly values: Buffer[] = [];
  readonly records: AuditRecord[] = [];
  readonly resolvers: ((r: AuditRecord) => void)[] = [];
  readonly rejecters: ((e: Error) => void)[] = [];
  readonly done: Promise<void>;
  settle!: () => void;

  constructor() {
    this.done = new Promise((resolve) => {
      this.settle = resolve;
    });
  }
}

// The batch `enqueue` adds to: set right before each `new Promise(enqueue)`, so the executor is
// one shared function instead of a closure per append (executors run synchronously).
let filling: Batch | undefined;
function enqueue(resolve: (r: AuditRecord) => void, reject: (e: Error) => void): void {
  filling!.resolvers.push(resolve);
  filling!.rejecters.push(reject);
}

export class AuditTrail implements AuditSink {
  readonly storage: AuditStorage;
  readonly origin: string;
  readonly #clock: Clock;
  readonly #key: KeyObject | undefined;
  readonly #keyName: string;
  #range: CompactRange;
  #prevHash: string;
  #failure: Error | undefined;
  #closed = false;
  #last: Promise<unknown> = Promise.resolve();
  #batch: Batch | undefined;
  /** Postings and completed subtrees of every record appended from seq `#postingsFrom` on. */
  #postings = new PostingBuilder();
  #nodes: TreeNode[] = [];
  #postingsFrom: number;
  #indexTimer: NodeJS.Timeout | undefined;
  #indexDue = false;
  readonly #addPosting = (tag: string, value: string | number, seq: number): void =>
    this.#postings.add(tag, value, seq);
  #timer: NodeJS.Timeout | undefined;
  #lastCheckpointSize: number;
  /** Releases the writer lock (undefined: opened without it, or read-only). */
  #release: (() => void) | undefined;
  /**
   * Called after each group commit with its number of records and how long its first record
   * waited from `append` to committed (ms): the audit lag every call waits for (metrics).
   */
  onCommit: ((records: number, waitMs: number) => void) | undefined = undefined;

  private constructor(storage: AuditStorage, opts: AuditTrailOptions, origin: string) {
    this.storage = storage;
    this.origin = origin;
    this.#clock = opts.clock ?? systemClock;
    this.#key = opts.signingKey ? toPrivateKey(opts.signingKey) : undefined;
    this.#keyName = opts.keyName ?? origin;
    const size = storage.size();
    this.#range = storage.compactRange(size);
    this.#prevHash = size === 0 ? GENESIS_HASH : storage.leafHash(size - 1)!.toString("hex");
    this.#postingsFrom = size;
    this.#lastCheckpointSize = storage.latestCheckpoint()?.size ?? 0;
  }

  /** Opens (or creates) the log at `opts.path` and resumes after its last committed record. */
  static async open(opts: AuditTrailOptions): Promise<AuditTrail> {
    if (opts.readOnly) {
      if (!existsSync(join(opts.path, "data.mdb")))
        throw new AuditError("audit_no_log", { path: opts.path });
      const storage = AuditStorage.open(opts.path, { readOnly: true });
      return new AuditTrail(storage, opts, storage.origin() ?? "");
    }
    mkdirSync(opts.path, { recursive: true });
    const release = opts.lock === false ? undefined : acquireWriterLock(opts.path);
    let storage: AuditStorage;
    try {
      storage = AuditStorage.open(opts.path, { durability: opts.durability ?? "committed" });
    } catch (e) {
      release?.();
      throw e;
    }
    let origin = storage.origin();
    if (!origin) {
      origin = opts.origin ?? `paracle.audit/${randomBytes(8).toString("hex")}`;
      await storage.meta.put("origin", origin);
      await storage.meta.put("format", "paracle-audit/1");
    }
    // a new log, or one written before the index lagged (fully indexed): from now on the
    // watermark is what tells readers where the unindexed tail starts, even after a crash
    if (storage.meta.get("indexed") === undefined)
      await storage.meta.put("indexed", storage.size());
    const trail = new AuditTrail(storage, opts, origin);
    trail.#release = release;
    // postings lost with a crashed writer are rebuilt from the records
    if (storage.indexedUpTo(trail.size) < trail.size) trail.#commitIndex();
    const every = opts.checkpointIntervalMs ?? 0;
    if (every > 0 && trail.#key) {
      trail.#timer = setInterval(() => {
        if (trail.size > trail.#lastCheckpointSize && trail.healthy) {
          trail.checkpoint().catch(() => {});
        }
      }, every);
      trail.#timer.unref();
    }
    return trail;
  }

  /** Records appended so far (committed or in flight). */
  get size(): number {
    return this.#range.size;
  }

  /** False after a failed write (see the class invariants) or once closed. */
  get healthy(): boolean {
    return !this.#failure && !this.#closed;
  }

  get durability(): Durability {
    return this.storage.durability;
  }

  /** The signing key's public half, if a signing key is configured. */
  get publicKey(): KeyObject | undefined {
    return this.#key ? toPublicKey(this.#key) : undefined;
  }

  get keyName(): string {
    return this.#keyName;
  }

  /**
   * Appends one event; resolves with the stored record once its transaction committed (see
   * {@link Durability}). Rejects with `audit_invalid_event` (nothing written) or, after a
   * failed write, `audit_unhealthy`.
   */
  append(event: AuditEventInput): Promise<AuditRecord> {
    try {
      if (this.#closed) throw new AuditError("audit_closed");
      if (this.storage.readOnly)
        throw new AuditError("audit_read_only", { path: this.storage.path, what: "no appends" });
      if (!this.#release) assertUnlocked(this.storage.path, "this trail did not take the lock");
      if (this.#failure) throw new AuditError("audit_unhealthy", { cause: this.#failure.message });
      validateInput(event);
      const seq = this.#range.size;
      const enc = encodeRecord(event, seq, event.timestamp ?? this.#clock.now(), this.#prevHash);
      let batch = this.#batch;
      if (!batch) {
        batch = new Batch();
        batch.first = seq;
        batch.startedAt = performance.now();
        this.#batch = batch;
        this.#last = batch.done;
        setImmediate(this.#commitBatch);
      }
      this.#range.pushInto(enc.hash, this.#nodes);
      this.#prevHash = enc.record.hash;
      batch.values.push(enc.value);
      batch.records.push(enc.record);
      forEachIndexKey(enc.record, this.#addPosting);
      this.#indexTimer ??= setTimeout(this.#indexDeadline, INDEX_MAX_DELAY_MS).unref();
      filling = batch;
      return new Promise<AuditRecord>(enqueue);
    } catch (err) {
      return Promise.reject(err);
    }
  }

  /**
   * Group commit: writes every append queued since the last batch in ONE synchronous LMDB
   * transaction, then settles their promises. Scheduled with `setImmediate`, so a lone append
   * commits on the next loop turn and the appends issued by every callback of one I/O phase
   * share a commit. The transaction first checks that the log on disk ends exactly before the
   * batch (LMDB's writer lock makes the check atomic with the writes): another writer process
   * aborts the batch and turns the trail unhealthy instead of forking the log.
   */
  readonly #commitBatch = (): void => {
    const batch = this.#batch;
    if (!batch) return;
    this.#batch = undefined;
    const { env, records } = this.storage;
    const first = batch.first;
    const end = first + batch.values.length;
    const withIndex = this.#indexDue || end - this.#postingsFrom >= INDEX_BATCH_RECORDS;
    let found = first;
    let error: Error | undefined;
    try {
      env.transactionSync(() => {
        // the log on disk ends right before the batch: two point reads (keys are never deleted;
        // a range cursor for the last key costs several times more on every commit)
        if (records.doesExist(first) || (first > 0 && !records.doesExist(first - 1))) {
          found = this.storage.size();
          return ABORT;
        }
        const { values } = batch;
        for (let i = 0; i < values.length; i++) records.putSync(first + i, values[i]!);
        if (withIndex) this.#writeIndex(end);
        return undefined;
      });
      if (found !== first) {
        error = new AuditError("audit_other_writer", {
          path: this.storage.path,
          expected: first,
          found,
        });
      }
    } catch (err) {
      const e = err instanceof Error ? err : new Error(String(err));
      error = new AuditError("audit_unhealthy", { cause: e.message });
      this.#fail(e);
    }
    if (error) {
      this.#fail(error);
      for (const reject of batch.rejecters) reject(error);
    } else {
      if (withIndex) this.#indexed(end);
      const { records: recs, resolvers } = batch;
      for (let i = 0; i < resolvers.length; i++) resolvers[i]!(recs[i]!);
      this.onCommit?.(recs.length, performance.now() - batch.startedAt);
    }
    batch.settle();
  };

  /**
   * Writes the index entries and completed subtrees of the records [meta.indexed, end) and moves
   * `meta.indexed` to `end`; runs inside a write transaction. The pending ones are used when they
   * start where the stored ones end; otherwise (this writer just opened after a crash, or another
   * process caught up meanwhile) they are rebuilt from the stored records.
   */
  #writeIndex(end: number): void {
    const { index, meta, tree } = this.storage;
    const from = this.storage.indexedUpTo(end);
    if (from >= end) return;
    let postings = this.#postings;
    let nodes = this.#nodes;
    if (from !== this.#postingsFrom) {
      postings = new PostingBuilder();
      nodes = [];
      const add = (tag: string, value: string | number, seq: number) =>
        postings.add(tag, value, seq);
      const range = this.storage.compactRange(from);
      for (let seq = from; seq < end; seq++) {
        range.pushInto(this.storage.leafHash(seq)!, nodes);
        const r = this.storage.get(seq);
        if (r) forEachIndexKey(r, add);
      }
    }
    for (const n of nodes)
      if (isStoredLevel(n.level)) tree.putSync([n.level, n.index], n.hash as Buffer);
    for (const { key, value } of postings.entries()) index.putSync(key, value);
    meta.putSync("indexed", end);
  }

  /** After a commit that wrote the index up to `end` (every appended record so far). */
  #indexed(end: number): void {
    this.#postings = new PostingBuilder();
    this.#nodes = [];
    this.#postingsFrom = end;
    this.#indexDue = false;
    if (this.#indexTimer) clearTimeout(this.#indexTimer);
    this.#indexTimer = undefined;
  }

  /**
   * The pending postings are due: they ride on the queued group commit if there is one (its
   * records are in them), else they are written on their own now.
   */
  readonly #indexDeadline = (): void => {
    this.#indexTimer = undefined;
    if (this.#batch) this.#indexDue = true;
    else if (this.healthy) this.#commitIndex();
  };

  /** Writes the pending index entries in their own transaction (no batch may be queued). */
  #commitIndex(): void {
    const end = this.#range.size;
    try {
      this.storage.env.transactionSync(() => this.#writeIndex(end));
      this.#indexed(end);
    } catch {
      // the records are committed; the postings stay pending and are retried with the next
      // commit (readers scan the unindexed tail meanwhile)
      this.#indexDue = true;
    }
  }

  #fail(err: Error): void {
    this.#failure ??= err;
  }

  /** Resolves once every append issued so far has settled. */
  async drain(): Promise<void> {
    await this.#last;
  }

  /** MTH of the first `size` records (default: all appended). */
  root(size = this.size): Uint8Array {
    if (size === this.size) return this.#range.root();
    return this.storage.compactRange(size).root();
  }

  /** RFC 9162 inclusion proof of record `seq` in the tree of `size` records (O(log² n) reads). */
  inclusionProof(seq: number, size = this.size): Uint8Array[] {
    if (seq < 0 || seq >= size || size > this.size)
      throw new RangeError(`no record ${seq} in size ${size}`);
    return auditPath(this.storage.nodeSource(), seq, 0, size);
  }

  /** RFC 9162 consistency proof between the first `m` and first `n` records. */
  consistencyProof(m: number, n = this.size): Uint8Array[] {
    if (m < 0 || m > n || n > this.size)
      throw new RangeError(`no consistency proof for ${m}..${n}`);
    return consistencyPath(this.storage.nodeSource(), m, n);
  }

  /**
   * Signs and stores a checkpoint of everything appended so far, once those records are synced
   * to disk; returns the signed note.
   */
  async checkpoint(): Promise<string> {
    if (!this.#key) throw new AuditError("audit_no_signing_key");
    if (this.storage.readOnly)
      throw new AuditError("audit_read_only", { path: this.storage.path, what: "no checkpoints" });
    const range = this.#range.clone();
    await this.drain();
    if (this.#failure) throw new AuditError("audit_unhealthy", { cause: this.#failure.message });
    await this.storage.fsync();
    const cp: Checkpoint = {
      origin: this.origin,
      size: range.size,
      root: Buffer.from(range.root()),
      timestamp: this.#clock.now(),
    };
    const note = signCheckpoint(cp, this.#key, this.#keyName);
    await this.storage.checkpoints.put(cp.size, note);
    if (this.durability === "flushed") await this.storage.env.flushed;
    this.#lastCheckpointSize = Math.max(this.#lastCheckpointSize, cp.size);
    return note;
  }

  /**
   * How far the derived data trails the records: records not yet in the search index (they
   * follow within `INDEX_MAX_DELAY_MS`) and records not yet covered by a signed checkpoint (all
   * of them without a signing key).
   */
  lag(): { unindexed: number; uncheckpointed: number } {
    const size = this.size;
    return {
      unindexed: size - Math.min(size, this.storage.indexedUpTo(size)),
      uncheckpointed: size - Math.min(size, this.#lastCheckpointSize),
    };
  }

  /** Walks the whole log; see {@link IntegrityVerifier}. */
  async verify(opts: VerifyOptions = {}): Promise<VerifyReport> {
    await this.drain();
    const publicKey = opts.publicKey ?? this.publicKey;
    return new IntegrityVerifier(this.storage).verify({
      ...opts,
      ...(publicKey ? { publicKey, keyName: opts.keyName ?? this.#keyName } : {}),
    });
  }

  /** Writes the pending index entries now (after the queued appends committed). */
  async flushIndex(): Promise<void> {
    if (this.storage.readOnly) return;
    await this.drain();
    if (this.healthy && this.storage.indexedUpTo(this.size) < this.size) this.#commitIndex();
  }

  async query(filter: AuditQuery = {}, page?: PageRequest): Promise<QueryPage> {
    return runQuery(this.storage, filter, page);
  }

  async stats(filter: { from?: number; to?: number } = {}): Promise<AuditStats> {
    return computeStats(this.storage, filter);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    const signing = this.#timer !== undefined;
    if (this.#timer) clearInterval(this.#timer);
    await this.flushIndex();
    // signing on an interval: a last checkpoint covers the records since the previous one
    if (signing && this.healthy && this.size > this.#lastCheckpointSize) {
      try {
        await this.checkpoint();
      } catch {
        // the records are committed; the next interval after reopening covers them
      }
    }
    if (this.#indexTimer) clearTimeout(this.#indexTimer);
    this.#closed = true;
    await this.storage.close();
    this.#release?.();
  }
}
