/**
 * Record encoding. The hashed bytes of a record are its RFC 8785 (JCS) canonical JSON with every
 * field except `hash` — so `seq`, `timestamp` and `prev_hash` are covered — and the record hash is
 * the RFC 9162 leaf hash SHA-256(0x00 ‖ bytes). The same bytes are the Merkle leaf data, so a
 * record exported as JSON can be re-hashed and proven by anyone with a JCS implementation.
 *
 * Stored LMDB value: hash (32 bytes) ‖ canonical bytes. A pruned record keeps only its 32-byte hash.
 */
import { AuditError } from "./errors.js";
import { storedLeafHash } from "./fast-hash.js";
import { jcs } from "./jcs.js";
import { writeRecordText } from "./record-text.js";
import {
  AUDIT_EVENT_TYPES,
  AUDIT_OUTCOMES,
  type AuditEventInput,
  type AuditRecord,
} from "./types.js";

/** prev_hash of record 0: 32 zero bytes, hex. */
export const GENESIS_HASH = "0".repeat(64);

const TYPES = new Set<string>(AUDIT_EVENT_TYPES);
const OUTCOMES = new Set<string>(AUDIT_OUTCOMES);
const KINDS = new Set(["agent", "user", "system"]);

/** Throws {@link AuditError} `audit_invalid_event` when the input breaks the contract. */
export function validateInput(e: AuditEventInput): void {
  const bad = (what: string) => {
    throw new AuditError("audit_invalid_event", { what });
  };
  if (typeof e !== "object" || e === null) bad("event must be an object");
  if (!TYPES.has(e.type)) bad(`unknown event type \`${String(e.type)}\``);
  if (typeof e.actor !== "object" || e.actor === null || typeof e.actor.id !== "string") {
    bad("`actor.id` must be a string");
  }
  if (!KINDS.has(e.actor.kind)) bad(`unknown actor kind \`${String(e.actor.kind)}\``);
  if (!OUTCOMES.has(e.outcome)) bad(`unknown outcome \`${String(e.outcome)}\``);
  if (e.risk !== undefined && !Number.isFinite(e.risk?.score)) bad("`risk.score` must be a number");
  if (e.timestamp !== undefined && !Number.isSafeInteger(e.timestamp)) {
    bad("`timestamp` must be an integer number of milliseconds");
  }
}

/** The record without `hash`, with only the fields present in the input (absent ≠ null). */
export function recordBody(
  e: AuditEventInput,
  seq: number,
  timestamp: number,
  prevHash: string,
): Omit<AuditRecord, "hash"> {
  const r: Omit<AuditRecord, "hash"> = {
    v: 1,
    seq,
    timestamp,
    type: e.type,
    actor: { id: e.actor.id, kind: e.actor.kind },
    outcome: e.outcome,
    prev_hash: prevHash,
  };
  if (e.action !== undefined) r.action = e.action;
  if (e.resource !== undefined) r.resource = e.resource;
  if (e.risk !== undefined) r.risk = { score: e.risk.score, level: e.risk.level };
  if (e.policy !== undefined) {
    r.policy = {
      decision: e.policy.decision,
      matched: [...e.policy.matched],
      bundle: e.policy.bundle,
    };
  }
  if (e.context !== undefined) r.context = e.context;
  if (e.correlation_id !== undefined) r.correlation_id = e.correlation_id;
  if (e.session_id !== undefined) r.session_id = e.session_id;
  if (e.workflow_id !== undefined) r.workflow_id = e.workflow_id;
  return r;
}

/** RFC 8785 canonical UTF-8 bytes of `body`; throws `audit_invalid_event` on non-JSON values. */
export function canonicalBytes(body: unknown): Buffer {
  return Buffer.from(canonicalText(body, jcs), "utf8");
}

/** RFC 8785 text of a record body built by {@link recordBody} (same bytes as `canonicalBytes`). */
export function recordText(body: Omit<AuditRecord, "hash">): string {
  return canonicalText(body, (b) => writeRecordText(b as Omit<AuditRecord, "hash">));
}

function canonicalText(body: unknown, write: (b: unknown) => string): string {
  try {
    return write(body);
  } catch (err) {
    throw new AuditError("audit_invalid_event", {
      what: `the event is not JSON: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
}

export interface EncodedRecord {
  record: AuditRecord;
  hash: Buffer;
  /** hash ‖ bytes, the LMDB value. */
  value: Buffer;
}

export function encodeRecord(
  e: AuditEventInput,
  seq: number,
  timestamp: number,
  prevHash: string,
): EncodedRecord {
  const body = recordBody(e, seq, timestamp, prevHash);
  const text = recordText(body);
  // One allocation: the LMDB value hash ‖ bytes, the hash written in place once computed.
  const value = Buffer.allocUnsafe(32 + Buffer.byteLength(text, "utf8"));
  value.write(text, 32, "utf8");
  const hash = storedLeafHash(value);
  value.set(hash, 0);
  const record = body as AuditRecord;
  record.hash = hash.toString("hex");
  return { record, hash, value };
}

/** Splits a stored value; `bytes` is undefined for a pruned stub. */
export function splitValue(value: Uint8Array): { hash: Buffer; bytes?: Buffer } {
  const buf = Buffer.isBuffer(value)
    ? value
    : Buffer.from(value.buffer, value.byteOffset, value.length);
  const hash = buf.subarray(0, 32);
  return buf.length > 32 ? { hash, bytes: buf.subarray(32) } : { hash };
}

/** The record a stored value holds (its `hash` taken from the value, not recomputed). */
export function decodeRecord(value: Uint8Array): AuditRecord | undefined {
  const { hash, bytes } = splitValue(value);
  if (!bytes) return undefined;
  const record = JSON.parse(bytes.toString("utf8")) as AuditRecord;
  record.hash = hash.toString("hex");
  return record;
}
