/**
 * Streaming exports. Records are read lazily from LMDB (an ordered cursor, or the time index
 * with `since`), formatted one at a time and written with backpressure, so memory stays constant
 * whatever the log size. A progress bar is drawn only when the progress stream is a terminal.
 */
import { Readable, type Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { AuditError } from "../errors.js";
import { indexSeqs } from "../query.js";
import { decodeRecord } from "../record.js";
import type { AuditStorage } from "../storage.js";
import type { AuditRecord } from "../types.js";
import { cef } from "./cef.js";
import { csv } from "./csv.js";
import { ecs } from "./ecs.js";
import type { ExportFormat, FormatOptions } from "./format.js";
import { json, jsonl } from "./json.js";
import { leef } from "./leef.js";
import { ocsf } from "./ocsf.js";
import { syslog } from "./syslog.js";

export const EXPORT_FORMATS = [
  "json",
  "jsonl",
  "csv",
  "cef",
  "leef",
  "syslog",
  "ocsf",
  "ecs",
] as const;
export type ExportFormatName = (typeof EXPORT_FORMATS)[number];

export function exportFormat(name: string, opts: FormatOptions = {}): ExportFormat {
  switch (name) {
    case "json":
      return json;
    case "jsonl":
      return jsonl;
    case "csv":
      return csv;
    case "cef":
      return cef(opts);
    case "leef":
      return leef(opts);
    case "syslog":
      return syslog(opts);
    case "ocsf":
      return ocsf(opts);
    case "ecs":
      return ecs(opts);
    default:
      throw new AuditError("audit_unknown_format", {
        format: name,
        formats: EXPORT_FORMATS.join(", "),
      });
  }
}

export interface ExportOptions extends FormatOptions {
  format: string;
  /** Only records with timestamp ≥ since (ms); read through the time index. */
  since?: number;
  /** Only records with timestamp < until (ms). */
  until?: number;
  /** First sequence number (default 0). */
  fromSeq?: number;
  /** Where to draw progress; drawn only if it is a TTY (default: process.stderr). */
  progress?: NodeJS.WriteStream | false;
}

/** A line of the form `[#####.....] 42% 4200/10000` redrawn in place. */
function progressBar(stream: NodeJS.WriteStream | false, total: number) {
  const out = stream || undefined;
  if (!out?.isTTY || total === 0) return { tick: () => {}, done: () => {} };
  let last = -1;
  const draw = (n: number) => {
    const pct = Math.floor((n / total) * 100);
    if (pct === last) return;
    last = pct;
    const fill = Math.round(pct / 4);
    out.write(`\r[${"#".repeat(fill)}${".".repeat(25 - fill)}] ${pct}% ${n}/${total}`);
  };
  return { tick: draw, done: () => out.write(`\r${" ".repeat(60)}\r`) };
}

export class AuditExporter {
  constructor(readonly storage: AuditStorage) {}

  /** The records selected by `opts`, lazily, in seq (or, with since/until, time) order. */
  *records(opts: Pick<ExportOptions, "since" | "until" | "fromSeq">): Generator<AuditRecord> {
    const { storage } = this;
    if (opts.since !== undefined || opts.until !== undefined) {
      const start = ["t", opts.since ?? -Number.MAX_SAFE_INTEGER, 0] as [string, number, number];
      const end = ["t", opts.until ?? Number.MAX_SAFE_INTEGER, 0] as [string, number, number];
      const inRange = (r: AuditRecord) =>
        (opts.since === undefined || r.timestamp >= opts.since) &&
        (opts.until === undefined || r.timestamp < opts.until);
      for (const seq of indexSeqs(storage, start, end, inRange)) {
        if (seq < (opts.fromSeq ?? 0)) continue;
        const r = storage.get(seq);
        if (r) yield r;
      }
      return;
    }
    for (const { value } of storage.records.getRange({ start: opts.fromSeq ?? 0 })) {
      const r = decodeRecord(value);
      if (r) yield r;
    }
  }

  /** The export as text chunks (one per record, plus header and footer). */
  *chunks(opts: ExportOptions): Generator<string> {
    const format = exportFormat(opts.format, opts);
    if (format.header) yield format.header();
    let first = true;
    for (const r of this.records(opts)) {
      yield format.record(r, first);
      first = false;
    }
    if (format.footer) yield format.footer();
  }

  /** Streams the export into `out`; resolves with the number of records written. */
  async export(out: Writable, opts: ExportOptions): Promise<number> {
    exportFormat(opts.format, opts); // fail before writing anything
    const bar = progressBar(opts.progress ?? process.stderr, this.storage.size());
    let n = 0;
    const self = this;
    function* counted(): Generator<string> {
      for (const chunk of self.chunks(opts)) {
        n++;
        if ((n & 1023) === 0) bar.tick(n);
        yield chunk;
      }
    }
    await pipeline(Readable.from(counted(), { objectMode: false }), out);
    bar.done();
    const format = exportFormat(opts.format, opts);
    return n - (format.header ? 1 : 0) - (format.footer ? 1 : 0);
  }
}
