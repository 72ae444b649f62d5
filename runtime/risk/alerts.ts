import { randomUUID } from "node:crypto";
import type {
  Decision,
  DecisionEffect,
  DecisionInput,
  Obligation,
  RiskLevelName,
} from "../decision/types.js";

/**
 * An alert raised by a decision (risk issue, item 5). It carries identifiers, the score, the level
 * and policy ids only: never argument values, results or the justification text, so that sinks
 * (logs, webhooks) cannot leak what the policies protect.
 */
export interface Alert {
  id: string;
  /** ISO 8601 time of the decision. */
  time: string;
  level: RiskLevelName;
  score: number;
  decision: DecisionEffect;
  /** Highest severity of the `alert` obligations, else the risk level. */
  severity: string;
  agent_id: string;
  action: string;
  session_id?: string;
  workflow_id?: string;
  /** Ids of the matched rules. */
  policies: string[];
  /** Ids of the `alert` policies that fired (empty when raised by the risk level alone). */
  alert_policies: string[];
  /** Messages authored in the `alert` policies (static policy text, not input data). */
  messages: string[];
  /** Set when a rate limit or quota refused the call. */
  limited?: string;
  bundle: string;
}

/** Where alerts go. `emit` must return at once and never throw; delivery is the sink's business. */
export interface AlertSink {
  readonly name: string;
  emit(alert: Alert): void;
  /** Counters for metrics (delivered, failed, dropped, ...). */
  stats?(): Record<string, number>;
}

export const RISK_LEVELS: readonly RiskLevelName[] = ["low", "medium", "high", "critical"];

const SEVERITIES = ["info", "low", "medium", "warning", "high", "critical"];

const rank = (level: string): number => RISK_LEVELS.indexOf(level as RiskLevelName);

export interface AlertRuleOptions {
  /** Decisions at or above this risk level raise an alert (default `critical`). */
  minLevel?: RiskLevelName;
  newId?: () => string;
}

/**
 * The alert a decision raises, if any: when its risk level is at or above `minLevel`, or when it
 * carries an `alert` obligation.
 */
export function alertFor(
  input: DecisionInput,
  decision: Decision & { limited?: { policy: string } },
  opts: AlertRuleOptions = {},
): Alert | undefined {
  const minLevel = opts.minLevel ?? "critical";
  const alertObligations = decision.obligations.filter(
    (o): o is Extract<Obligation, { type: "alert" }> => o.type === "alert",
  );
  const level = decision.risk?.level ?? "low";
  if (alertObligations.length === 0 && rank(level) < rank(minLevel)) return undefined;
  let severity: string = level;
  for (const o of alertObligations) {
    const s = typeof o.severity === "string" ? o.severity : undefined;
    if (s !== undefined && SEVERITIES.indexOf(s) > SEVERITIES.indexOf(severity)) severity = s;
  }
  const alert: Alert = {
    id: (opts.newId ?? randomUUID)(),
    time: typeof input.time === "string" ? input.time : new Date().toISOString(),
    level,
    score: decision.risk?.score ?? 0,
    decision: decision.decision,
    severity,
    agent_id: String(input.agent?.id),
    action: String(input.action?.name),
    policies: decision.matched.map((m) => m.id),
    alert_policies: alertObligations.map((o) => o.policy),
    messages: alertObligations.flatMap((o) => (typeof o.message === "string" ? [o.message] : [])),
    bundle: decision.bundle.hash,
  };
  if (typeof input.session?.id === "string") alert.session_id = input.session.id;
  if (typeof input.workflow?.id === "string") alert.workflow_id = input.workflow.id;
  if (decision.limited !== undefined) alert.limited = decision.limited.policy;
  return alert;
}

/**
 * Hands an alert to every sink. A sink that throws is counted and skipped: sinks never block or
 * fail a decision. Returns the number of sinks that threw.
 */
export function dispatchAlert(alert: Alert, sinks: readonly AlertSink[]): number {
  let failed = 0;
  for (const sink of sinks) {
    try {
      sink.emit(alert);
    } catch {
      failed++;
    }
  }
  return failed;
}
