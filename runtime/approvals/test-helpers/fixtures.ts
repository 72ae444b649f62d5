/**
 * Builders for tests: a decision input, a require_approval decision and a stored request.
 * Not exported from the package.
 */
import type {
  ApprovalRequirement,
  Decision,
  DecisionInput,
  RiskLevelName,
} from "../../decision/types.js";
import type { AuditEventInputLike, AuditSinkLike } from "../audit.js";
import type { ApprovalRequest } from "../types.js";
import { priorityOf } from "../types.js";

export function inputFor(over: Partial<DecisionInput> = {}): DecisionInput {
  return {
    agent: { id: "agent-1", owner: "olivia", roles: ["bot"] },
    action: { name: "db.delete", kind: "delete" },
    args: { table: "users", password: "hunter2" },
    session: { id: "s-1" },
    ...over,
  };
}

export function decisionFor(
  approval: Partial<ApprovalRequirement> = {},
  risk: { score?: number; level?: RiskLevelName } = {},
): Decision {
  return {
    decision: "require_approval",
    reasons: ["deleting production data needs a human"],
    matched: [
      { id: "approve-deletes", type: "require_approval", source: { file: "p.yaml", line: 3 } },
    ],
    obligations: [],
    risk: { score: risk.score ?? 60, level: risk.level ?? "high", factors: [] },
    approval: { policy: "approve-deletes", levels: [{ roles: ["lead"] }], ...approval },
    bundle: { hash: "abc" },
  };
}

let seq = 0;

/** A pending request as the service would store it (for store tests). */
export function requestFor(over: Partial<ApprovalRequest> = {}): ApprovalRequest {
  seq++;
  const decision = decisionFor();
  return {
    id: `req-${String(seq).padStart(4, "0")}`,
    version: 1,
    state: "pending",
    agent: { id: "agent-1", owner: "olivia" },
    action: "db.delete",
    input: inputFor(),
    decision,
    risk: decision.risk,
    policies: ["approve-deletes"],
    priority: priorityOf(decision.risk.level),
    createdAt: 1_000 + seq,
    expiresAt: 3_600_000,
    chain: {
      levels: [{ roles: ["lead"], required: 1 }],
      timeout_ms: 3_600_000,
      on_timeout: "reject",
      escalate_to: [],
      mode: "hold",
      reminders_ms: [],
      require_reason_on_reject: false,
      policy: "approve-deletes",
    },
    currentLevel: 0,
    votes: [],
    escalations: [],
    remindersSent: 0,
    history: [],
    ...over,
  };
}

/** An audit sink keeping events in an array. */
export class MemoryAuditSink implements AuditSinkLike {
  readonly events: AuditEventInputLike[] = [];
  failNext = 0;
  async append(event: AuditEventInputLike): Promise<unknown> {
    if (this.failNext > 0) {
      this.failNext--;
      throw new Error("audit log unavailable");
    }
    this.events.push(structuredClone(event));
    return { seq: this.events.length };
  }
  types(): string[] {
    return this.events.map((e) => e.type);
  }
}
