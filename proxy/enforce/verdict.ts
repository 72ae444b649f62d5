/** What the enforcer tells a protocol adapter to do with one call. */
import type { Decision, DecisionInput } from "../../runtime/decision/types.js";
import type { EngineDecision } from "../ports.js";

export type Verdict =
  /** Forward with `args` (already redacted as the decision's obligations say). */
  | {
      kind: "allow";
      decision: EngineDecision;
      args: Record<string, unknown> | undefined;
      approvalId?: string;
    }
  /** Refuse. `status` is the HTTP status for plain HTTP tools. */
  | {
      kind: "deny";
      decision: EngineDecision;
      status: 403 | 409 | 503;
      reason: string;
      policy?: string;
      approvalId?: string;
    }
  /** A rate limit or quota refused: retry after `retryAfterMs`. */
  | {
      kind: "limited";
      decision: EngineDecision;
      reason: string;
      policy: string;
      retryAfterMs: number;
    }
  /** Async approval: the call was not forwarded; retry with `idempotencyKey` once approved. */
  | {
      kind: "pending";
      decision: EngineDecision;
      approvalId: string;
      idempotencyKey: string;
      reason: string;
    };

/** The outcome of a forwarded (or refused) call, recorded after the fact. */
export interface Outcome {
  ok: boolean;
  status?: number;
  latencyMs: number;
  error?: string;
}

/** First matched rule of the effect that decided, for messages (`policy id`). */
export function decidingPolicy(decision: EngineDecision): string | undefined {
  if (decision.limited) return decision.limited.policy;
  const want = decision.decision === "allow" ? "allow" : decision.decision;
  const m =
    decision.matched.find((r) => r.type === want) ??
    decision.matched.find((r) => r.type !== "allow" && r.type !== "audit") ??
    decision.matched[0];
  return m?.id ?? decision.approval?.policy;
}

/** A short human reason for a refusal. */
export function reasonOf(decision: Decision): string {
  return (
    decision.reasons[0] ??
    (decision.decision === "deny" ? "no policy allows this action" : decision.decision)
  );
}

export type CallInput = DecisionInput;
