/**
 * The enforcement core shared by every protocol adapter: decide, commit the decision record,
 * then allow (with redacted arguments), refuse, rate-limit, or route through approvals.
 *
 * Invariants:
 * - no verdict is returned before the decision's audit record is committed (`append` resolved);
 * - if the audit append fails, the verdict is a deny (fail closed) and `healthy` turns false;
 * - an approved call is forwarded at most once (`claimForward`).
 */
import { randomUUID } from "node:crypto";
import type { Decision, DecisionInput, Obligation } from "../../runtime/decision/types.js";
import type {
  ApprovalGate,
  AuditEvent,
  AuditLog,
  DecisionEngine,
  EngineDecision,
} from "../ports.js";
import { decidingPolicy, type Outcome, reasonOf, type Verdict } from "./verdict.js";

export type Redactor = (
  value: unknown,
  obligations: Obligation[],
  where: "args" | "result",
) => unknown;

export interface EnforcerOptions {
  engine: () => DecisionEngine;
  audit: AuditLog;
  approvals?: ApprovalGate;
  redact?: Redactor;
  approvalMode: "hold" | "async";
  holdTimeoutMs: number;
  onDecision?: (decision: EngineDecision, ms: number) => void;
  onAuditFailure?: (error: unknown) => void;
}

export interface CallContext {
  protocol: "mcp" | "http" | "decide";
  correlationId: string;
  idempotencyKey?: string;
  /** Aborted when the agent goes away (stops a hold); created lazily, only holds need it. */
  signal?: () => AbortSignal;
  /** Called when a hold starts (MCP sends progress notifications meanwhile). */
  onHold?: (approvalId: string) => void;
}

const FINAL_REFUSALS = new Set(["rejected", "expired", "cancelled"]);

export class Enforcer {
  #auditFailures = 0;
  #lastAuditError: unknown;

  constructor(private readonly opts: EnforcerOptions) {}

  /** False once an audit append failed, until one succeeds again. */
  get healthy(): boolean {
    return this.#auditFailures === 0 && this.opts.audit.healthy !== false;
  }

  get lastAuditError(): unknown {
    return this.#lastAuditError;
  }

  /** Decides and records the decision (committed) without enforcing it: `/v1/decide`. */
  async evaluate(input: DecisionInput, ctx: CallContext): Promise<EngineDecision | undefined> {
    const decision = this.#decide(input);
    return (await this.#record(input, decision, ctx)) ? decision : undefined;
  }

  /** The full enforcement of one call. */
  async check(input: DecisionInput, ctx: CallContext): Promise<Verdict> {
    const decision = this.#decide(input);
    if (!(await this.#record(input, decision, ctx))) return auditDown(decision);
    switch (decision.decision) {
      case "allow":
        return this.#allow(input, decision);
      case "require_approval":
        return this.#approval(input, decision, ctx);
      default:
        if (decision.limited) {
          return {
            kind: "limited",
            decision,
            reason: reasonOf(decision),
            policy: decision.limited.policy,
            retryAfterMs: decision.limited.retry_after_ms,
          };
        }
        return {
          kind: "deny",
          decision,
          status: 403,
          reason: reasonOf(decision),
          policy: decidingPolicy(decision),
        };
    }
  }

  /**
   * Decides visibility (`action.phase = list`) for many tools; one committed record for all.
   * A tool is hidden when its list-phase decision is a deny by a matching rule.
   */
  async visible(
    base: DecisionInput,
    tools: string[],
    ctx: CallContext,
    kindOf: (tool: string) => string | undefined,
  ): Promise<Set<string> | undefined> {
    const engine = this.opts.engine();
    const shown = new Set<string>();
    const hidden: string[] = [];
    for (const name of tools) {
      const kind = kindOf(name);
      const input: DecisionInput = {
        ...base,
        action: { name, phase: "list", ...(kind ? { kind } : {}) },
        args: {},
      };
      let d: Decision;
      try {
        d = engine.decide(input);
      } catch {
        d = { decision: "deny", matched: [{ type: "error" }] } as unknown as Decision;
      }
      // only a matching rule hides a tool (phase `list` or `any`); the default decision alone
      // does not, since call-phase rules may still allow the call (which stays enforced)
      if (d.decision === "deny" && (d.matched ?? []).some((m) => m.type !== "allow"))
        hidden.push(name);
      else shown.add(name);
    }
    try {
      await this.opts.audit.append({
        type: "policy.evaluation",
        actor: { id: base.agent.id, kind: "agent" },
        action: "tools/list",
        outcome: "success",
        context: { protocol: ctx.protocol, phase: "list", hidden, shown: shown.size },
        correlation_id: ctx.correlationId,
        ...(base.session?.id ? { session_id: base.session.id } : {}),
      });
      this.#auditOk();
    } catch (e) {
      this.#auditFailed(e);
      return undefined;
    }
    return shown;
  }

  /** Redacts a result as the decision's obligations say (identity when none apply). */
  redactResult(decision: Decision, result: unknown): unknown {
    if (!needsRedaction(decision, "result")) return result;
    if (!this.opts.redact) throw new Error("redaction required but no redactor is configured");
    return this.opts.redact(result, decision.obligations, "result");
  }

  needsResultRedaction(decision: Decision): boolean {
    return needsRedaction(decision, "result");
  }

  /** Records the outcome (second audit record) after the call; never throws. */
  outcome(input: DecisionInput, verdict: Verdict, ctx: CallContext, outcome: Outcome): void {
    try {
      this.opts
        .engine()
        .recordOutcome?.(input, verdict.decision, { ok: outcome.ok, latencyMs: outcome.latencyMs });
    } catch {
      // statistics are best effort; the audit record below is not
    }
    const context: Record<string, unknown> = {
      protocol: ctx.protocol,
      status: outcome.status,
      latency_ms: Math.round(outcome.latencyMs * 1000) / 1000,
    };
    if (outcome.error) context.error = outcome.error;
    if (verdict.kind === "allow" && verdict.approvalId) context.approval_id = verdict.approvalId;
    const event: AuditEvent = {
      type: "agent.action",
      actor: { id: input.agent.id, kind: "agent" },
      action: input.action.name,
      outcome: outcome.error ? "error" : outcome.ok ? "success" : "failure",
      context,
      correlation_id: ctx.correlationId,
    };
    if (input.session?.id) event.session_id = input.session.id;
    // appended at once: it joins the group commit of this event-loop turn (with the decisions
    // of other calls), which at one call at a time runs while the agent reads the answer
    let committed: Promise<unknown>;
    try {
      committed = this.opts.audit.append(event);
    } catch (e) {
      committed = Promise.reject(e);
    }
    committed.then(this.#committed, this.#notCommitted);
  }

  /** Audits an event that is not a decision (auth failures, bundle reloads); resolves ok. */
  async event(event: Parameters<AuditLog["append"]>[0]): Promise<boolean> {
    try {
      await this.opts.audit.append(event);
      this.#auditOk();
      return true;
    } catch (e) {
      this.#auditFailed(e);
      return false;
    }
  }

  #decide(input: DecisionInput): EngineDecision {
    const t0 = performance.now();
    let decision: EngineDecision;
    try {
      decision = this.opts.engine().decide(input);
    } catch (e) {
      decision = internalDeny(String((e as Error)?.message ?? e));
    }
    this.opts.onDecision?.(decision, performance.now() - t0);
    return decision;
  }

  /** Resolves true once the decision record is committed, false (and unhealthy) if it failed. */
  #record(input: DecisionInput, d: EngineDecision, ctx: CallContext): Promise<boolean> {
    const keepArgs = d.obligations.some(
      (o) => o.type === "audit" && (o as { keep_args?: boolean }).keep_args,
    );
    let args: unknown;
    if (keepArgs) {
      try {
        args =
          needsRedaction(d, "args") && this.opts.redact
            ? this.opts.redact(input.args ?? {}, d.obligations, "args")
            : input.args;
      } catch {
        args = "[unredactable]";
      }
    }
    // optional fields are assigned, not spread: no temporary objects per call (records are
    // canonicalised with sorted keys, so the insertion order does not matter)
    const context: Record<string, unknown> = { protocol: ctx.protocol, reasons: d.reasons };
    if (input.action.kind) context.kind = input.action.kind;
    if (d.limited) context.limited = d.limited;
    if (d.dry_run?.length) context.dry_run = d.dry_run;
    if (d.errors?.length) context.errors = d.errors;
    if (keepArgs) context.args = args;
    const matched: string[] = [];
    for (const m of d.matched) matched.push(m.id);
    const event: AuditEvent = {
      type: "policy.evaluation",
      actor: { id: input.agent.id, kind: "agent" },
      action: input.action.name,
      risk: { score: d.risk?.score ?? 0, level: d.risk?.level ?? "low" },
      policy: { decision: d.decision, matched, bundle: d.bundle?.hash ?? "" },
      outcome: d.decision === "allow" ? "success" : d.decision === "deny" ? "denied" : "pending",
      context,
      correlation_id: ctx.correlationId,
    };
    if (input.session?.id) event.session_id = input.session.id;
    if (input.workflow?.id) event.workflow_id = input.workflow.id;
    let committed: Promise<unknown>;
    try {
      committed = this.opts.audit.append(event);
    } catch (e) {
      committed = Promise.reject(e);
    }
    // no async frame here: one `then` on the append's promise (hot path)
    return committed.then(this.#committed, this.#notCommitted);
  }

  readonly #committed = (): boolean => {
    this.#auditOk();
    return true;
  };

  readonly #notCommitted = (e: unknown): boolean => {
    this.#auditFailed(e);
    return false;
  };

  #allow(input: DecisionInput, decision: EngineDecision, approvalId?: string): Verdict {
    if (!needsRedaction(decision, "args"))
      return { kind: "allow", decision, args: input.args, approvalId };
    if (!this.opts.redact) {
      return {
        kind: "deny",
        decision,
        status: 503,
        reason: "redaction required but no redactor is configured",
      };
    }
    try {
      const args = this.opts.redact(input.args ?? {}, decision.obligations, "args") as Record<
        string,
        unknown
      >;
      return { kind: "allow", decision, args, approvalId };
    } catch (e) {
      return {
        kind: "deny",
        decision,
        status: 503,
        reason: `redaction failed: ${(e as Error).message}`,
      };
    }
  }

  async #approval(
    input: DecisionInput,
    decision: EngineDecision,
    ctx: CallContext,
  ): Promise<Verdict> {
    const approvals = this.opts.approvals;
    const policy = decidingPolicy(decision);
    if (!approvals) {
      return {
        kind: "deny",
        decision,
        status: 503,
        reason: "approval required but approvals are not configured",
        policy,
      };
    }
    const idempotencyKey = ctx.idempotencyKey ?? randomUUID();
    let req = await approvals.request({
      input,
      decision,
      idempotencyKey,
      correlationId: ctx.correlationId,
    });
    const mode = decision.approval?.mode ?? this.opts.approvalMode;
    if (req.state !== "approved" && !FINAL_REFUSALS.has(req.state)) {
      if (mode === "async") {
        return {
          kind: "pending",
          decision,
          approvalId: req.id,
          idempotencyKey,
          reason: `approval \`${req.id}\` is pending (${reasonOf(decision)}); retry with idempotency key \`${idempotencyKey}\` once approved`,
        };
      }
      ctx.onHold?.(req.id);
      const timeout = AbortSignal.timeout(this.opts.holdTimeoutMs);
      const signal = ctx.signal ? AbortSignal.any([ctx.signal(), timeout]) : timeout;
      try {
        req = await approvals.waitForDecision(req.id, signal);
      } catch {
        return {
          kind: "pending",
          decision,
          approvalId: req.id,
          idempotencyKey,
          reason: `approval \`${req.id}\` still pending after ${this.opts.holdTimeoutMs} ms; retry with idempotency key \`${idempotencyKey}\` once approved`,
        };
      }
    }
    if (req.state === "approved") {
      if (await approvals.claimForward(req.id)) return this.#allow(input, decision, req.id);
      return {
        kind: "deny",
        decision,
        status: 409,
        reason: `approval \`${req.id}\` was already used: the approved call is forwarded once`,
        policy,
        approvalId: req.id,
      };
    }
    return {
      kind: "deny",
      decision,
      status: 403,
      reason: `approval \`${req.id}\` was ${req.state}${req.reason ? `: ${req.reason}` : ""}`,
      policy,
      approvalId: req.id,
    };
  }

  #auditOk(): void {
    if (this.#auditFailures) this.#auditFailures = 0;
  }

  #auditFailed(e: unknown): void {
    this.#auditFailures++;
    this.#lastAuditError = e;
    this.opts.onAuditFailure?.(e);
  }
}

function needsRedaction(d: Decision, where: "args" | "result"): boolean {
  for (const o of d.obligations) {
    if (o.type !== "redact") continue;
    const inn = (o as { in?: string[] }).in;
    if (!inn || inn.length === 0 ? where === "args" || where === "result" : inn.includes(where))
      return true;
  }
  return false;
}

function auditDown(decision: EngineDecision): Verdict {
  return {
    kind: "deny",
    decision,
    status: 503,
    reason: "the audit log cannot be written: refusing every call (fail closed)",
    policy: "paracle.fail-closed",
  };
}

function internalDeny(message: string): EngineDecision {
  return {
    decision: "deny",
    reasons: [`internal error: ${message}`],
    matched: [],
    obligations: [],
    risk: { score: 0, level: "low", factors: [] },
    errors: [{ policy: "paracle.engine", message }],
    bundle: { hash: "" },
  };
}
