/**
 * The slice of runtime/audit the approval service writes to: structurally the same as
 * `AuditSink`/`AuditEventInput` there, so an `AuditTrail` is accepted as is.
 */
export type ApprovalAuditType =
  | "approval.requested"
  | "approval.granted"
  | "approval.rejected"
  | "approval.escalated"
  | "approval.expired"
  | "approval.cancelled"
  | "approval.reminder";

export interface AuditEventInputLike {
  type: ApprovalAuditType;
  actor: { id: string; kind: "agent" | "user" | "system" };
  action?: string;
  resource?: string;
  risk?: { score: number; level: string };
  policy?: { decision: string; matched: string[]; bundle: string };
  outcome:
    | "pending"
    | "approved"
    | "rejected"
    | "expired"
    | "cancelled"
    | "escalated"
    | "success"
    | "failure";
  context?: Record<string, unknown>;
  correlation_id?: string;
  session_id?: string;
  workflow_id?: string;
  timestamp?: number;
}

/** Resolves once the event is committed; rejects when it cannot be written. */
export interface AuditSinkLike {
  append(event: AuditEventInputLike): Promise<unknown>;
}
