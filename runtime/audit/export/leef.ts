/**
 * IBM QRadar LEEF 2.0: `LEEF:2.0|Vendor|Product|Version|EventID|DelimiterChar|attributes`, the
 * attributes separated by the declared delimiter (tab, declared as `x09`). Values escape `\` and
 * encode tab/CR/LF as `\t`/`\r`/`\n`; header fields escape `|`.
 */
import type { AuditRecord } from "../types.js";
import { type ExportFormat, type FormatOptions, ISO, severity10 } from "./format.js";

const header = (s: string) =>
  s
    .replace(/\\/g, "\\\\")
    .replace(/\|/g, "\\|")
    .replace(/[\r\n\t]+/g, " ");
export const leefValue = (s: string) =>
  s.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\r/g, "\\r").replace(/\n/g, "\\n");

export function leefLine(r: AuditRecord, version: string): string {
  const attrs: [string, string | number | undefined][] = [
    ["devTime", ISO(r.timestamp)],
    ["devTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSX"],
    ["sev", severity10(r)],
    ["cat", r.type],
    ["usrName", r.actor.id],
    ["actorKind", r.actor.kind],
    ["action", r.action],
    ["resource", r.resource],
    ["outcome", r.outcome],
    ["policyDecision", r.policy?.decision],
    ["policies", r.policy?.matched.join(",")],
    ["riskScore", r.risk?.score],
    ["riskLevel", r.risk?.level],
    ["correlationId", r.correlation_id],
    ["sessionId", r.session_id],
    ["seq", r.seq],
    ["hash", r.hash],
    ["prevHash", r.prev_hash],
    ["context", r.context === undefined ? undefined : JSON.stringify(r.context)],
  ];
  const body = attrs
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${leefValue(String(v))}`)
    .join("\t");
  return `LEEF:2.0|Paracle|Governance|${header(version)}|${header(r.type)}|x09|${body}`;
}

export function leef(opts: FormatOptions = {}): ExportFormat {
  return { name: "leef", record: (r) => `${leefLine(r, opts.version ?? "0")}\n` };
}
