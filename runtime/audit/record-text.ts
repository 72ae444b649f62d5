/**
 * RFC 8785 text of a record body, written member by member in the canonical (sorted) order of
 * the record's fixed field names with direct property reads — the hot path of every append.
 * Same output as `jcs(body)` for the objects `recordBody` builds (property test in jcs.test.ts
 * against the `canonicalize` package): members whose value is `undefined` or a symbol are left
 * out, `actor`/`risk`/`policy` are written by shape when they are plain objects, anything else
 * goes through {@link jcs}.
 */
import { jcs, quote } from "./jcs.js";
import type { AuditRecord } from "./types.js";

type Body = Omit<AuditRecord, "hash">;

const absent = (v: unknown) => v === undefined || typeof v === "symbol";
const text = (v: unknown) => (typeof v === "string" ? quote(v) : jcs(v));
const plain = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Appends `"name":value` to `out` (with a separating comma unless `out` is just `{`). */
function member(out: string, prefix: string, v: unknown): string {
  if (absent(v)) return out;
  return `${out}${out.length > 1 ? "," : ""}${prefix}${text(v)}`;
}

function actorText(a: Record<string, unknown>): string {
  let out = "{";
  out = member(out, '"id":', a.id);
  out = member(out, '"kind":', a.kind);
  return `${out}}`;
}

function riskText(r: Record<string, unknown>): string {
  let out = "{";
  out = member(out, '"level":', r.level);
  out = member(out, '"score":', r.score);
  return `${out}}`;
}

function policyText(p: Record<string, unknown>): string {
  let out = "{";
  out = member(out, '"bundle":', p.bundle);
  out = member(out, '"decision":', p.decision);
  out = member(out, '"matched":', p.matched);
  return `${out}}`;
}

function nested(
  out: string,
  prefix: string,
  v: unknown,
  write: (o: Record<string, unknown>) => string,
): string {
  if (absent(v)) return out;
  const t = plain(v) ? write(v) : jcs(v);
  return `${out}${out.length > 1 ? "," : ""}${prefix}${t}`;
}

/** The canonical text of `b`; throws `TypeError` on a value JSON cannot represent. */
export function writeRecordText(b: Body): string {
  let out = "{";
  out = member(out, '"action":', b.action);
  out = nested(out, '"actor":', b.actor, actorText);
  out = member(out, '"context":', b.context);
  out = member(out, '"correlation_id":', b.correlation_id);
  out = member(out, '"outcome":', b.outcome);
  out = nested(out, '"policy":', b.policy, policyText);
  out = member(out, '"prev_hash":', b.prev_hash);
  out = member(out, '"resource":', b.resource);
  out = nested(out, '"risk":', b.risk, riskText);
  out = member(out, '"seq":', b.seq);
  out = member(out, '"session_id":', b.session_id);
  out = member(out, '"timestamp":', b.timestamp);
  out = member(out, '"type":', b.type);
  out = member(out, '"v":', b.v);
  out = member(out, '"workflow_id":', b.workflow_id);
  return `${out}}`;
}
