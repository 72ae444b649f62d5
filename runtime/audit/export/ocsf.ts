/**
 * OCSF 1.1 API Activity (class_uid 6003, category_uid 6) with the Security Control profile
 * (`action_id` 1 Allowed / 2 Denied, `disposition_id`). One JSON object per line; the original
 * record is kept under `unmapped.paracle` so nothing (hashes included) is lost.
 */
import type { AuditRecord } from "../types.js";
import { type ExportFormat, type FormatOptions, ISO } from "./format.js";

const SEVERITY: Record<string, number> = { low: 2, medium: 3, high: 4, critical: 5 };
const DENIED = new Set(["denied", "rejected", "failure", "error", "expired", "cancelled"]);

/** OCSF API Activity `activity_id`: 1 Create, 2 Read, 3 Update, 4 Delete, 99 Other. */
function activity(r: AuditRecord): [number, string] {
  const verb = (r.action ?? "").split(".").pop() ?? "";
  if (/^(create|insert|add|post|write)/.test(verb)) return [1, "Create"];
  if (/^(read|get|list|query|search|select)/.test(verb)) return [2, "Read"];
  if (/^(update|patch|put|set|modify)/.test(verb)) return [3, "Update"];
  if (/^(delete|remove|drop|destroy)/.test(verb)) return [4, "Delete"];
  return [99, "Other"];
}

export function ocsfEvent(r: AuditRecord, version: string): Record<string, unknown> {
  const [activityId, activityName] = activity(r);
  const denied = r.policy?.decision === "deny" || DENIED.has(r.outcome);
  const severityId = r.risk ? (SEVERITY[r.risk.level] ?? 1) : 1;
  return {
    class_uid: 6003,
    class_name: "API Activity",
    category_uid: 6,
    category_name: "Application Activity",
    activity_id: activityId,
    activity_name: activityName,
    type_uid: 6003 * 100 + activityId,
    time: r.timestamp,
    time_dt: ISO(r.timestamp),
    severity_id: severityId,
    status_id: r.outcome === "success" || r.outcome === "approved" ? 1 : denied ? 2 : 0,
    status: r.outcome,
    action_id: denied ? 2 : 1,
    action: denied ? "Denied" : "Allowed",
    disposition_id: denied ? 2 : 1,
    disposition: denied ? "Blocked" : "Allowed",
    message: r.action ? `${r.type} ${r.action}` : r.type,
    metadata: {
      version: "1.1.0",
      product: { name: "Paracle Governance", vendor_name: "Paracle", version },
      profiles: ["security_control"],
      uid: r.hash,
      sequence: r.seq,
      ...(r.correlation_id ? { correlation_uid: r.correlation_id } : {}),
    },
    actor: {
      user: { uid: r.actor.id, name: r.actor.id, type: r.actor.kind },
      ...(r.session_id ? { session: { uid: r.session_id } } : {}),
    },
    api: { operation: r.action ?? r.type, service: { name: "paracle" } },
    cloud: { provider: "unknown" },
    src_endpoint: { name: r.actor.id },
    ...(r.resource ? { resources: [{ name: r.resource }] } : {}),
    ...(r.policy
      ? {
          policy: {
            name: r.policy.matched.join(","),
            uid: r.policy.bundle,
            desc: r.policy.decision,
          },
        }
      : {}),
    ...(r.risk ? { risk_score: r.risk.score, risk_level: r.risk.level } : {}),
    unmapped: { paracle: r },
  };
}

export function ocsf(opts: FormatOptions = {}): ExportFormat {
  return { name: "ocsf", record: (r) => `${JSON.stringify(ocsfEvent(r, opts.version ?? "0"))}\n` };
}
