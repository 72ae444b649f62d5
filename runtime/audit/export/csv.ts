/**
 * CSV per RFC 4180: CRLF line ends, a header row, fields quoted with `"` doubled inside. Every
 * field is exported, hashes included. Present strings are always quoted and absent fields are
 * left empty, so a parser honouring quotes tells `""` (empty) from absent.
 */
import type { AuditRecord } from "../types.js";
import type { ExportFormat } from "./format.js";

export const CSV_COLUMNS = [
  "v",
  "seq",
  "timestamp",
  "type",
  "actor_id",
  "actor_kind",
  "action",
  "resource",
  "risk_score",
  "risk_level",
  "policy_decision",
  "policy_matched",
  "policy_bundle",
  "outcome",
  "context",
  "correlation_id",
  "session_id",
  "workflow_id",
  "prev_hash",
  "hash",
] as const;

const q = (s: string | undefined) => (s === undefined ? "" : `"${s.replace(/"/g, '""')}"`);
const n = (x: number | undefined) => (x === undefined ? "" : String(x));

export function csvRow(r: AuditRecord): string {
  return [
    n(r.v),
    n(r.seq),
    n(r.timestamp),
    q(r.type),
    q(r.actor.id),
    q(r.actor.kind),
    q(r.action),
    q(r.resource),
    n(r.risk?.score),
    q(r.risk?.level),
    q(r.policy?.decision),
    q(r.policy ? JSON.stringify(r.policy.matched) : undefined),
    q(r.policy?.bundle),
    q(r.outcome),
    q(r.context === undefined ? undefined : JSON.stringify(r.context)),
    q(r.correlation_id),
    q(r.session_id),
    q(r.workflow_id),
    q(r.prev_hash),
    q(r.hash),
  ].join(",");
}

export const csv: ExportFormat = {
  name: "csv",
  header: () => `${CSV_COLUMNS.join(",")}\r\n`,
  record: (r) => `${csvRow(r)}\r\n`,
};
