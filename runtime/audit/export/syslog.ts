/**
 * Syslog per RFC 5424 (facility 13, "log audit"), one structured-data element
 * `[paracle@32473 …]` (32473 is the documentation enterprise number of RFC 5612) whose
 * PARAM-VALUEs escape `"`, `\` and `]` (RFC 5424 §6.3.3), and the record's canonical JSON as MSG.
 * Framing for TCP: octet counting `<length> <message>` (RFC 6587 §3.4.1), or one per line.
 */
import { hostname as osHostname } from "node:os";
import canonicalizeModule from "canonicalize";
import type { AuditRecord } from "../types.js";
import { type ExportFormat, type FormatOptions, ISO } from "./format.js";

const canonicalize = canonicalizeModule as unknown as (input: unknown) => string;
const FACILITY = 13;

export const sdValue = (s: string) => s.replace(/[\\"\]]/g, (c) => `\\${c}`);
/** PRINTUSASCII without space, at most `max` characters (RFC 5424 §6). */
const token = (s: string, max: number) => s.replace(/[^\x21-\x7e]/g, "_").slice(0, max) || "-";

function severity(r: AuditRecord): number {
  if (r.outcome === "error" || r.risk?.level === "critical") return 2; // critical
  if (r.outcome === "denied" || r.outcome === "failure" || r.risk?.level === "high") return 4; // warning
  return 5; // notice
}

export function syslogMessage(r: AuditRecord, host: string): string {
  const params: [string, string | number | undefined][] = [
    ["seq", r.seq],
    ["type", r.type],
    ["actor", r.actor.id],
    ["actorKind", r.actor.kind],
    ["action", r.action],
    ["resource", r.resource],
    ["outcome", r.outcome],
    ["decision", r.policy?.decision],
    ["policies", r.policy?.matched.join(",")],
    ["riskScore", r.risk?.score],
    ["riskLevel", r.risk?.level],
    ["correlationId", r.correlation_id],
    ["hash", r.hash],
    ["prevHash", r.prev_hash],
  ];
  const sd = params
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${sdValue(String(v))}"`)
    .join("");
  const pri = FACILITY * 8 + severity(r);
  return `<${pri}>1 ${ISO(r.timestamp)} ${token(host, 255)} paracle - ${token(r.type, 32)} [paracle@32473${sd}] ${canonicalize(r)}`;
}

export function syslog(opts: FormatOptions = {}): ExportFormat {
  const host = opts.hostname ?? osHostname();
  const octet = (opts.framing ?? "octet") === "octet";
  return {
    name: "syslog",
    record: (r) => {
      const msg = syslogMessage(r, host);
      return octet ? `${Buffer.byteLength(msg)} ${msg}` : `${msg}\n`;
    },
  };
}
