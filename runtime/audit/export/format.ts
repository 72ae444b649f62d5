import type { AuditRecord } from "../types.js";

/** One export format: optional header and footer around one chunk of text per record. */
export interface ExportFormat {
  name: string;
  header?(): string;
  record(r: AuditRecord, first: boolean): string;
  footer?(): string;
}

export interface FormatOptions {
  /** Product version written in CEF/LEEF headers and OCSF/ECS metadata. */
  version?: string;
  /** HOSTNAME of syslog messages. */
  hostname?: string;
  /** Syslog framing: octet counting (RFC 6587 §3.4.1, default) or one message per line. */
  framing?: "octet" | "lf";
}

export const ISO = (ms: number) => new Date(ms).toISOString();

/** 0–10 severity from the risk score (0–100); 3 without a risk. */
export function severity10(r: AuditRecord): number {
  return r.risk ? Math.max(0, Math.min(10, Math.round(r.risk.score / 10))) : 3;
}
