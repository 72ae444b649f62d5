/**
 * The admin listener's app (hono): health, readiness, Prometheus metrics, bundle status and
 * reload, and the approval routes (mounted under `/v1/approvals`, behind admin authentication).
 */
import { Hono } from "hono";
import type { ProxyMetrics } from "../metrics.js";
import type { ReloadResult } from "../reload/watcher.js";
import {
  type AdminEnv,
  type Authenticator,
  type AuthFailureHandler,
  requirePrincipal,
} from "./auth.js";

export interface HealthReport {
  /** Liveness: false when the sidecar fails closed (audit log not writable). */
  healthy: boolean;
  /** Readiness: healthy, a bundle is loaded and the listeners accept connections. */
  ready: boolean;
  checks: Record<string, unknown>;
}

export interface AdminAppOptions {
  authenticate: Authenticator;
  health: () => HealthReport;
  metrics: ProxyMetrics;
  publicMetrics: boolean;
  /** Refreshes gauges before a scrape. */
  beforeScrape?: () => Promise<void> | void;
  bundle: () => Record<string, unknown>;
  reload: () => Promise<ReloadResult>;
  approvals?: Hono<AdminEnv>;
  onAuthFailure?: AuthFailureHandler;
}

export function adminApp(opts: AdminAppOptions): Hono<AdminEnv> {
  const app = new Hono<AdminEnv>();
  const auth = requirePrincipal(opts.authenticate, opts.onAuthFailure);

  app.get("/healthz", (c) => {
    const h = opts.health();
    return c.json(
      { status: h.healthy ? "ok" : "failing", checks: h.checks },
      h.healthy ? 200 : 503,
    );
  });
  app.get("/readyz", (c) => {
    const h = opts.health();
    return c.json(
      { status: h.ready ? "ready" : "not ready", checks: h.checks },
      h.ready ? 200 : 503,
    );
  });
  if (!opts.publicMetrics) app.use("/metrics", auth);
  app.get("/metrics", async (c) => {
    await opts.beforeScrape?.();
    return c.body(await opts.metrics.registry.metrics(), 200, {
      "content-type": opts.metrics.registry.contentType,
    });
  });
  app.use("/v1/*", auth);
  app.get("/v1/bundle", (c) => c.json(opts.bundle()));
  app.post("/v1/bundle/reload", async (c) => {
    const r = await opts.reload();
    return c.json(r, r.status === "rejected" ? 422 : 200);
  });
  if (opts.approvals) app.route("/v1/approvals", opts.approvals);
  return app;
}
