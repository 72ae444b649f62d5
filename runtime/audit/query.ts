/**
 * Secondary indexes and queries. Each record gets index keys [tag, value, seq] in the `index`
 * db, grouped per commit into posting lists (see postings.ts); a query scans the range of ONE index (the most selective filter given, by the order of
 * {@link PLAN}) and checks the remaining filters on the records it fetches. Only a query with no
 * indexed filter at all walks the records in seq order. Pages continue from an opaque cursor: the
 * last index key visited.
 *
 * The index lags the records by up to a few milliseconds (see trail.ts): every index scan takes
 * only the seqs below `meta.indexed` (read once, before the scan) and then walks the records
 * from there on (the unindexed tail), so each committed record is considered exactly once.
 */
import { AuditError } from "./errors.js";
import { entrySeqs } from "./postings.js";
import { decodeRecord } from "./record.js";
import type { AuditStorage, IndexKey } from "./storage.js";
import type { AuditEventType, AuditOutcome, AuditRecord } from "./types.js";

export interface AuditQuery {
  /** ms since epoch, inclusive. */
  from?: number;
  /** ms since epoch, exclusive. */
  to?: number;
  actor?: string;
  action?: string;
  type?: AuditEventType;
  outcome?: AuditOutcome;
  riskMin?: number;
  riskMax?: number;
  level?: string;
  /** A policy id among `policy.matched`. */
  policy?: string;
  correlation_id?: string;
}

export interface PageRequest {
  limit?: number;
  cursor?: string;
}

export interface QueryPage {
  records: AuditRecord[];
  next?: string;
  /** The index the query scanned (`seq` when none applied). */
  index: string;
}

/** Index values longer than this are cut; queries re-check the exact field. */
const MAX_VALUE = 200;
const MAX_SEQ = Number.MAX_SAFE_INTEGER;

export const INDEX_TAGS = {
  time: "t",
  type: "y",
  actor: "a",
  action: "c",
  outcome: "o",
  risk: "r",
  level: "l",
  policy: "p",
  correlation: "x",
} as const;

const cut = (s: string) => (s.length > MAX_VALUE ? s.slice(0, MAX_VALUE) : s);

/** Every index key of `r`. */
export function indexKeys(r: AuditRecord): IndexKey[] {
  const keys: IndexKey[] = [];
  forEachIndexKey(r, (tag, value, seq) => keys.push([tag, value, seq]));
  return keys;
}

/** Calls `add` with every index key of `r` (the keys {@link indexKeys} lists, no arrays built). */
export function forEachIndexKey(
  r: AuditRecord,
  add: (tag: string, value: string | number, seq: number) => void,
): void {
  const seq = r.seq;
  add("t", r.timestamp, seq);
  add("y", r.type, seq);
  add("a", cut(r.actor.id), seq);
  add("o", r.outcome, seq);
  if (r.action !== undefined) add("c", cut(r.action), seq);
  if (r.risk !== undefined) {
    add("r", r.risk.score, seq);
    add("l", cut(r.risk.level), seq);
  }
  if (r.policy !== undefined) {
    const matched = r.policy.matched;
    if (matched.length === 1) add("p", cut(matched[0]!), seq);
    else for (const id of new Set(matched)) add("p", cut(id), seq);
  }
  if (r.correlation_id !== undefined) add("x", cut(r.correlation_id), seq);
}

/** Whether `r` satisfies every filter of `q`. */
export function matches(r: AuditRecord, q: AuditQuery): boolean {
  if (q.from !== undefined && r.timestamp < q.from) return false;
  if (q.to !== undefined && r.timestamp >= q.to) return false;
  if (q.actor !== undefined && r.actor.id !== q.actor) return false;
  if (q.action !== undefined && r.action !== q.action) return false;
  if (q.type !== undefined && r.type !== q.type) return false;
  if (q.outcome !== undefined && r.outcome !== q.outcome) return false;
  if (q.level !== undefined && r.risk?.level !== q.level) return false;
  if (q.riskMin !== undefined && !(r.risk && r.risk.score >= q.riskMin)) return false;
  if (q.riskMax !== undefined && !(r.risk && r.risk.score <= q.riskMax)) return false;
  if (q.policy !== undefined && !r.policy?.matched.includes(q.policy)) return false;
  if (q.correlation_id !== undefined && r.correlation_id !== q.correlation_id) return false;
  return true;
}

interface Scan {
  tag: string;
  start: IndexKey;
  end: IndexKey;
}

/** Equality filters first (most selective in practice), then the ranges. */
const PLAN: { field: keyof AuditQuery; tag: string }[] = [
  { field: "correlation_id", tag: "x" },
  { field: "policy", tag: "p" },
  { field: "actor", tag: "a" },
  { field: "action", tag: "c" },
  { field: "level", tag: "l" },
  { field: "type", tag: "y" },
  { field: "outcome", tag: "o" },
];

/** The index range a query scans, or undefined for a walk in seq order. */
export function planQuery(q: AuditQuery): Scan | undefined {
  for (const { field, tag } of PLAN) {
    const v = q[field];
    if (typeof v === "string") {
      const value = cut(v);
      return { tag, start: [tag, value, 0], end: [tag, value, MAX_SEQ] };
    }
  }
  if (q.riskMin !== undefined || q.riskMax !== undefined) {
    return {
      tag: "r",
      start: ["r", q.riskMin ?? -MAX_SEQ, 0],
      end: ["r", q.riskMax ?? MAX_SEQ, MAX_SEQ],
    };
  }
  if (q.from !== undefined || q.to !== undefined) {
    return { tag: "t", start: ["t", q.from ?? -MAX_SEQ, 0], end: ["t", q.to ?? MAX_SEQ, 0] };
  }
  return undefined;
}

function encodeCursor(key: unknown): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

function decodeCursor(cursor: string): unknown {
  try {
    return JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
  } catch {
    throw new AuditError("audit_bad_cursor", { cursor });
  }
}

/** Runs `q` against `storage`, one page at a time. */
export function runQuery(storage: AuditStorage, q: AuditQuery, page: PageRequest = {}): QueryPage {
  const limit = Math.max(1, Math.min(page.limit ?? 100, 10_000));
  const plan = planQuery(q);
  const records: AuditRecord[] = [];
  if (!plan) {
    let start = 0;
    if (page.cursor !== undefined) {
      const c = decodeCursor(page.cursor);
      if (typeof c !== "number") throw new AuditError("audit_bad_cursor", { cursor: page.cursor });
      start = c + 1;
    }
    let last = -1;
    for (const seq of storage.records.getKeys({ start })) {
      const r = storage.get(seq);
      last = seq;
      if (r && matches(r, q)) records.push(r);
      if (records.length === limit) break;
    }
    return records.length === limit
      ? { records, next: encodeCursor(last), index: "seq" }
      : { records, index: "seq" };
  }
  const indexed = storage.indexedUpTo();
  let start: IndexKey = plan.start;
  // Resuming: the entry the last page stopped in and the last seq taken from it, or the last
  // seq of the unindexed tail (`[TAIL, seq]`).
  let resume: { key: IndexKey; seq: number } | undefined;
  let tailFrom = indexed;
  let inTail = false;
  if (page.cursor !== undefined) {
    const c = decodeCursor(page.cursor);
    if (Array.isArray(c) && c.length === 2 && c[0] === TAIL && typeof c[1] === "number") {
      inTail = true;
      tailFrom = Math.max(indexed, c[1] + 1);
    } else if (
      !Array.isArray(c) ||
      c[0] !== plan.tag ||
      c.length !== 4 ||
      typeof c[3] !== "number"
    ) {
      throw new AuditError("audit_bad_cursor", { cursor: page.cursor });
    } else {
      resume = { key: [c[0], c[1], c[2]] as IndexKey, seq: c[3] };
      start = resume.key;
    }
  }
  let last: unknown;
  if (!inTail) {
    outer: for (const { key, value } of storage.index.getRange({ start, end: plan.end })) {
      const skipTo =
        resume && key[1] === resume.key[1] && key[2] === resume.key[2] ? resume.seq : -1;
      for (const seq of entrySeqs(key, value)) {
        if (seq <= skipTo || seq >= indexed) continue;
        last = [key[0], key[1], key[2], seq];
        const r = storage.get(seq);
        if (r && matches(r, q)) records.push(r);
        if (records.length === limit) break outer;
      }
    }
  }
  if (records.length < limit) {
    for (const r of unindexedRecords(storage, tailFrom)) {
      last = [TAIL, r.seq];
      if (matches(r, q)) records.push(r);
      if (records.length === limit) break;
    }
  }
  return records.length === limit && last
    ? { records, next: encodeCursor(last), index: plan.tag }
    : { records, index: plan.tag };
}

/** First element of a cursor that continues in the unindexed tail. */
const TAIL = "~tail";

/** The stored records from `from` on, in seq order (pruned stubs skipped). */
export function* unindexedRecords(storage: AuditStorage, from: number): Generator<AuditRecord> {
  for (const { value } of storage.records.getRange({ start: from })) {
    const r = decodeRecord(value);
    if (r) yield r;
  }
}

/**
 * The seqs listed by the index entries in [start, end), in key order, then those of the
 * unindexed tail whose record `tail` accepts, in seq order.
 */
export function* indexSeqs(
  storage: AuditStorage,
  start: IndexKey,
  end: IndexKey,
  tail: (r: AuditRecord) => boolean,
): Generator<number> {
  const indexed = storage.indexedUpTo();
  for (const { key, value } of storage.index.getRange({ start, end })) {
    for (const seq of entrySeqs(key, value)) if (seq < indexed) yield seq;
  }
  for (const r of unindexedRecords(storage, indexed)) if (tail(r)) yield r.seq;
}
