/**
 * The approval service: creates requests from `require_approval` decisions, collects votes along
 * the chain, runs the timers (reminders, escalation, expiry), and tells waiting callers when a
 * request is final. Every state change is an audit event, appended (committed) before the new
 * state is stored: no transition without its record.
 */
import { randomUUID } from "node:crypto";
import { type Clock, systemClock } from "../clock.js";
import type { Decision, DecisionInput } from "../decision/types.js";
import type { AuditEventInputLike, AuditSinkLike } from "./audit.js";
import { auditEventOf } from "./audit-event.js";
import { DEFAULT_CHAIN, resolveChain } from "./chain.js";
import { ApprovalError } from "./errors.js";
import { KeyedLock } from "./keyed-lock.js";
import { approvalMessages } from "./messages.js";
import { type ApprovalNotificationKind, type Notifier, notificationOf } from "./notifier.js";
import { type Redactor, redactInput } from "./redact.js";
import { approvalsOn, assertMayVote, isRoutedTo } from "./rules.js";
import { assertTransition, isOpen, OPEN_STATES } from "./state.js";
import { type ApprovalStats, computeStats } from "./stats.js";
import type { ApprovalStore } from "./store/types.js";
import { systemScheduler, type TimerHandle, type TimerScheduler } from "./timers.js";
import {
  type Actor,
  type ApprovalFilter,
  type ApprovalRequest,
  type ApprovalState,
  type ApprovalTemplate,
  type Approver,
  priorityOf,
  priorityRank,
} from "./types.js";

export interface ApprovalServiceOptions {
  store: ApprovalStore;
  audit: AuditSinkLike;
  clock?: Clock;
  /** Defaults to real timers on `clock`. */
  timers?: TimerScheduler;
  notifier?: Notifier;
  /** The bundle's `approvalTemplates` (name → template, durations in ms). */
  templates?: Record<string, ApprovalTemplate>;
  /** The chain for `require_approval` decisions that carry no approval settings. */
  defaultChain?: ApprovalTemplate;
  /** runtime/engine `redact`; a path-only fallback otherwise (see redact.ts). */
  redact?: Redactor;
  newId?: () => string;
  /** Delay before retrying a timer whose work failed (e.g. audit log down); default 5 s. */
  retryDelayMs?: number;
  /** Called with errors of background work (timers); never thrown. */
  onError?: (err: unknown) => void;
}

export interface RequestArgs {
  input: DecisionInput;
  decision: Decision;
  /** Same key ⇒ same request (an agent retrying a held call resumes it). */
  idempotencyKey?: string;
  /** The proxy's id for the held call; used as the audit correlation id. */
  correlationId?: string;
}

/** Someone cancelling: an admin principal, the agent, or the system. */
export type Canceller = Approver & { kind?: Actor["kind"] };

export interface BatchArgs {
  action: "approve" | "reject";
  ids?: string[];
  /** Used when `ids` is absent: the open requests matching it. */
  filter?: Omit<ApprovalFilter, "state">;
  reason?: string;
}

export interface BatchResult {
  results: (
    | { id: string; ok: true; state: ApprovalState }
    | { id: string; ok: false; code: string; error: string }
  )[];
  succeeded: number;
  failed: number;
}

type Waiter = { resolve: (r: ApprovalRequest) => void; reject: (e: unknown) => void };

/** Roles that may cancel any request. */
export const ADMIN_ROLE = "admin";

export class ApprovalService {
  readonly #store: ApprovalStore;
  readonly #audit: AuditSinkLike;
  readonly #clock: Clock;
  readonly #timers: TimerScheduler;
  readonly #notifier: Notifier | undefined;
  readonly #templates: Record<string, ApprovalTemplate>;
  readonly #defaultChain: ApprovalTemplate;
  readonly #redact: Redactor | undefined;
  readonly #newId: () => string;
  readonly #retryDelayMs: number;
  readonly #onError: (err: unknown) => void;
  readonly #lock = new KeyedLock();
  readonly #armed = new Map<string, TimerHandle>();
  readonly #waiters = new Map<string, Set<Waiter>>();
  #stopped = false;

  constructor(opts: ApprovalServiceOptions) {
    this.#store = opts.store;
    this.#audit = opts.audit;
    this.#clock = opts.clock ?? systemClock;
    this.#timers = opts.timers ?? systemScheduler(this.#clock);
    this.#notifier = opts.notifier;
    this.#templates = { ...(opts.templates ?? {}) };
    this.#defaultChain = opts.defaultChain ?? DEFAULT_CHAIN;
    this.#redact = opts.redact;
    this.#newId = opts.newId ?? randomUUID;
    this.#retryDelayMs = opts.retryDelayMs ?? 5_000;
    this.#onError = opts.onError ?? (() => {});
  }

  /** Re-arms the timers of every open request (after a restart, deadlines resume from the store). */
  async start(): Promise<void> {
    this.#stopped = false;
    for (const r of await this.#store.list({ states: [...OPEN_STATES] })) this.#arm(r);
  }

  /**
   * Disarms timers, waits for work in progress, and rejects pending `waitForDecision` calls with
   * `approval_service_stopped`. The store stays open (its owner closes it).
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const h of this.#armed.values()) h.cancel();
    this.#armed.clear();
    await this.#lock.idle();
    const err = new ApprovalError(approvalMessages.stopped());
    for (const set of this.#waiters.values()) for (const w of set) w.reject(err);
    this.#waiters.clear();
  }

  /** The templates this service resolves chains with. */
  templates(): Readonly<Record<string, ApprovalTemplate>> {
    return this.#templates;
  }

  /** Replaces the templates (on a bundle reload); existing requests keep their resolved chain. */
  setTemplates(templates: Record<string, ApprovalTemplate>): void {
    for (const k of Object.keys(this.#templates)) delete this.#templates[k];
    Object.assign(this.#templates, templates);
  }

  /**
   * Creates the request for a `require_approval` decision, or returns the existing one when
   * `idempotencyKey` was seen before (in whatever state it is now). A request under the chain's
   * `auto_approve_below` risk score is returned already approved.
   */
  async request(args: RequestArgs): Promise<ApprovalRequest> {
    this.#assertRunning();
    const key = args.idempotencyKey;
    const create = async (): Promise<ApprovalRequest> => {
      if (key !== undefined) {
        const existing = await this.#store.getByIdempotencyKey(key);
        if (existing) return existing;
      }
      if (args.decision.decision !== "require_approval") {
        throw new ApprovalError(approvalMessages.notRequired(args.decision.decision));
      }
      const chain = resolveChain(args.decision, this.#templates, this.#defaultChain);
      const now = this.#clock.now();
      const agent: ApprovalRequest["agent"] = { id: args.input.agent.id };
      if (typeof args.input.agent.owner === "string") agent.owner = args.input.agent.owner;
      if (Array.isArray(args.input.agent.roles)) agent.roles = [...args.input.agent.roles];
      const actor: Actor = { id: agent.id, kind: "agent" };
      const request: ApprovalRequest = {
        id: this.#newId(),
        version: 1,
        state: "pending",
        agent,
        action: args.input.action.name,
        input: redactInput(args.input, args.decision.obligations, this.#redact),
        decision: structuredClone(args.decision),
        risk: structuredClone(args.decision.risk),
        policies: [...new Set(args.decision.matched.map((m) => m.id))],
        priority: priorityOf(args.decision.risk.level),
        createdAt: now,
        expiresAt: now + chain.timeout_ms,
        chain,
        currentLevel: 0,
        votes: [],
        escalations: [],
        remindersSent: 0,
        history: [{ from: null, to: "pending", at: now, actor }],
      };
      if (key !== undefined) request.idempotencyKey = key;
      if (args.correlationId !== undefined) request.correlationId = args.correlationId;
      await this.#audit.append(
        auditEventOf("approval.requested", request, actor, "pending", now, {
          policy: chain.policy,
          template: chain.template,
          priority: request.priority,
          expires_at: request.expiresAt,
          chain: chain.levels,
        }),
      );
      const { request: stored, created } = await this.#store.insert(request);
      if (!created) return stored;
      const auto = chain.auto_approve_below;
      if (auto !== undefined && stored.risk.score < auto) {
        return this.#lock.run(stored.id, () =>
          this.#finish(stored, "approved", { id: "system", kind: "system" }, "approval.granted", {
            reason: `risk score ${stored.risk.score} is below ${auto}`,
            context: { auto: "risk", threshold: auto },
          }),
        );
      }
      this.#arm(stored);
      this.#notify("requested", stored);
      return stored;
    };
    // One creation per idempotency key at a time: a retry racing the first call gets its request.
    return key !== undefined ? this.#lock.run(`key:${key}`, create) : create();
  }

  /** The request with id `id`; throws `approval_not_found`. */
  async get(id: string): Promise<ApprovalRequest> {
    const r = await this.#store.get(id);
    if (!r) throw new ApprovalError(approvalMessages.notFound(id));
    return r;
  }

  /** The existing request for an idempotency key, if any. */
  findByIdempotencyKey(key: string): Promise<ApprovalRequest | undefined> {
    return this.#store.getByIdempotencyKey(key);
  }

  /** Requests matching `filter`, most urgent first, then oldest first. */
  async list(filter: ApprovalFilter = {}): Promise<ApprovalRequest[]> {
    const states =
      filter.state === undefined
        ? undefined
        : Array.isArray(filter.state)
          ? filter.state
          : [filter.state];
    const query: Parameters<ApprovalStore["list"]>[0] = {};
    if (states) query.states = states;
    if (filter.agent !== undefined) query.agent = filter.agent;
    if (filter.priority !== undefined) query.priority = filter.priority;
    let rows = await this.#store.list(query);
    const role = filter.role;
    if (role !== undefined) {
      rows = rows.filter(
        (r) => isOpen(r.state) && isRoutedTo(r, r.currentLevel, { id: "\u0000", roles: [role] }),
      );
    }
    rows.sort(
      (a, b) =>
        priorityRank[a.priority] - priorityRank[b.priority] ||
        a.createdAt - b.createdAt ||
        (a.id < b.id ? -1 : 1),
    );
    return filter.limit !== undefined ? rows.slice(0, Math.max(0, filter.limit)) : rows;
  }

  /**
   * Approves the open level of request `id` as `approver`. The level closes when it has its
   * `required` distinct approvals; the request is approved when the last level closes.
   */
  async approve(id: string, approver: Approver, reason?: string): Promise<ApprovalRequest> {
    this.#assertRunning();
    return this.#lock.run(id, async () => {
      const before = await this.get(id);
      assertMayVote(before, approver, "approve");
      const now = this.#clock.now();
      const after = structuredClone(before);
      const level = after.currentLevel;
      after.votes.push({
        level,
        approver: copyApprover(approver),
        vote: "approve",
        at: now,
        ...(reason ? { reason } : {}),
      });
      const count = approvalsOn(after, level);
      const required = after.chain.levels[level]!.required;
      const closes = count >= required;
      if (closes) after.currentLevel = level + 1;
      const context = { level, approvals: count, required, approver_roles: approver.roles };
      if (closes && after.currentLevel >= after.chain.levels.length) {
        return this.#finish(after, "approved", userActor(approver), "approval.granted", {
          reason,
          context,
          base: before,
        });
      }
      await this.#commit(before, after, {
        type: "approval.granted",
        actor: userActor(approver),
        outcome: "pending",
        context: { ...context, level_closed: closes, reason },
      });
      if (closes) this.#notify("advanced", after);
      return after;
    });
  }

  /** Rejects request `id` as `approver` (one eligible rejection ends the request). */
  async reject(id: string, approver: Approver, reason?: string): Promise<ApprovalRequest> {
    this.#assertRunning();
    return this.#lock.run(id, async () => {
      const before = await this.get(id);
      assertMayVote(before, approver, "reject");
      const trimmed = reason?.trim();
      if (before.chain.require_reason_on_reject && !trimmed) {
        throw new ApprovalError(approvalMessages.reasonRequired());
      }
      const after = structuredClone(before);
      after.votes.push({
        level: after.currentLevel,
        approver: copyApprover(approver),
        vote: "reject",
        at: this.#clock.now(),
        ...(trimmed ? { reason: trimmed } : {}),
      });
      return this.#finish(after, "rejected", userActor(approver), "approval.rejected", {
        reason: trimmed,
        context: { level: before.currentLevel, approver_roles: approver.roles },
        base: before,
      });
    });
  }

  /**
   * Cancels an open request. Allowed to the requesting agent, to holders of the `admin` role and
   * to anyone routed to one of the chain's levels.
   */
  async cancel(id: string, who: Canceller, reason?: string): Promise<ApprovalRequest> {
    this.#assertRunning();
    return this.#lock.run(id, async () => {
      const before = await this.get(id);
      assertTransition(id, before.state, "cancelled");
      const kind = who.kind ?? "user";
      const allowed =
        kind === "system" ||
        (kind === "agent" && who.id === before.agent.id) ||
        (kind === "user" &&
          (who.roles.includes(ADMIN_ROLE) ||
            before.chain.levels.some((_, i) => isRoutedTo(before, i, who))));
      if (!allowed) {
        throw new ApprovalError(
          approvalMessages.notEligible(who.id, before.currentLevel, [
            ADMIN_ROLE,
            ...before.chain.levels.flatMap((l) => l.roles),
          ]),
        );
      }
      return this.#finish(
        structuredClone(before),
        "cancelled",
        { id: who.id, kind },
        "approval.cancelled",
        {
          reason: reason?.trim() || undefined,
          base: before,
        },
      );
    });
  }

  /** Approves or rejects many requests; each succeeds or fails on its own. */
  async batch(args: BatchArgs, approver: Approver): Promise<BatchResult> {
    const ids =
      args.ids ??
      (await this.list({ ...(args.filter ?? {}), state: [...OPEN_STATES] })).map((r) => r.id);
    const out: BatchResult = { results: [], succeeded: 0, failed: 0 };
    for (const id of ids) {
      try {
        const r =
          args.action === "approve"
            ? await this.approve(id, approver, args.reason)
            : await this.reject(id, approver, args.reason);
        out.results.push({ id, ok: true, state: r.state });
        out.succeeded++;
      } catch (err) {
        if (!(err instanceof ApprovalError)) throw err;
        out.results.push({ id, ok: false, code: err.code, error: err.message });
        out.failed++;
      }
    }
    return out;
  }

  async stats(): Promise<ApprovalStats> {
    return computeStats(await this.#store.list());
  }

  /**
   * Resolves with the request once it is final (approved, rejected, expired or cancelled); at
   * once if it already is. Rejects with `approval_wait_aborted` when `signal` aborts and with
   * `approval_service_stopped` on `stop()`.
   */
  waitForDecision(id: string, signal?: AbortSignal): Promise<ApprovalRequest> {
    return new Promise<ApprovalRequest>((resolve, reject) => {
      if (this.#stopped) {
        reject(new ApprovalError(approvalMessages.stopped()));
        return;
      }
      if (signal?.aborted) {
        reject(new ApprovalError(approvalMessages.aborted(id)));
        return;
      }
      const set = this.#waiters.get(id) ?? new Set<Waiter>();
      this.#waiters.set(id, set);
      const onAbort = () => {
        done();
        reject(new ApprovalError(approvalMessages.aborted(id)));
      };
      const done = () => {
        set.delete(waiter);
        if (set.size === 0 && this.#waiters.get(id) === set) this.#waiters.delete(id);
        signal?.removeEventListener("abort", onAbort);
      };
      const waiter: Waiter = {
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
      };
      // Registered before reading, so a decision landing in between is not missed.
      set.add(waiter);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.get(id).then(
        (r) => {
          if (!isOpen(r.state)) waiter.resolve(r);
        },
        (e) => waiter.reject(e),
      );
    });
  }

  /**
   * True exactly once for an approved request: the caller then forwards the held call. Durable
   * (the store persists the claim before answering), so a restart cannot forward twice.
   */
  async claimForward(id: string): Promise<boolean> {
    return this.#lock.run(id, async () => {
      const ok = await this.#store.claimForward(id, this.#clock.now());
      return ok;
    });
  }

  /** Processes what is due on `id`: reminders, then the deadline (escalate, approve or expire). */
  async #tick(id: string): Promise<void> {
    this.#armed.delete(id);
    if (this.#stopped) return;
    await this.#lock.run(id, async () => {
      const before = await this.#store.get(id);
      if (!before || !isOpen(before.state)) return;
      const now = this.#clock.now();
      let current = before;
      const system: Actor = { id: "system", kind: "system" };
      while (
        current.remindersSent < current.chain.reminders_ms.length &&
        current.createdAt + current.chain.reminders_ms[current.remindersSent]! <= now
      ) {
        const next = structuredClone(current);
        next.remindersSent++;
        const overdue = now >= current.expiresAt;
        if (!overdue) {
          await this.#commit(current, next, {
            type: "approval.reminder",
            actor: system,
            outcome: "pending",
            context: { reminder: next.remindersSent, of: next.chain.reminders_ms.length },
          });
          this.#notify("reminder", next);
        } else {
          next.version = current.version + 1;
          await this.#store.update(next);
        }
        current = next;
      }
      if (now < current.expiresAt) {
        this.#arm(current);
        return;
      }
      const onTimeout = current.chain.on_timeout;
      if (onTimeout === "escalate" && current.state === "pending") {
        const next = structuredClone(current);
        assertTransition(id, next.state, "escalated");
        next.state = "escalated";
        next.escalations.push({
          at: now,
          level: next.currentLevel,
          to: [...next.chain.escalate_to],
        });
        next.expiresAt = now + next.chain.timeout_ms;
        next.history.push({ from: current.state, to: "escalated", at: now, actor: system });
        await this.#commit(current, next, {
          type: "approval.escalated",
          actor: system,
          outcome: "escalated",
          context: { to: next.chain.escalate_to, expires_at: next.expiresAt },
        });
        this.#notify("escalated", next);
        return;
      }
      const reason = "the approval deadline passed";
      if (onTimeout === "approve") {
        await this.#finish(structuredClone(current), "approved", system, "approval.granted", {
          reason,
          context: { auto: "timeout" },
          base: current,
        });
      } else {
        await this.#finish(structuredClone(current), "expired", system, "approval.expired", {
          reason,
          base: current,
        });
      }
    });
  }

  /** Moves `r` to a final state, audits, stores, wakes waiters and notifies. */
  async #finish(
    r: ApprovalRequest,
    to: ApprovalState,
    actor: Actor,
    type: AuditEventInputLike["type"],
    opts: {
      reason?: string | undefined;
      context?: Record<string, unknown>;
      base?: ApprovalRequest;
    },
  ): Promise<ApprovalRequest> {
    const before = opts.base ?? structuredClone(r);
    assertTransition(r.id, before.state, to);
    const now = this.#clock.now();
    r.state = to;
    r.decidedAt = now;
    r.decidedBy = actor;
    if (opts.reason !== undefined) r.reason = opts.reason;
    r.history.push({
      from: before.state,
      to,
      at: now,
      actor,
      ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
    });
    await this.#commit(before, r, {
      type,
      actor,
      outcome: to as AuditEventInputLike["outcome"],
      context: { ...(opts.context ?? {}), reason: opts.reason },
    });
    this.#notify("decided", r);
    return r;
  }

  /**
   * Appends the audit event, then stores `after` over `before` (compare-and-set on the version),
   * then re-arms or disarms the timer and wakes waiters. A failed append leaves the stored state
   * untouched: no transition without its audit record.
   */
  async #commit(
    before: ApprovalRequest,
    after: ApprovalRequest,
    e: {
      type: AuditEventInputLike["type"];
      actor: Actor;
      outcome: AuditEventInputLike["outcome"];
      context?: Record<string, unknown>;
    },
  ): Promise<void> {
    after.version = before.version + 1;
    await this.#audit.append(
      auditEventOf(e.type, after, e.actor, e.outcome, this.#clock.now(), e.context),
    );
    await this.#store.update(after);
    if (isOpen(after.state)) {
      this.#arm(after);
      return;
    }
    this.#armed.get(after.id)?.cancel();
    this.#armed.delete(after.id);
    const set = this.#waiters.get(after.id);
    if (set) for (const w of [...set]) w.resolve(structuredClone(after));
  }

  /** Arms the timer of an open request at its next due time (reminder or deadline). */
  #arm(r: ApprovalRequest, at?: number): void {
    this.#armed.get(r.id)?.cancel();
    this.#armed.delete(r.id);
    if (this.#stopped || !isOpen(r.state)) return;
    const reminder =
      r.remindersSent < r.chain.reminders_ms.length
        ? r.createdAt + r.chain.reminders_ms[r.remindersSent]!
        : Number.POSITIVE_INFINITY;
    const due = at ?? Math.min(reminder, r.expiresAt);
    const id = r.id;
    this.#armed.set(
      id,
      this.#timers.schedule(due, () =>
        this.#tick(id).catch((err) => {
          this.#onError(err);
          if (this.#stopped) return;
          this.#armed.get(id)?.cancel();
          this.#armed.set(
            id,
            this.#timers.schedule(this.#clock.now() + this.#retryDelayMs, () => this.#retry(id)),
          );
        }),
      ),
    );
  }

  async #retry(id: string): Promise<void> {
    const r = await this.#store.get(id).catch(() => undefined);
    if (r) this.#arm(r, this.#clock.now());
  }

  #notify(kind: ApprovalNotificationKind, r: ApprovalRequest): void {
    if (!this.#notifier) return;
    try {
      this.#notifier.notify(notificationOf(kind, r, this.#clock.now()));
    } catch (err) {
      this.#onError(err);
    }
  }

  #assertRunning(): void {
    if (this.#stopped) throw new ApprovalError(approvalMessages.stopped());
  }
}

function copyApprover(a: Approver): Approver {
  return { id: a.id, roles: [...a.roles] };
}

function userActor(a: Approver): Actor {
  return { id: a.id, kind: "user" };
}
