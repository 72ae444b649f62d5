import type { Alert, AlertSink } from "./alerts.js";

/** Labels of the alert counter. */
export interface AlertLabels {
  level: string;
  severity: string;
  decision: string;
}

/**
 * The part of a prom-client `Counter` the sink needs, so the proxy can pass
 * `new Counter({ name: "paracle_alerts_total", help: "...", labelNames: ["level", "severity", "decision"] })`
 * without the runtime depending on prom-client.
 */
export interface AlertCounter {
  inc(labels: AlertLabels, value?: number): void;
}

/** Counts alerts by level, severity and decision, in memory and in an optional counter. */
export class MetricAlertSink implements AlertSink {
  readonly name = "metric";
  readonly #counter: AlertCounter | undefined;
  readonly #counts = new Map<string, { labels: AlertLabels; value: number }>();
  #errors = 0;

  constructor(opts: { counter?: AlertCounter } = {}) {
    this.#counter = opts.counter;
  }

  emit(alert: Alert): void {
    const labels = { level: alert.level, severity: alert.severity, decision: alert.decision };
    const key = `${labels.level}\u0000${labels.severity}\u0000${labels.decision}`;
    const entry = this.#counts.get(key);
    if (entry === undefined) this.#counts.set(key, { labels, value: 1 });
    else entry.value++;
    try {
      this.#counter?.inc(labels, 1);
    } catch {
      this.#errors++;
    }
  }

  /** Current counts, one row per label combination seen. */
  counts(): { labels: AlertLabels; value: number }[] {
    return [...this.#counts.values()].map((e) => ({ labels: { ...e.labels }, value: e.value }));
  }

  stats(): Record<string, number> {
    let total = 0;
    for (const e of this.#counts.values()) total += e.value;
    return { total, errors: this.#errors };
  }
}
