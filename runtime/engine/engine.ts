import { type Clock, systemClock } from "../clock.js";
import type {
  Decision,
  DecisionEffect,
  DecisionInput,
  Obligation,
  RiskLevelName,
} from "../decision/types.js";
import { type AlertSink, alertFor, dispatchAlert } from "../risk/alerts.js";
import { HistoryTracker } from "../risk/history.js";
import { errorMessage, failClosed, isoTime, safeDecide } from "./evaluate.js";
import { type LimitCheck, LimitCounters, type LimitDimension } from "./limits.js";
import type { LoadedBundle } from "./loader.js";

/** A decision as enforced by the engine: a refused rate limit or quota says which and for how long. */
export type EngineDecision = Decision & {
  limited?: { policy: string; kind: "rate_limit" | "quota"; retry_after_ms: number };
};

export interface PolicyEngineOptions {
  bundle: LoadedBundle;
  clock?: Clock;
  /** IANA zone used to write `input.time` when the engine fills it (default UTC). */
  timeZone?: string;
  alerts?: AlertSink[];
  /** Decisions at or above this risk level raise an alert (default `critical`). */
  alertLevel?: RiskLevelName;
  /** Per-agent statistics injected as `input.history` (a default tracker on `clock` if absent). */
  history?: HistoryTracker;
  /** Rate-limit and quota counters (default: in memory, 1,000,000 stored numbers at most). */
  limits?: LimitCounters;
}

/** Counters for metrics. */
export interface EngineStats {
  decisions: Record<DecisionEffect, number>;
  limited: { rate_limit: number; quota: number };
  /** Decisions that failed closed on an internal or rule error. */
  errors: number;
  alerts: number;
  alertSinkErrors: number;
}

const DIMENSIONS: readonly LimitDimension[] = ["agent", "tool", "session"];

type Limit = Extract<Obligation, { type: "rate_limit" }> | Extract<Obligation, { type: "quota" }>;

const formatWindow = (ms: number): string =>
  ms % 86_400_000 === 0
    ? `${ms / 86_400_000}d`
    : ms % 3_600_000 === 0
      ? `${ms / 3_600_000}h`
      : ms % 60_000 === 0
        ? `${ms / 60_000}m`
        : ms % 1000 === 0
          ? `${ms / 1000}s`
          : `${ms}ms`;

/** Checks a stateful obligation's fields; returns a problem or undefined. */
function limitProblem(o: Record<string, unknown>): string | undefined {
  const ok = (n: unknown, min: number) => typeof n === "number" && Number.isFinite(n) && n >= min;
  if (!ok(o.limit, 0)) return `\`${o.type}\` obligation of \`${o.policy}\` has no valid \`limit\``;
  if (!ok(o.window_ms, 1))
    return `\`${o.type}\` obligation of \`${o.policy}\` has no valid \`window_ms\``;
  if (o.type === "quota" && !ok(o.amount, 0)) {
    return `quota \`${o.policy}\` got amount \`${String(o.amount)}\`; a finite number >= 0 is required`;
  }
  const per = o.per ?? [];
  if (!Array.isArray(per) || !per.every((d) => DIMENSIONS.includes(d))) {
    return `\`${o.type}\` obligation of \`${o.policy}\` has an unknown \`per\` dimension`;
  }
  return undefined;
}

/** Counter key: the policy, its limits (an edited policy starts afresh) and the `per` values. */
function limitKey(o: Limit, input: DecisionInput): string {
  const per = new Set(o.per ?? []);
  const parts: unknown[] = [o.type, o.policy, o.limit, o.window_ms];
  if (per.has("agent")) parts.push(input.agent?.id ?? null);
  if (per.has("tool")) parts.push(input.action?.name ?? null);
  if (per.has("session")) parts.push(input.session?.id ?? null);
  return JSON.stringify(parts);
}

/**
 * Enforces a loaded bundle with the runtime's state: fills `time` and `history`, applies
 * `rate_limit` and `quota` obligations with in-memory counters, raises alerts, and never throws.
 * Unlike {@link PolicyEvaluator} (stateless), the same input can be decided differently over time.
 *
 * Counters survive `swap` (they are keyed by policy id and limits), so a reload does not reset
 * rate limits. A call refused by the bundle consumes no rate-limit or quota budget; a call refused
 * by one limit consumes none of the others.
 *
 * @example
 * const engine = new PolicyEngine({ bundle: await loadBundle("dist-bundle") });
 * const d = engine.decide({ agent: { id: "support-bot" }, action: { name: "email.send" }, args });
 * if (d.decision === "deny" && d.limited) retryAfter(d.limited.retry_after_ms);
 */
export class PolicyEngine {
  #bundle: LoadedBundle;
  readonly #clock: Clock;
  readonly #timeZone: string | undefined;
  readonly #alerts: readonly AlertSink[];
  readonly #alertLevel: RiskLevelName;
  readonly history: HistoryTracker;
  readonly limits: LimitCounters;
  readonly #stats: EngineStats = {
    decisions: { allow: 0, deny: 0, require_approval: 0 },
    limited: { rate_limit: 0, quota: 0 },
    errors: 0,
    alerts: 0,
    alertSinkErrors: 0,
  };

  constructor(opts: PolicyEngineOptions) {
    this.#bundle = opts.bundle;
    this.#clock = opts.clock ?? systemClock;
    this.#timeZone = opts.timeZone;
    if (opts.timeZone !== undefined) isoTime(0, opts.timeZone); // throws on an unknown zone
    this.#alerts = opts.alerts ?? [];
    this.#alertLevel = opts.alertLevel ?? "critical";
    this.history = opts.history ?? new HistoryTracker({ clock: this.#clock });
    this.limits = opts.limits ?? new LimitCounters();
  }

  /** The bundle new decisions use. */
  get bundle(): LoadedBundle {
    return this.#bundle;
  }

  /**
   * Replaces the bundle atomically: `decide` is synchronous and reads the bundle once, so every
   * decision runs wholly on the old bundle or wholly on the new one.
   */
  swap(bundle: LoadedBundle): void {
    this.#bundle = bundle;
  }

  /**
   * Decides `input`. Never throws: any internal error is a deny carrying `errors[]`.
   * A `list`-phase input (`action.phase: "list"`, tools/list visibility) is not a call: it is
   * decided with the agent's history but counts no call, consumes no rate-limit or quota budget
   * and raises no alert.
   */
  decide(input: DecisionInput): EngineDecision {
    const bundle = this.#bundle;
    let decision: EngineDecision;
    let full: DecisionInput = input;
    let isCall = true;
    try {
      const now = this.#clock.now();
      if (typeof input !== "object" || input === null)
        throw new TypeError("input is not an object");
      const agentId = String(input.agent?.id ?? "");
      isCall = input.action?.phase !== "list";
      if (isCall) this.history.recordCall(agentId);
      full = {
        ...input,
        time: input.time ?? isoTime(now, this.#timeZone),
        history: this.history.stats(agentId),
      };
      decision = safeDecide(bundle.module, full, bundle.hash);
      if (isCall && decision.decision !== "deny") decision = this.#applyLimits(full, decision, now);
      if (isCall && decision.decision === "deny") this.history.recordDenial(agentId);
    } catch (error) {
      decision = failClosed(`engine error: ${errorMessage(error)}`, bundle.hash);
    }
    this.#count(decision);
    if (isCall) this.#alert(full, decision);
    return decision;
  }

  /**
   * Records what happened to an allowed call (tool error or success) so `history.errors` counts it.
   */
  recordOutcome(
    input: DecisionInput,
    _decision: Decision,
    outcome: { ok: boolean; latencyMs: number },
  ): void {
    try {
      if (!outcome.ok) this.history.recordError(String(input.agent?.id ?? ""));
    } catch {
      // statistics must never fail a call
    }
  }

  /** Counters for metrics (decisions by effect, limited calls, failed-closed decisions, alerts). */
  stats(): EngineStats {
    return structuredClone(this.#stats);
  }

  #applyLimits(input: DecisionInput, decision: Decision, now: number): EngineDecision {
    const checks: LimitCheck[] = [];
    let refused: EngineDecision["limited"];
    let refusedBy: Limit | undefined;
    for (const o of decision.obligations) {
      if (o.type !== "rate_limit" && o.type !== "quota") continue;
      const problem = limitProblem(o);
      if (problem !== undefined) return failClosed(problem, decision.bundle.hash, decision);
      const limit = o as Limit;
      const key = limitKey(limit, input);
      const check =
        limit.type === "rate_limit"
          ? this.limits.checkRate(key, limit, now)
          : this.limits.checkQuota(key, limit, now);
      if (check.ok) checks.push(check);
      else if (refused === undefined || check.retryAfterMs > refused.retry_after_ms) {
        refused = { policy: limit.policy, kind: limit.type, retry_after_ms: check.retryAfterMs };
        refusedBy = limit;
      }
    }
    if (refused === undefined || refusedBy === undefined) {
      for (const c of checks) if (c.ok) c.commit();
      return decision;
    }
    const window = formatWindow(refusedBy.window_ms);
    const reason =
      refusedBy.type === "rate_limit"
        ? `rate limit \`${refused.policy}\` exceeded: ${refusedBy.limit} calls per ${window}`
        : `quota \`${refused.policy}\` exceeded: budget ${refusedBy.limit} per ${window}`;
    const { approval: _approval, ...rest } = decision;
    return { ...rest, decision: "deny", reasons: [reason, ...decision.reasons], limited: refused };
  }

  #count(d: EngineDecision): void {
    this.#stats.decisions[d.decision]++;
    if (d.limited) this.#stats.limited[d.limited.kind]++;
    if (d.errors && d.errors.length > 0) this.#stats.errors++;
  }

  #alert(input: DecisionInput, d: EngineDecision): void {
    if (this.#alerts.length === 0) return;
    try {
      const alert = alertFor(input, d, { minLevel: this.#alertLevel });
      if (alert === undefined) return;
      this.#stats.alerts++;
      this.#stats.alertSinkErrors += dispatchAlert(alert, this.#alerts);
    } catch {
      this.#stats.alertSinkErrors++;
    }
  }
}
