/**
 * The approval model: a request holding a tool call until humans decide, its chain of levels and
 * the votes cast on it. Plain JSON objects, so the stores can persist them as they are.
 */
import type { Decision, DecisionInput, RiskAssessment, RiskLevelName } from "../decision/types.js";

/**
 * States of a request. `pending` and `escalated` are open (awaiting votes); the other four are
 * final. Allowed moves are listed in `state.ts`.
 */
export type ApprovalState =
  | "pending"
  | "escalated"
  | "approved"
  | "rejected"
  | "expired"
  | "cancelled";

/** Priority derived from the risk level: critical ⇒ urgent, high ⇒ high, medium ⇒ normal, low ⇒ low. */
export type ApprovalPriority = "urgent" | "high" | "normal" | "low";

/** Who acts on a request from the admin side (set from the admin credentials). */
export interface Approver {
  id: string;
  roles: string[];
}

/** Who caused a transition, as recorded in the history and the audit log. */
export interface Actor {
  id: string;
  kind: "agent" | "user" | "system";
}

/** One level of a chain after resolution: who may vote, and how many distinct approvals it needs. */
export interface ChainLevel {
  /** Roles whose holders may approve this level. */
  roles: string[];
  /** Named users who may approve this level (in addition to the roles). */
  users?: string[];
  /** Distinct approvals needed (N of M). 1 for a plain level; `of` (or the user count) for all-of. */
  required: number;
  /** Size of the pool (M) when declared; informational, shown to approvers. */
  of?: number;
}

/** What happens when the request's deadline passes. */
export type OnTimeout = "reject" | "approve" | "escalate";

/** A chain resolved from the decision's approval requirement and the bundle's templates. */
export interface ApprovalChain {
  /** Sequential levels: level i+1 opens when level i has its `required` approvals. */
  levels: ChainLevel[];
  timeout_ms: number;
  on_timeout: OnTimeout;
  /** Roles added to the open level on escalation. */
  escalate_to: string[];
  mode: "hold" | "async";
  /** Offsets from creation (ms) at which open requests are re-notified. */
  reminders_ms: number[];
  require_reason_on_reject: boolean;
  /** Risk score under which a request is approved at once (strictly below). */
  auto_approve_below?: number;
  /** The template the chain came from, if any. */
  template?: string;
  /** The policy that required the approval. */
  policy: string;
}

/** A vote on one level. */
export interface Vote {
  level: number;
  approver: Approver;
  vote: "approve" | "reject";
  reason?: string;
  at: number;
}

/** One recorded state change. */
export interface Transition {
  from: ApprovalState | null;
  to: ApprovalState;
  at: number;
  actor: Actor;
  reason?: string;
}

/** A recorded escalation (issue 6: "escalation after a timeout to another role (recorded)"). */
export interface Escalation {
  at: number;
  level: number;
  to: string[];
}

/** An approval request, as stored. */
export interface ApprovalRequest {
  id: string;
  /** Incremented by every write; stores refuse a write whose base version is stale. */
  version: number;
  state: ApprovalState;
  idempotencyKey?: string;
  /** Ties the request's audit events to the proxy's record of the held call. */
  correlationId?: string;
  agent: { id: string; owner?: string; roles?: string[] };
  /** The action (tool) name the held call targets. */
  action: string;
  /** The decision input, redacted per the decision's `redact` obligations (`in: args`). */
  input: DecisionInput;
  decision: Decision;
  risk: RiskAssessment;
  /** Ids of the policies that matched (the decision's `matched`). */
  policies: string[];
  priority: ApprovalPriority;
  createdAt: number;
  /** The current deadline (creation + timeout; moved on escalation). */
  expiresAt: number;
  decidedAt?: number;
  /** The final decision's actor and reason. */
  decidedBy?: Actor;
  reason?: string;
  chain: ApprovalChain;
  /** Index of the level currently collecting votes (== levels.length once approved). */
  currentLevel: number;
  votes: Vote[];
  escalations: Escalation[];
  /** How many of `chain.reminders_ms` have been sent. */
  remindersSent: number;
  /** Set once by `claimForward`: the approved call was handed on (never twice). */
  forwardedAt?: number;
  history: Transition[];
}

/** Filters for listing requests. */
export interface ApprovalFilter {
  /** One or more states; default: all. */
  state?: ApprovalState | ApprovalState[];
  /** Only requests whose open level this role can approve. */
  role?: string;
  agent?: string;
  priority?: ApprovalPriority;
  /** At most this many (newest first). */
  limit?: number;
}

/**
 * An approval template as the bundle exports it (`approvalTemplates`, durations in ms). Field
 * names follow docs/policy-format.md with `_ms` suffixes for durations.
 */
export interface ApprovalTemplate {
  levels?: { roles: string[]; users?: string[]; required?: number; of?: number }[];
  timeout_ms?: number;
  on_timeout?: OnTimeout;
  escalate_to?: string[];
  mode?: "hold" | "async";
  auto_approve_below?: number;
  reminders_ms?: number[];
  require_reason_on_reject?: boolean;
}

/** Priority of a risk level. */
export function priorityOf(level: RiskLevelName | string | undefined): ApprovalPriority {
  switch (level) {
    case "critical":
      return "urgent";
    case "high":
      return "high";
    case "medium":
      return "normal";
    default:
      return "low";
  }
}

/** Sort order of priorities, most urgent first. */
export const priorityRank: Record<ApprovalPriority, number> = {
  urgent: 0,
  high: 1,
  normal: 2,
  low: 3,
};
