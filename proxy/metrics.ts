/**
 * Prometheus metrics of the sidecar (prom-client, a private registry so several sidecars in one
 * process, as in tests, do not collide).
 */
import { Counter, Gauge, Histogram, Registry } from "prom-client";

export class ProxyMetrics {
  readonly registry = new Registry();
  readonly decisions = new Counter({
    name: "paracle_decisions_total",
    help: "Decisions by result",
    labelNames: ["decision"] as const,
    registers: [this.registry],
  });
  readonly decisionSeconds = new Histogram({
    name: "paracle_decision_duration_seconds",
    help: "Time to evaluate one decision",
    buckets: [0.00001, 0.00005, 0.0001, 0.0005, 0.001, 0.005, 0.01],
    registers: [this.registry],
  });
  readonly upstreamSeconds = new Histogram({
    name: "paracle_upstream_duration_seconds",
    help: "Upstream latency by upstream and status class",
    labelNames: ["upstream", "status"] as const,
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [this.registry],
  });
  readonly auditFailures = new Counter({
    name: "paracle_audit_failures_total",
    help: "Audit appends that failed (each one denied a call)",
    registers: [this.registry],
  });
  readonly bundleReloads = new Counter({
    name: "paracle_bundle_reloads_total",
    help: "Bundle reload attempts by result",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });
  readonly approvalsPending = new Gauge({
    name: "paracle_approvals_pending",
    help: "Approval requests waiting for a decision",
    registers: [this.registry],
  });
  readonly auditRecords = new Gauge({
    name: "paracle_audit_records",
    help: "Records in the audit log",
    registers: [this.registry],
  });
  readonly auditHealthy = new Gauge({
    name: "paracle_audit_healthy",
    help: "1 when the audit log accepts writes, 0 when the sidecar fails closed",
    registers: [this.registry],
  });

  /** Hot path: a counter per decision effect, cached to avoid label lookups. */
  readonly #byEffect = new Map<string, { inc(): void }>();

  observeDecision(effect: string, ms: number): void {
    let c = this.#byEffect.get(effect);
    if (!c) {
      c = this.decisions.labels(effect);
      this.#byEffect.set(effect, c);
    }
    c.inc();
    this.decisionSeconds.observe(ms / 1000);
  }

  readonly #byUpstream = new Map<string, { observe(v: number): void }>();

  observeUpstream(upstream: string, status: number, ms: number): void {
    const key = `${upstream}\u0000${Math.floor(status / 100)}`;
    let h = this.#byUpstream.get(key);
    if (!h) {
      h = this.upstreamSeconds.labels(upstream, `${Math.floor(status / 100)}xx`);
      this.#byUpstream.set(key, h);
    }
    h.observe(ms / 1000);
  }
}
