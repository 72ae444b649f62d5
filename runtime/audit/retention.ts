/**
 * Retention: how long records of each event type and risk level are kept, and archival before
 * pruning. Pruning never breaks verification: a pruned record keeps its 32-byte leaf hash in the
 * log (so the chain and the Merkle tree of the remaining log still verify), and its body goes to
 * an archive file that carries a checkpoint signed just before pruning and, for each run of
 * archived records, the subtree hashes left and right of it — enough to verify the archive alone
 * against that checkpoint (see verify-export.ts).
 */
import { createHash } from "node:crypto";
import { closeSync, createWriteStream, fsyncSync, mkdirSync, openSync } from "node:fs";
import { join } from "node:path";
import canonicalizeModule from "canonicalize";
import { decomposition, rangeDecomposition } from "./compact-range.js";
import { AuditError } from "./errors.js";
import { encodeSeqs, entrySeqs } from "./postings.js";
import { indexKeys } from "./query.js";
import { decodeRecord } from "./record.js";
import type { AuditStorage, IndexKey, PrunedRange } from "./storage.js";
import type { AuditTrail } from "./trail.js";
import type { AuditRecord } from "./types.js";
import { ARCHIVE_FORMAT, type ArchiveHeader, type ArchiveRun } from "./verify-export.js";

const canonicalize = canonicalizeModule as unknown as (input: unknown) => string;
const DAY = 86_400_000;
/** EU AI Act Art. 19(1) / Art. 26(6): logs kept at least six months. */
export const MIN_DAYS = 183;

export interface RetentionRule {
  /** Event type, or a prefix ending in `*` (`approval.*`); absent: any type. */
  type?: string;
  /** Risk level; absent: any level (records without a risk match only rules without level). */
  level?: string;
  days: number;
}

export interface RetentionConfig {
  rules?: RetentionRule[];
  /** Days for records no rule matches (default 90). */
  defaultDays?: number;
}

export interface RetentionPlan {
  now: number;
  expired: number;
  runs: { from: number; to: number }[];
  warnings: string[];
}

export interface RetentionResult extends RetentionPlan {
  archive?: string;
  sha256?: string;
  checkpoint?: string;
}

export class RetentionPolicy {
  readonly rules: RetentionRule[];
  readonly defaultDays: number;

  constructor(config: RetentionConfig = {}) {
    this.rules = config.rules ?? [];
    this.defaultDays = config.defaultDays ?? 90;
    for (const r of [...this.rules, { days: this.defaultDays }]) {
      if (!(Number.isFinite(r.days) && r.days > 0)) {
        throw new AuditError("audit_bad_retention", {
          what: `\`days\` must be a positive number, got \`${r.days}\``,
        });
      }
    }
  }

  /** The default: critical and high risk 7 years, everything else 90 days. */
  static defaults(): RetentionPolicy {
    return new RetentionPolicy({
      rules: [
        { level: "critical", days: 7 * 365 },
        { level: "high", days: 7 * 365 },
      ],
      defaultDays: 90,
    });
  }

  /** Days `r` is kept: the longest of every matching rule (the default when none matches). */
  daysFor(r: Pick<AuditRecord, "type" | "risk">): number {
    let days: number | undefined;
    for (const rule of this.rules) {
      if (rule.type !== undefined) {
        const ok = rule.type.endsWith("*")
          ? r.type.startsWith(rule.type.slice(0, -1))
          : r.type === rule.type;
        if (!ok) continue;
      }
      if (rule.level !== undefined && r.risk?.level !== rule.level) continue;
      days = Math.max(days ?? 0, rule.days);
    }
    return days ?? this.defaultDays;
  }

  /** Warnings (Cedar style) for every retention shorter than six months. */
  warnings(): string[] {
    const out: string[] = [];
    const describe = (r: RetentionRule) =>
      [r.type && `type \`${r.type}\``, r.level && `level \`${r.level}\``]
        .filter(Boolean)
        .join(", ") || "any record";
    for (const r of this.rules) {
      if (r.days < MIN_DAYS) {
        out.push(
          `retention of ${r.days} days for ${describe(r)} is below the 6 months the EU AI Act requires`,
        );
      }
    }
    if (this.defaultDays < MIN_DAYS) {
      out.push(
        `default retention of ${this.defaultDays} days is below the 6 months the EU AI Act requires`,
      );
    }
    return out;
  }

  /** Which stored records have expired at `now`, as runs of consecutive seqs. */
  plan(trail: AuditTrail, now: number): RetentionPlan {
    const runs: { from: number; to: number }[] = [];
    let expired = 0;
    for (const { key, value } of trail.storage.records.getRange({})) {
      const r = decodeRecord(value);
      if (!r || r.type === "audit.retention_applied") continue;
      if (now - r.timestamp <= this.daysFor(r) * DAY) continue;
      expired++;
      const last = runs[runs.length - 1];
      if (last && last.to === key) last.to = key + 1;
      else runs.push({ from: key, to: key + 1 });
    }
    return { now, expired, runs, warnings: this.warnings() };
  }

  /**
   * Archives then prunes the expired records: signs a checkpoint, writes and fsyncs the archive in
   * `archiveDir`, replaces each expired record by its hash, drops its index entries, records the
   * pruned ranges and appends an `audit.retention_applied` event. `dryRun` only plans.
   */
  async apply(
    trail: AuditTrail,
    opts: { archiveDir: string; now?: number; dryRun?: boolean },
  ): Promise<RetentionResult> {
    const now = opts.now ?? Date.now();
    // every record to prune is indexed first, so its entries can be removed with it
    if (!opts.dryRun) await trail.flushIndex();
    const plan = this.plan(trail, now);
    if (opts.dryRun || plan.expired === 0) return plan;
    const { storage } = trail;
    const checkpoint = await trail.checkpoint();
    const size = Number(checkpoint.split("\n")[1]);
    const hex = (level: number, index: number) => storage.node(level, index)!.toString("hex");
    const runs: ArchiveRun[] = plan.runs.map(({ from, to }) => ({
      from,
      to,
      left: decomposition(from).map(({ level, index }) => ({
        level,
        index,
        hash: hex(level, index),
      })),
      right: rangeDecomposition(to, size).map(({ level, index }) => ({
        level,
        index,
        hash: hex(level, index),
      })),
    }));
    mkdirSync(opts.archiveDir, { recursive: true });
    const name = `audit-archive-${new Date(now).toISOString().replace(/[:.]/g, "-")}-${plan.runs[0]!.from}.jsonl`;
    const file = join(opts.archiveDir, name);
    const header: ArchiveHeader = {
      format: ARCHIVE_FORMAT,
      origin: trail.origin,
      checkpoint,
      runs,
      records: plan.expired,
      created: now,
    };
    const sha256 = await writeArchive(file, header, trail);

    const pruned: PrunedRange[] = [
      ...storage.pruned(),
      ...plan.runs.map((r) => ({ ...r, archive: name, sha256, at: now })),
    ];
    // one transaction: the ranges, the stubs and the index entries change together
    storage.env.transactionSync(() => {
      storage.meta.putSync("pruned", pruned);
      for (const run of plan.runs) {
        for (let seq = run.from; seq < run.to; seq++) {
          const v = storage.records.getBinary(seq);
          const r = v ? decodeRecord(v) : undefined;
          if (!v || !r) continue;
          storage.records.putSync(seq, Buffer.from(v.subarray(0, 32)));
          for (const key of indexKeys(r)) unindex(storage, key);
        }
      }
    });
    await trail.append({
      type: "audit.retention_applied",
      actor: { id: "paracle", kind: "system" },
      outcome: "success",
      timestamp: now,
      context: {
        archive: name,
        sha256,
        records: plan.expired,
        runs: plan.runs.length,
        checkpoint_size: size,
      },
    });
    return { ...plan, archive: file, sha256, checkpoint };
  }
}

/** Streams the archive to `file`, fsyncs it, returns its SHA-256 (hex). */
async function writeArchive(
  file: string,
  header: ArchiveHeader,
  trail: AuditTrail,
): Promise<string> {
  const out = createWriteStream(file, { flags: "wx" });
  const digest = createHash("sha256");
  const write = (s: string) =>
    new Promise<void>((resolve, reject) => {
      digest.update(s);
      if (out.write(s)) resolve();
      else out.once("drain", resolve).once("error", reject);
    });
  await write(`${JSON.stringify(header)}\n`);
  for (const run of header.runs) {
    for (const { value } of trail.storage.records.getRange({ start: run.from, end: run.to })) {
      const r = decodeRecord(value);
      if (r) await write(`${canonicalize(r)}\n`);
    }
  }
  await new Promise<void>((resolve, reject) => {
    out.end(() => resolve());
    out.once("error", reject);
  });
  // durable before anything is pruned
  const fd = openSync(file, "r");
  fsyncSync(fd);
  closeSync(fd);
  return digest.digest("hex");
}

/** Removes `key`'s seq from the posting-list entry that lists it (see postings.ts). */
function unindex(storage: AuditStorage, key: IndexKey): void {
  const [tag, value, seq] = key;
  for (const entry of storage.index.getRange({ start: key, reverse: true, limit: 1 })) {
    if (entry.key[0] !== tag || entry.key[1] !== value) return;
    const seqs = entrySeqs(entry.key, entry.value);
    const kept = seqs.filter((s) => s !== seq);
    if (kept.length === seqs.length) return;
    storage.index.removeSync(entry.key);
    if (kept.length > 0) storage.index.putSync([tag, value, kept[0]!], encodeSeqs(kept));
  }
}
