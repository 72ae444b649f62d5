import type { ApprovalAuditType, AuditEventInputLike } from "./audit.js";
import type { Actor, ApprovalRequest } from "./types.js";

/**
 * The audit event of one transition of `r` (already in its new state). The approval id is the
 * resource and, unless the proxy gave one, the correlation id that ties the events together.
 */
export function auditEventOf(
  type: ApprovalAuditType,
  r: ApprovalRequest,
  actor: Actor,
  outcome: AuditEventInputLike["outcome"],
  at: number,
  context: Record<string, unknown> = {},
): AuditEventInputLike {
  const event: AuditEventInputLike = {
    type,
    actor: { id: actor.id, kind: actor.kind },
    action: r.action,
    resource: `approval:${r.id}`,
    risk: { score: r.risk.score, level: r.risk.level },
    policy: { decision: r.decision.decision, matched: r.policies, bundle: r.decision.bundle.hash },
    outcome,
    context: {
      approval_id: r.id,
      state: r.state,
      agent: r.agent.id,
      level: r.currentLevel,
      levels: r.chain.levels.length,
      ...context,
    },
    correlation_id: r.correlationId ?? r.id,
    timestamp: at,
  };
  const session = r.input.session?.id;
  if (typeof session === "string") event.session_id = session;
  const workflow = r.input.workflow?.id;
  if (typeof workflow === "string") event.workflow_id = workflow;
  return event;
}
