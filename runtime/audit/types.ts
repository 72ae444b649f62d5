/**
 * The audit record contract (see docs/audit.md "Record format"). Extend, don't break: a new
 * optional field changes no existing record's bytes, since absent fields are not encoded.
 */

/** Every event type the log accepts, by name. */
export const AuditEventType = {
  AgentAction: "agent.action",
  PolicyEvaluation: "policy.evaluation",
  ApprovalRequested: "approval.requested",
  ApprovalGranted: "approval.granted",
  ApprovalRejected: "approval.rejected",
  ApprovalEscalated: "approval.escalated",
  ApprovalExpired: "approval.expired",
  ApprovalCancelled: "approval.cancelled",
  ApprovalReminder: "approval.reminder",
  BundleLoaded: "config.bundle_loaded",
  BundleRejected: "config.bundle_rejected",
  PolicyCreated: "config.policy_created",
  PolicyUpdated: "config.policy_updated",
  PolicyDeleted: "config.policy_deleted",
  AuthSuccess: "auth.success",
  AuthFailure: "auth.failure",
  RiskAlert: "risk.alert",
  SystemStart: "system.start",
  SystemStop: "system.stop",
  /** Written by the log itself when retention archives and prunes records. */
  RetentionApplied: "audit.retention_applied",
} as const;

export type AuditEventType = (typeof AuditEventType)[keyof typeof AuditEventType];

export const AUDIT_EVENT_TYPES: readonly AuditEventType[] = Object.values(AuditEventType);

export const AUDIT_OUTCOMES = [
  "success",
  "failure",
  "denied",
  "pending",
  "approved",
  "rejected",
  "expired",
  "cancelled",
  "escalated",
  "error",
] as const;

export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

export type ActorKind = "agent" | "user" | "system";

/** What a caller gives {@link AuditTrail.append}. */
export interface AuditEventInput {
  type: AuditEventType;
  actor: { id: string; kind: ActorKind };
  action?: string;
  resource?: string;
  risk?: { score: number; level: string };
  policy?: { decision: string; matched: string[]; bundle: string };
  outcome: AuditOutcome;
  context?: Record<string, unknown>;
  correlation_id?: string;
  session_id?: string;
  workflow_id?: string;
  /** ms since the Unix epoch (UTC); defaults to the trail's clock. */
  timestamp?: number;
}

/**
 * One record as stored: the input plus `v` (format version), `seq` (0-based position),
 * `timestamp`, and `prev_hash` (hex hash of record seq−1, or {@link GENESIS_HASH} for seq 0).
 * `hash` = hex SHA-256(0x00 ‖ canonical JSON of every other field) — the RFC 9162 leaf hash.
 */
export interface AuditRecord extends AuditEventInput {
  v: 1;
  seq: number;
  timestamp: number;
  prev_hash: string;
  hash: string;
}

/** The public name of a record (the original plan's `AuditEvent`). */
export type AuditEvent = AuditRecord;

/** Resolves only once the record is committed (see the durability modes in docs/audit.md). */
export interface AuditSink {
  append(event: AuditEventInput): Promise<AuditRecord>;
}

/**
 * `committed`: LMDB commit without fsync — survives a process crash, not a power loss.
 * `flushed`: every commit is fsynced before appends resolve — survives a power loss.
 */
export type Durability = "committed" | "flushed";

/** What verification can find wrong, located at the first bad sequence number. */
export type ProblemKind =
  | "modified"
  | "missing"
  | "reordered"
  | "inserted"
  | "truncated"
  | "bad-checkpoint"
  | "bad-signature";

export interface VerifyProblem {
  kind: ProblemKind;
  seq: number;
  message: string;
}

export interface VerifyReport {
  ok: boolean;
  /** Records (and pruned stubs) walked. */
  size: number;
  checked: number;
  pruned: number;
  root: string;
  checkpointsChecked: number;
  /** The earliest problem (smallest seq), if any. */
  firstBad?: VerifyProblem;
  problems: VerifyProblem[];
  ms: number;
}
