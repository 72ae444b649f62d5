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
 */

import type { KeyObject } from "node:crypto";
import { type Checkpoint, parseCheckpoint, verifyCheckpoint } from "./checkpoint.js";
import { formatMessage } from "./errors.js";
import { storedLeafHash } from "./fast-hash.js";
import type { MessageCode } from "./messages.js";
import { GENESIS_HASH } from "./record.js";
import { hexEquals, scanned, scanRecord } from "./scan.js";
import type { AuditStorage, PrunedRange } from "./storage.js";
import type { ProblemKind, VerifyProblem, VerifyReport } from "./types.js";
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
  readonly items: { problem: VerifyProblem; range?: [number, number] }[] = [];
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
    this.items.push(range ? { problem, range } : { problem });
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

export class IntegrityVerifier {
  constructor(readonly storage: AuditStorage) {}

  async verify(opts: VerifyOptions = {}): Promise<VerifyReport> {
    const t0 = performance.now();
    const { storage } = this;
    const problems = new ProblemList(opts.maxProblems ?? 100);
    const checkpoints = this.#checkpoints(opts, problems);
    const pruned = storage.pruned();
    const total = storage.size();
    const tree = new TreeCheck(storage);
    let expected = 0;
    // Stored hashes of records n−1 and n−2 (undefined after a gap: nothing to link to).
    let prevHash: Buffer | undefined = GENESIS;
    let prevPrevHash: Buffer | undefined;
    let treeBroken = false;
    let checked = 0;
    let prunedCount = 0;
    let checkpointsChecked = 0;
    let lastGood = 0;

    for (const { key, value } of storage.records.getRange({})) {
      if (key !== expected) {
        problems.add("missing", expected, "verify_missing", { next: key });
        prevHash = undefined;
        prevPrevHash = undefined;
        treeBroken = true;
        expected = key;
      }
      // value = stored hash (32 B) ‖ canonical bytes; read in place, without subarrays.
      if (value.length > 32) {
        checked++;
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
        prunedCount++;
        if (!inPruned(pruned, key)) problems.add("missing", key, "verify_stub_modified", {});
      }
      // Continue the chain and the tree with the stored hash (see the module comment).
      prevPrevHash = prevHash;
      prevHash = value;
      expected = key + 1;
      if (!treeBroken) {
        tree.push(value.length === 32 ? value : value.subarray(0, 32), problems);
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
    opts.onProgress?.(expected, total);
    const list = problems.sorted();
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
