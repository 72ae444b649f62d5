/**
 * ArcSight CEF: `CEF:0|Vendor|Product|Version|SignatureID|Name|Severity|Extension`.
 * Header fields escape `\` and `|` (newlines become spaces); extension values escape `\`, `=`,
 * and encode CR/LF as `\r`/`\n` (CEF implementation standard, "Character encoding").
 */
import type { AuditRecord } from "../types.js";
import { type ExportFormat, type FormatOptions, severity10 } from "./format.js";

export const cefHeader = (s: string) =>
  s
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/[\r\n]+/g, " ");
export const cefValue = (s: string) =>
  s.replace(/\\/g, "\\\\").replace(/=/g, "\\=").replace(/\r/g, "\\r").replace(/\n/g, "\\n");

export function cefLine(r: AuditRecord, version: string): string {
  const ext: [string, string | number | undefined][] = [
    ["rt", r.timestamp],
    ["externalId", r.seq],
    ["suser", r.actor.id],
    ["cs1Label", "actorKind"],
    ["cs1", r.actor.kind],
    ["act", r.action],
    ["request", r.resource],
    ["outcome", r.outcome],
    ["cs2Label", "policyDecision"],
    ["cs2", r.policy?.decision],
    ["cs3Label", "matchedPolicies"],
    ["cs3", r.policy?.matched.join(",")],
    ["cs4Label", "correlationId"],
    ["cs4", r.correlation_id],
    ["cs5Label", "recordHash"],
    ["cs5", r.hash],
    ["cs6Label", "prevHash"],
    ["cs6", r.prev_hash],
    ["cn1Label", "riskScore"],
    ["cn1", r.risk?.score],
    ["msg", r.context === undefined ? undefined : JSON.stringify(r.context)],
  ];
  const extension = ext
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${cefValue(String(v))}`)
    .join(" ");
  const name = r.action ? `${r.type} ${r.action}` : r.type;
  return `CEF:0|Paracle|Governance|${cefHeader(version)}|${cefHeader(r.type)}|${cefHeader(name)}|${severity10(r)}|${extension}`;
}

export function cef(opts: FormatOptions = {}): ExportFormat {
  return { name: "cef", record: (r) => `${cefLine(r, opts.version ?? "0")}\n` };
}
