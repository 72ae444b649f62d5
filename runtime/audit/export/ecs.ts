/**
 * Elastic Common Schema (8.x) documents, one per line; the record itself under `paracle`.
 */
import type { AuditRecord } from "../types.js";
import { type ExportFormat, type FormatOptions, ISO } from "./format.js";

function category(r: AuditRecord): string[] {
  if (r.type.startsWith("auth.")) return ["authentication"];
  if (r.type.startsWith("config.")) return ["configuration"];
  if (r.type.startsWith("system.")) return ["process"];
  if (r.type === "risk.alert") return ["intrusion_detection"];
  return ["iam"];
}

function outcome(r: AuditRecord): "success" | "failure" | "unknown" {
  if (r.outcome === "success" || r.outcome === "approved") return "success";
  if (r.outcome === "pending" || r.outcome === "escalated") return "unknown";
  return "failure";
}

export function ecsDocument(r: AuditRecord, version: string): Record<string, unknown> {
  return {
    "@timestamp": ISO(r.timestamp),
    ecs: { version: "8.11.0" },
    event: {
      kind: r.type === "risk.alert" ? "alert" : "event",
      category: category(r),
      type: [r.policy?.decision === "deny" || r.outcome === "denied" ? "denied" : "info"],
      action: r.action ?? r.type,
      dataset: `paracle.${r.type}`,
      outcome: outcome(r),
      id: r.hash,
      sequence: r.seq,
      ...(r.risk ? { risk_score: r.risk.score } : {}),
    },
    user: { id: r.actor.id, roles: [r.actor.kind] },
    ...(r.resource ? { url: { original: r.resource } } : {}),
    ...(r.policy ? { rule: { id: r.policy.matched.join(","), ruleset: r.policy.bundle } } : {}),
    ...(r.correlation_id ? { trace: { id: r.correlation_id } } : {}),
    observer: { product: "Paracle Governance", vendor: "Paracle", version },
    paracle: r,
  };
}

export function ecs(opts: FormatOptions = {}): ExportFormat {
  return { name: "ecs", record: (r) => `${JSON.stringify(ecsDocument(r, opts.version ?? "0"))}\n` };
}
