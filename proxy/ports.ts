/**
 * The proxy's view of the runtime parts it drives: the decision engine, the audit sink and the
 * approval service. Structural interfaces, so the real runtime classes (PolicyEngine, AuditTrail,
 * ApprovalService) fit them and tests can hand in small in-memory parts.
 */
import type { Decision, DecisionInput } from "../runtime/decision/types.js";

/** A decision as the engine returns it: `limited` is set when a rate limit or quota refused. */
export type EngineDecision = Decision & {
  limited?: { policy: string; kind: "rate_limit" | "quota"; retry_after_ms: number };
};

/** What the proxy needs of `PolicyEngine` (runtime/engine). */
export interface DecisionEngine {
  /** Never throws: an internal error is a deny with `errors[]`. */
  decide(input: DecisionInput): EngineDecision;
  recordOutcome?(
    input: DecisionInput,
    decision: Decision,
    outcome: { ok: boolean; latencyMs: number },
  ): void;
}

/** One audit event (runtime/audit `AuditEventInput`). */
export interface AuditEvent {
  type: string;
  actor: { id: string; kind: "agent" | "user" | "system" };
  action?: string;
  resource?: string;
  risk?: { score: number; level: string };
  policy?: { decision: string; matched: string[]; bundle: string };
  outcome: string;
  context?: Record<string, unknown>;
  correlation_id?: string;
  session_id?: string;
  workflow_id?: string;
  timestamp?: number;
}

/** What the proxy needs of `AuditTrail`: `append` resolves only once the record is committed. */
export interface AuditLog {
  // biome-ignore lint/suspicious/noExplicitAny: the runtime's event type is a narrower union
  append(event: any): Promise<unknown>;
  readonly healthy?: boolean;
}

/** The states an approval request goes through (runtime/approvals). */
export interface ApprovalView {
  id: string;
  state: string;
  reason?: string;
}

/** What the proxy needs of `ApprovalService`. */
export interface ApprovalGate {
  request(args: {
    input: DecisionInput;
    decision: Decision;
    idempotencyKey?: string;
    correlationId?: string;
  }): Promise<ApprovalView>;
  waitForDecision(id: string, signal?: AbortSignal): Promise<ApprovalView>;
  claimForward(id: string): Promise<boolean>;
}
