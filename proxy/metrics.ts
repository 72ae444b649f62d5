/**
 * Prometheus metrics of the sidecar (prom-client, a private registry so several sidecars in one
 * process, as in tests, do not collide). The two per-call histograms are {@link FastHistogram}s:
 * prom-client's `Histogram#observe` hashes the label set on every call (also through a child
 * from `labels()`), which showed in `--cpu-prof` of the data plane; ours pre-binds one bucket
 * array per label set and only formats at scrape time.
 */
import { Counter, Gauge, type MetricValue, Registry } from "prom-client";

/** One label set's cumulative-at-scrape bucket counts (`counts[i]` counts values in bucket i). */
export interface HistogramChild {
  /** Records one value (in the histogram's unit). */
  observe(value: number): void;
}

class Child implements HistogramChild {
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(
    readonly labels: Record<string, string>,
    private readonly bounds: readonly number[],
  ) {
    this.counts = new Float64Array(bounds.length + 1);
  }
  observe(value: number): void {
    const b = this.bounds;
    let i = 0;
    while (i < b.length && value > b[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

/**
 * A Prometheus histogram with pre-bound children, registered in a prom-client registry (it
 * implements the registry's metric interface: `name`, `help`, `type`, `get`, `reset`). Buckets
 * are upper bounds (`le`, inclusive) as in the exposition format; `+Inf` is added.
 */
export class FastHistogram {
  readonly type = "histogram";
  readonly aggregator = "sum";
  readonly #children = new Map<string, Child>();
  readonly #bounds: readonly number[];

  constructor(
    readonly name: string,
    readonly help: string,
    buckets: readonly number[],
    registry: Registry,
  ) {
    this.#bounds = [...buckets].sort((a, b) => a - b);
    // biome-ignore lint/suspicious/noExplicitAny: prom-client types registerMetric for its own classes
    registry.registerMetric(this as any);
  }

  /** The child of a label set; keep it and call `observe` on the hot path. */
  child(labels: Record<string, string> = {}): HistogramChild {
    const key = JSON.stringify(labels);
    let c = this.#children.get(key);
    if (!c) {
      c = new Child({ ...labels }, this.#bounds);
      this.#children.set(key, c);
    }
    return c;
  }

  get(): {
    name: string;
    help: string;
    type: string;
    values: MetricValue<string>[];
    aggregator: string;
  } {
    const values: MetricValue<string>[] = [];
    for (const c of this.#children.values()) {
      let acc = 0;
      for (let i = 0; i <= this.#bounds.length; i++) {
        acc += c.counts[i]!;
        const le = i < this.#bounds.length ? this.#bounds[i]! : "+Inf";
        values.push({
          labels: { ...c.labels, le },
          value: acc,
          metricName: `${this.name}_bucket`,
        } as MetricValue<string>);
      }
      values.push({
        labels: c.labels,
        value: c.sum,
        metricName: `${this.name}_sum`,
      } as MetricValue<string>);
      values.push({
        labels: c.labels,
        value: c.count,
        metricName: `${this.name}_count`,
      } as MetricValue<string>);
    }
    return {
      name: this.name,
      help: this.help,
      type: "histogram",
      values,
      aggregator: "sum",
    };
  }

  reset(): void {
    this.#children.clear();
  }
}

export class ProxyMetrics {
  readonly registry = new Registry();
  readonly #gauge = (name: string, help: string) =>
    new Gauge({ name, help, registers: [this.registry] });
  readonly #counter = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new Counter<L>({ name, help, labelNames, registers: [this.registry] });
  readonly decisions = this.#counter("paracle_decisions_total", "Decisions by result", [
    "decision",
  ]);
  readonly decisionSeconds = new FastHistogram(
    "paracle_decision_duration_seconds",
    "Time to evaluate one decision",
    [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01],
    this.registry,
  );
  readonly upstreamSeconds = new FastHistogram(
    "paracle_upstream_duration_seconds",
    "Upstream latency by upstream and status class",
    [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    this.registry,
  );
  readonly #decisionChild = this.decisionSeconds.child();
  readonly auditFailures = this.#counter(
    "paracle_audit_failures_total",
    "Audit appends that failed (each one denied a call)",
  );
  readonly bundleReloads = this.#counter(
    "paracle_bundle_reloads_total",
    "Bundle reload attempts by result",
    ["result"],
  );
  readonly approvalsPending = this.#gauge(
    "paracle_approvals_pending",
    "Approval requests waiting for a decision",
  );
  readonly auditRecords = this.#gauge("paracle_audit_records", "Records in the audit log");
  readonly auditCommitSeconds = new FastHistogram(
    "paracle_audit_commit_wait_seconds",
    "Audit lag: per group commit, how long its first record waited from append to committed",
    [0.0001, 0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5],
    this.registry,
  );
  readonly #commitChild = this.auditCommitSeconds.child();
  readonly auditUnindexed = this.#gauge(
    "paracle_audit_unindexed_records",
    "Audit lag: records not yet in the search index (they follow within 10 ms)",
  );
  readonly auditUncheckpointed = this.#gauge(
    "paracle_audit_uncheckpointed_records",
    "Audit lag: records not yet covered by a signed checkpoint",
  );
  readonly limited = this.#counter(
    "paracle_limited_total",
    "Calls refused by a rate limit or quota (also counted as deny decisions), by kind and policy",
    ["kind", "policy"],
  );
  readonly counterWriteFailures = this.#gauge(
    "paracle_counter_write_failures",
    "Failed writes of the rate-limit and quota counters to <data_dir>/limits (retried; counting goes on in memory)",
  );
  readonly auditHealthy = this.#gauge(
    "paracle_audit_healthy",
    "1 when the audit log accepts writes, 0 when the sidecar fails closed",
  );

  /** Hot path: a counter per decision effect, cached to avoid label lookups. */
  readonly #byEffect = new Map<string, { inc(): void }>();

  observeDecision(effect: string, ms: number): void {
    let c = this.#byEffect.get(effect);
    if (!c) {
      c = this.decisions.labels(effect);
      this.#byEffect.set(effect, c);
    }
    c.inc();
    this.#decisionChild.observe(ms / 1000);
  }

  observeLimited(kind: string, policy: string): void {
    this.limited.labels(kind, policy).inc();
  }

  observeAuditCommit(waitMs: number): void {
    this.#commitChild.observe(waitMs / 1000);
  }

  /** Children by upstream, then by status class (0-9): no string building per call. */
  readonly #byUpstream = new Map<string, HistogramChild[]>();

  observeUpstream(upstream: string, status: number, ms: number): void {
    let byClass = this.#byUpstream.get(upstream);
    if (!byClass) {
      byClass = [];
      this.#byUpstream.set(upstream, byClass);
    }
    const cls = Math.min(9, Math.max(0, Math.floor(status / 100)));
    let h = byClass[cls];
    if (!h) {
      h = this.upstreamSeconds.child({ upstream, status: `${cls}xx` });
      byClass[cls] = h;
    }
    h.observe(ms / 1000);
  }
}
