/**
 * Offline verification of an exported file (JSON or JSONL export, or a retention archive)
 * against a signed checkpoint and a public key — what a third party runs, with no access to the
 * LMDB file. Streams the file line by line; memory is O(log n) besides one record.
 *
 * - JSON/JSONL export: records must start at seq 0; the root of the first `checkpoint.size`
 *   records must equal the checkpoint's root.
 * - Archive (first line `{"format":"paracle-audit-archive/1",…}`): each run [from, to) of
 *   archived records is completed with the stored subtrees left and right of it, and must hash to
 *   the root of the checkpoint in the archive (taken just before pruning).
 */

import type { KeyObject } from "node:crypto";
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import canonicalizeModule from "canonicalize";
import { verifyCheckpoint } from "./checkpoint.js";
import { CompactRange, rootFromNodes, type TreeNode } from "./compact-range.js";
import { leafHash } from "./merkle.js";
import { GENESIS_HASH } from "./record.js";
import type { AuditRecord, VerifyReport } from "./types.js";
import { ProblemList } from "./verify.js";

const canonicalize = canonicalizeModule as unknown as (input: unknown) => string;

export const ARCHIVE_FORMAT = "paracle-audit-archive/1";

export interface ArchiveRun {
  from: number;
  to: number;
  /** The compact range of [0, from) — complete subtrees, hex hashes. */
  left: { level: number; index: number; hash: string }[];
  /** Complete subtrees covering [to, size). */
  right: { level: number; index: number; hash: string }[];
}

export interface ArchiveHeader {
  format: typeof ARCHIVE_FORMAT;
  origin: string;
  checkpoint: string;
  runs: ArchiveRun[];
  records: number;
  created: number;
}

export interface VerifyExportOptions {
  /** Signed checkpoint note; optional for an archive (which embeds one). */
  checkpoint?: string;
  publicKey: string | KeyObject;
  keyName?: string;
}

const toNodes = (xs: ArchiveRun["left"]): TreeNode[] =>
  xs.map((x) => ({ level: x.level, index: x.index, hash: Buffer.from(x.hash, "hex") }));

/** Verifies the export or archive at `file`. */
export async function verifyExport(file: string, opts: VerifyExportOptions): Promise<VerifyReport> {
  const t0 = performance.now();
  const problems = new ProblemList();
  const lines = createInterface({
    input: createReadStream(file, "utf8"),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  let header: ArchiveHeader | undefined;
  let note = opts.checkpoint;
  let runs: ArchiveRun[] = [];
  let run: ArchiveRun | undefined;
  const visited = new Set<number>();
  let range = new CompactRange();
  let expected = 0;
  let prevHash: string | undefined = GENESIS_HASH;
  let checked = 0;
  let checkpointsChecked = 0;
  let lineNo = 0;
  let cp: { size: number; root: Buffer } | undefined;
  const useCheckpoint = (n: string) => {
    try {
      cp = verifyCheckpoint(n, opts.publicKey, opts.keyName);
    } catch (err) {
      problems.add("bad-signature", 0, "verify_signature", {
        size: 0,
        name: opts.keyName ?? (err instanceof Error ? err.message : String(err)),
      });
    }
  };
  const closeRun = () => {
    if (!run || !cp) return;
    checkpointsChecked++;
    let root: Buffer;
    try {
      root = Buffer.from(rootFromNodes([...range.nodes, ...toNodes(run.right)], cp.size));
    } catch {
      root = Buffer.alloc(32);
    }
    if (!root.equals(cp.root)) {
      problems.add(
        "modified",
        run.from,
        "verify_root",
        {
          size: cp.size,
          actual: root.toString("base64"),
          expected: cp.root.toString("base64"),
          from: run.from,
          to: run.to - 1,
        },
        [run.from, run.to - 1],
      );
    }
  };
  if (note) useCheckpoint(note);

  for await (let line of lines) {
    lineNo++;
    line = line.trim();
    if (line === "" || line === "[" || line === "]") continue;
    if (line.endsWith(",")) line = line.slice(0, -1);
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line);
    } catch {
      problems.add("modified", expected, "verify_modified", {
        actual: `line ${lineNo}`,
        expected: "JSON",
      });
      continue;
    }
    if (lineNo === 1 && obj.format === ARCHIVE_FORMAT) {
      header = obj as unknown as ArchiveHeader;
      runs = header.runs;
      note ??= header.checkpoint;
      if (!opts.checkpoint) useCheckpoint(header.checkpoint);
      continue;
    }
    const r = obj as unknown as AuditRecord;
    const { hash, ...body } = r;
    const actual = leafHash(Buffer.from(canonicalize(body), "utf8"));
    if (typeof r.seq !== "number") continue;
    if (header) {
      // archive: records come in runs; a new run restarts the range from its left subtrees
      if (!run || r.seq >= run.to) {
        closeRun();
        run = runs.find((x) => r.seq >= x.from && r.seq < x.to);
        if (!run) {
          problems.add("inserted", r.seq, "verify_inserted", { next: r.seq, prev: r.seq - 1 });
          continue;
        }
        visited.add(run.from);
        range = new CompactRange(run.from, toNodes(run.left));
        expected = run.from;
        prevHash = undefined;
      }
    }
    if (r.seq !== expected) {
      if (r.seq > expected) problems.add("missing", expected, "verify_missing", { next: r.seq });
      else problems.add("reordered", expected, "verify_reordered", { found: r.seq });
      prevHash = undefined;
      if (r.seq < expected) continue;
      expected = r.seq;
    }
    checked++;
    if (actual.toString("hex") !== hash) {
      problems.add("modified", r.seq, "verify_modified", {
        actual: actual.toString("hex"),
        expected: String(hash),
      });
    } else if (prevHash !== undefined && r.prev_hash !== prevHash) {
      problems.add("modified", Math.max(r.seq - 1, 0), "verify_chain", {
        seq: r.seq,
        prev: r.seq - 1,
        actual: String(r.prev_hash),
        expected: prevHash,
      });
    }
    prevHash = String(hash);
    if (range.size === r.seq) range.push(Buffer.from(String(hash), "hex"));
    expected = r.seq + 1;
    if (!header && cp && range.size === cp.size) {
      checkpointsChecked++;
      const root = Buffer.from(range.root());
      if (!root.equals(cp.root)) {
        problems.add(
          "modified",
          0,
          "verify_root",
          {
            size: cp.size,
            actual: root.toString("base64"),
            expected: cp.root.toString("base64"),
            from: 0,
            to: cp.size - 1,
          },
          [0, cp.size - 1],
        );
      }
    }
  }
  if (header) {
    closeRun();
    for (const x of runs) {
      if (!visited.has(x.from)) problems.add("missing", x.from, "verify_missing", { next: x.to });
    }
    if (run && expected < run.to) {
      problems.add("truncated", expected, "verify_truncated", {
        size: expected,
        checkpoint: "archive",
        covered: run.to,
      });
    }
  } else if (cp && range.size < cp.size) {
    problems.add("truncated", range.size, "verify_truncated", {
      size: range.size,
      checkpoint: "given",
      covered: cp.size,
    });
  }
  const list = problems.sorted();
  const report: VerifyReport = {
    ok: list.length === 0 && cp !== undefined,
    size: expected,
    checked,
    pruned: 0,
    root: Buffer.from(range.root()).toString("hex"),
    checkpointsChecked,
    problems: list,
    ms: performance.now() - t0,
  };
  if (list[0]) report.firstBad = list[0];
  return report;
}
