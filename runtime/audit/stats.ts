/**
 * Log statistics. Without a time filter they are read from the secondary indexes' keys alone
 * (no record is decoded); with one, the records of the time-index range are counted.
 */
import { entrySeqs } from "./postings.js";
import { indexSeqs, unindexedRecords } from "./query.js";
import { decodeRecord } from "./record.js";
import type { AuditStorage, IndexKey } from "./storage.js";
import type { AuditRecord } from "./types.js";

export interface AuditStats {
  total: number;
  pruned: number;
  first?: number;
  last?: number;
  byType: Record<string, number>;
  byOutcome: Record<string, number>;
  byLevel: Record<string, number>;
  topActors: { id: string; count: number }[];
  topActions: { action: string; count: number }[];
}

const TOP = 10;
const MAX = Number.MAX_SAFE_INTEGER;

function bump(m: Map<string, number>, k: string, n = 1): void {
  m.set(k, (m.get(k) ?? 0) + n);
}

function top(m: Map<string, number>): [string, number][] {
  return [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, TOP);
}

const obj = (m: Map<string, number>) => Object.fromEntries([...m].sort());

export function computeStats(
  storage: AuditStorage,
  filter: { from?: number; to?: number } = {},
): AuditStats {
  const byType = new Map<string, number>();
  const byOutcome = new Map<string, number>();
  const byLevel = new Map<string, number>();
  const actors = new Map<string, number>();
  const actions = new Map<string, number>();
  let total = 0;
  let first: number | undefined;
  let last: number | undefined;
  const count = (r: AuditRecord) => {
    total++;
    bump(byType, r.type);
    bump(byOutcome, r.outcome);
    if (r.risk) bump(byLevel, r.risk.level);
    bump(actors, r.actor.id);
    if (r.action !== undefined) bump(actions, r.action);
  };
  if (filter.from === undefined && filter.to === undefined) {
    const indexed = storage.indexedUpTo();
    const scan = (tag: string, into: Map<string, number>) => {
      for (const { key, value } of storage.index.getRange({
        start: [tag, ""],
        end: [tag, "\uffff"],
      })) {
        let n = 0;
        for (const seq of entrySeqs(key, value)) if (seq < indexed) n++;
        if (n > 0) bump(into, String(key[1]), n);
      }
    };
    scan("y", byType);
    scan("o", byOutcome);
    scan("l", byLevel);
    scan("a", actors);
    scan("c", actions);
    for (const n of byType.values()) total += n;
    for (const key of storage.index.getKeys({ start: ["t", -MAX], end: ["t", MAX], limit: 1 }))
      first = key[1] as number;
    for (const key of storage.index.getKeys({
      start: ["t", MAX],
      end: ["t", -MAX],
      reverse: true,
      limit: 1,
    })) {
      last = key[1] as number;
    }
    for (const r of unindexedRecords(storage, indexed)) {
      count(r);
      if (first === undefined || r.timestamp < first) first = r.timestamp;
      if (last === undefined || r.timestamp > last) last = r.timestamp;
    }
  } else {
    const start: IndexKey = ["t", filter.from ?? -Number.MAX_SAFE_INTEGER, 0];
    const end: IndexKey = ["t", filter.to ?? Number.MAX_SAFE_INTEGER, 0];
    const inRange = (r: AuditRecord) =>
      (filter.from === undefined || r.timestamp >= filter.from) &&
      (filter.to === undefined || r.timestamp < filter.to);
    for (const seq of indexSeqs(storage, start, end, inRange)) {
      const v = storage.records.getBinary(seq);
      const r: AuditRecord | undefined = v ? decodeRecord(v) : undefined;
      if (!r) continue;
      count(r);
      if (first === undefined || r.timestamp < first) first = r.timestamp;
      if (last === undefined || r.timestamp > last) last = r.timestamp;
    }
  }
  const stats: AuditStats = {
    total,
    pruned: storage.pruned().reduce((n, r) => n + (r.to - r.from), 0),
    byType: obj(byType),
    byOutcome: obj(byOutcome),
    byLevel: obj(byLevel),
    topActors: top(actors).map(([id, count]) => ({ id, count })),
    topActions: top(actions).map(([action, count]) => ({ action, count })),
  };
  if (first !== undefined) stats.first = first;
  if (last !== undefined) stats.last = last;
  return stats;
}
