/**
 * Verification of an audit log in LMDB: one walk in seq order that recomputes every record hash
 * (SHA-256(0x00 ‖ stored canonical bytes)), the hash chain, the stored Merkle subtrees and the
 * root at every checkpoint (whose Ed25519 signatures it checks), and classifies what it finds at
 * the first bad sequence number:
 *
 * - modified: a record's bytes no longer hash to its stored hash, or the stored hash of record n−1
 *   is not the prev_hash of record n (the hash was rewritten), or a subtree / checkpoint root
 *   differs from the records' (the chain was rebuilt: located to the range since the last good one);
 * - missing: a seq has no entry, or a body was removed outside an archived (pruned) range;
 * - reordered: the entry at seq n holds the record numbered m ≠ n;
 * - inserted: record n+1 links to record n−1, so record n was not written by the log;
 * - truncated: a checkpoint covers more records than the log holds.
 *
 * The chain and the tree are continued with the *stored* hashes, so one bad record is reported
 * once instead of breaking everything after it.
 *
 * The walk has two independent sides that read the same records: the record side (hashes, seq,
 * chain: verify-records.ts) and the tree side (subtrees, checkpoint roots: here and
 * verify-tree.ts). Small logs run both in one loop; from `parallelFrom` records the record side
 * runs on a worker thread and its problems are merged back in walk order (per key: record side,
 * then tree side), so the report is the one the single loop would give.
 */

import type { KeyObject } from "node:crypto";
import { Worker } from "node:worker_threads";
import { type Checkpoint, parseCheckpoint, verifyCheckpoint } from "./checkpoint.js";
import { formatMessage } from "./errors.js";
import type { MessageCode } from "./messages.js";
import type { AuditStorage } from "./storage.js";
import type { ProblemKind, VerifyProblem, VerifyReport } from "./types.js";
import {
  checkRecords,
  ownHash,
  RecordChecker,
  type RecordResult,
  recordsView,
} from "./verify-records.js";
import { TreeCheck } from "./verify-tree.js";

export interface VerifyOptions {
  /** Ed25519 public key (PEM or KeyObject) the checkpoints must be signed with. */
  publicKey?: string | KeyObject;
  /** Signed-note key name (default: each checkpoint's origin). */
  keyName?: string;
  /** An externally kept checkpoint (signed note) the log must still extend. */
  fromCheckpoint?: string;
  /** Stop collecting after this many problems (default 100). */
  maxProblems?: number;
  onProgress?: (done: number, total: number) => void;
}

interface KnownCheckpoint {
  size: number;
  root: Buffer;
  source: string;
}

/** Collects problems and keeps the earliest. */
export class ProblemList {
  readonly items: { problem: VerifyProblem; at: number; range?: [number, number] }[] = [];
  /** The key of the record being checked; stamped on each problem (orders merged lists). */
  at = -1;
  constructor(readonly max = 100) {}

  /**
   * `range` marks a problem that only locates the change within [from, to] (a subtree or a
   * checkpoint root); it is dropped when a precisely located problem falls in that range.
   */
  add(
    kind: ProblemKind,
    seq: number,
    code: MessageCode,
    args: Record<string, string | number>,
    range?: [number, number],
  ): void {
    if (this.items.length >= this.max) return;
    const problem = { kind, seq, message: formatMessage(code, { seq, ...args }) };
    const at = this.at;
    this.items.push(range ? { problem, at, range } : { problem, at });
  }

  /**
   * The list a single walk would have collected when, for each key, it added `first`'s problems
   * of that key and then `second`'s (each list holds its own earliest `max`, so the merged
   * earliest `max` are exact).
   */
  static merge(
    max: number,
    first: ProblemList["items"],
    second: ProblemList["items"],
  ): ProblemList {
    const out = new ProblemList(max);
    let i = 0;
    let j = 0;
    while (out.items.length < max && (i < first.length || j < second.length)) {
      const a = first[i];
      const b = second[j];
      if (a && (!b || a.at <= b.at)) {
        out.items.push(a);
        i++;
      } else if (b) {
        out.items.push(b);
        j++;
      }
    }
    return out;
  }

  sorted(): VerifyProblem[] {
    const precise = this.items.filter((x) => !x.range).map((x) => x.problem.seq);
    const explained = (r: [number, number]) => precise.some((s) => s >= r[0] && s <= r[1]);
    return this.items
      .filter((x) => !x.range || !explained(x.range))
      .map((x, i) => ({ p: x.problem, i }))
      .sort((a, b) => a.p.seq - b.p.seq || a.i - b.i)
      .map((x) => x.p);
  }
}

/** Runs the record side of a walk over [start, end) (on a worker thread by default). */
export type RecordRunner = (
  storage: AuditStorage,
  start: number,
  end: number,
  max: number,
) => Promise<RecordResult>;

/** Internal tuning of {@link IntegrityVerifier} (tests use it to run the split walk inline). */
export interface VerifierTuning {
  /** Logs with at least this many records split the walk over two threads (default 50,000). */
  parallelFrom?: number;
  /**
   * Share of the records whose record side the worker checks (the tail; default 0.6): the main
   * thread checks the head's records and the whole tree, and the worker starts cold.
   */
  workerShare?: number;
  /** Runs the record side; default: a worker thread (compiled build only), else inline. */
  recordRunner?: RecordRunner;
}

/** The record side on the same thread (used for small logs and where no worker can start). */
export const inlineRecords: RecordRunner = async (storage, start, end, max) =>
  checkRecords(storage, start, end, new ProblemList(max));

// The worker is compiled JS; under a TypeScript runner (tests) this module is .ts: run inline.
const WORKER_URL = import.meta.url.endsWith(".js")
  ? new URL("./verify-worker.js", import.meta.url)
  : undefined;

/** The record side on a worker thread, falling back to inline if the worker fails to run. */
export const workerRecords: RecordRunner = (storage, start, end, max) => {
  if (!WORKER_URL) return inlineRecords(storage, start, end, max);
  return new Promise<RecordResult>((resolve) => {
    const worker = new Worker(WORKER_URL, {
      workerData: {
        path: storage.path,
        durability: storage.durability,
        readOnly: storage.readOnly,
        start,
        end,
        max,
      },
    });
    let settled = false;
    const fallback = () => {
      if (settled) return;
      settled = true;
      resolve(inlineRecords(storage, start, end, max));
    };
    worker.once("message", (r: RecordResult) => {
      settled = true;
      resolve(r);
    });
    worker.once("error", fallback);
    worker.once("exit", fallback);
  });
};

export class IntegrityVerifier {
  readonly #parallelFrom: number;
  readonly #recordRunner: RecordRunner;
  readonly #workerShare: number;

  constructor(
    readonly storage: AuditStorage,
    tuning: VerifierTuning = {},
  ) {
    this.#parallelFrom = tuning.parallelFrom ?? 50_000;
    this.#recordRunner = tuning.recordRunner ?? workerRecords;
    this.#workerShare = tuning.workerShare ?? 0.6;
  }

  async verify(opts: VerifyOptions = {}): Promise<VerifyReport> {
    const t0 = performance.now();
    const { storage } = this;
    const max = opts.maxProblems ?? 100;
    // Tree-side problems (and checkpoint signatures, before any record: at = −1).
    const problems = new ProblemList(max);
    const checkpoints = this.#checkpoints(opts, problems);
    const total = storage.size();
    // Split walk: the record side (hashes, chain) of the tail [mid, total) on a worker; the head's
    // record side and the whole tree side here. Both cover the records [0, total) only (appends
    // during the walk are not covered, as with a single snapshot).
    const mid = total >= this.#parallelFrom ? Math.floor(total * (1 - this.#workerShare)) : total;
    const tail = mid < total ? this.#recordRunner(storage, mid, total, max) : undefined;
    const recordProblems = tail ? new ProblemList(max) : problems;
    const rc = new RecordChecker(recordProblems, storage.pruned());
    const tree = new TreeCheck(storage);
    let expected = 0;
    let treeBroken = false;
    let checkpointsChecked = 0;
    let lastGood = 0;

    // Values are transient views (recordsView): each is reduced to a copy of its stored hash.
    for (const { key, value } of recordsView(storage).getRange({ end: total })) {
      const stored = key < mid ? rc.step(key, value) : ownHash(value);
      problems.at = key;
      if (key !== expected) treeBroken = true;
      expected = key + 1;
      if (!treeBroken) {
        tree.push(stored, problems);
        const cps = checkpoints.get(tree.size);
        if (cps) {
          const root = tree.root();
          for (const cp of cps) {
            checkpointsChecked++;
            if (!root.equals(cp.root)) {
              problems.add(
                "modified",
                lastGood,
                "verify_root",
                {
                  size: cp.size,
                  actual: root.toString("base64"),
                  expected: cp.root.toString("base64"),
                  from: lastGood,
                  to: cp.size - 1,
                },
                [lastGood, cp.size - 1],
              );
            } else {
              lastGood = cp.size;
            }
          }
        }
      }
      if (opts.onProgress && (key & 0xffff) === 0) opts.onProgress(key, total);
    }
    problems.at = Number.POSITIVE_INFINITY;
    for (const [size, cps] of checkpoints) {
      if (size > expected) {
        for (const cp of cps) {
          problems.add("truncated", expected, "verify_truncated", {
            size: expected,
            checkpoint: cp.source,
            covered: size,
          });
        }
      }
    }
    let checked = rc.checked;
    let prunedCount = rc.pruned;
    let all = problems;
    if (tail) {
      const r = await tail;
      checked += r.checked;
      prunedCount += r.pruned;
      // Signature problems (at −1) come first either way; per key, record before tree problems.
      const records = [...recordProblems.items, ...r.items];
      all = ProblemList.merge(max, records, problems.items);
    }
    opts.onProgress?.(expected, total);
    const list = all.sorted();
    const report: VerifyReport = {
      ok: list.length === 0,
      size: expected,
      checked,
      pruned: prunedCount,
      root: Buffer.from(treeBroken ? storage.compactRange(0).root() : tree.root()).toString("hex"),
      checkpointsChecked,
      problems: list,
      ms: performance.now() - t0,
    };
    if (list[0]) report.firstBad = list[0];
    return report;
  }

  /** Stored checkpoints (and the external one), signatures checked when a key is given. */
  #checkpoints(opts: VerifyOptions, problems: ProblemList): Map<number, KnownCheckpoint[]> {
    const out = new Map<number, KnownCheckpoint[]>();
    const add = (note: string, source: string, external: boolean) => {
      let cp: Checkpoint;
      try {
        cp = opts.publicKey
          ? verifyCheckpoint(note, opts.publicKey, opts.keyName)
          : parseCheckpoint(note).checkpoint;
      } catch (err) {
        let size = 0;
        try {
          size = parseCheckpoint(note).checkpoint.size;
        } catch {}
        problems.add("bad-signature", size, "verify_signature", {
          size,
          name: opts.keyName ?? (err instanceof Error ? err.message : String(err)),
        });
        return;
      }
      const origin = this.storage.origin();
      if (!external && origin && cp.origin !== origin) {
        problems.add("bad-signature", cp.size, "verify_signature", {
          size: cp.size,
          name: cp.origin,
        });
        return;
      }
      const list = out.get(cp.size) ?? [];
      list.push({ size: cp.size, root: cp.root, source });
      out.set(cp.size, list);
    };
    for (const { key, value } of this.storage.checkpoints.getRange({}))
      add(value, `#${key}`, false);
    if (opts.fromCheckpoint) add(opts.fromCheckpoint, "given", true);
    return out;
  }
}
