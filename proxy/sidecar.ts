/**
 * Assembles a running sidecar from a validated config and the runtime parts: the policy engine
 * (loaded bundle, hot reload), the audit log, approvals; the data-plane listener (node:http) and
 * the admin listener (hono on @hono/node-server).
 */
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Hono } from "hono";
import type { Clock } from "../runtime/clock.js";
import {
  LimitCounters,
  type LoadedBundle,
  loadBundle,
  PolicyEngine,
  redact,
} from "../runtime/engine/index.js";
import { WebhookAlertSink } from "../runtime/risk/alerts-webhook.js";
import { adminApp } from "./admin/app.js";
import { type AdminEnv, adminAuthenticator } from "./admin/auth.js";
import type { SidecarConfig } from "./config/types.js";
import type { DataPlaneContext } from "./data-plane/context.js";
import { kindResolver } from "./data-plane/route-table.js";
import { createDataPlane } from "./data-plane/server.js";
import { Upstreams } from "./data-plane/upstream.js";
import { Enforcer } from "./enforce/enforcer.js";
import { type IdentityResolver, jwtIdentity, staticIdentity } from "./identity.js";
import { ProxyMetrics } from "./metrics.js";
import type { ApprovalGate, AuditLog } from "./ports.js";
import { BundleWatcher, type ReloadResult } from "./reload/watcher.js";

/** The runtime parts a sidecar drives (opened by `openRuntimeParts`, or handed in by tests). */
export interface SidecarParts {
  audit: AuditLog & {
    close?(): Promise<void>;
    readonly size?: number;
    /** Records behind the search index and behind the last signed checkpoint (metrics). */
    lag?(): { unindexed: number; uncheckpointed: number };
    /** Set by the sidecar: called after each group commit (metrics). */
    onCommit?: ((records: number, waitMs: number) => void) | undefined;
  };
  approvals?: ApprovalGate & { start?(): Promise<void>; stop?(): Promise<void> };
  /** The `/v1/approvals` sub-app (proxy/admin/approvals.ts). */
  approvalRoutes?: Hono<AdminEnv>;
  /** Called with each bundle put in force (at start and on reload), e.g. for approval templates. */
  onBundle?: (bundle: LoadedBundle) => void;
  /** Pending approvals, for the metrics gauge. */
  pendingApprovals?: () => Promise<number> | number;
  /**
   * Rate-limit and quota counters (restored from the data directory by `openRuntimeParts`);
   * `stop` writes their last changes at shutdown. Default: in memory only.
   */
  limits?: {
    counters: LimitCounters;
    /** Kept in the data directory across restarts. */
    persisted: boolean;
    restored: number;
    stop?(): Promise<void>;
    /** Writes of the counters that failed so far (metrics). */
    failures?(): number;
  };
  clock?: Clock;
}

export interface Sidecar {
  /** `http://host:port` of the data plane. */
  readonly url: string;
  /** `http://host:port` of the admin listener. */
  readonly adminUrl: string;
  readonly engine: PolicyEngine;
  readonly enforcer: Enforcer;
  readonly metrics: ProxyMetrics;
  /** Checks the bundle directory now (as the watcher does on a change). */
  reload(force?: boolean): Promise<ReloadResult>;
  /** Stops accepting, drains in-flight calls (up to `shutdown_grace`), closes the parts. */
  close(): Promise<void>;
}

/**
 * Starts a sidecar. Throws if the bundle cannot be loaded (no bundle, no decisions: fail closed).
 *
 * @example
 * const sidecar = await startSidecar(loadConfig("sidecar.yaml"), await openRuntimeParts(config));
 */
export async function startSidecar(config: SidecarConfig, parts: SidecarParts): Promise<Sidecar> {
  const clock = parts.clock;
  const metrics = new ProxyMetrics();
  const loadOpts = {
    publicKey: config.bundle.publicKey,
    requireSignature: config.bundle.requireSignature,
    ...(clock ? { clock } : {}),
  };
  const bundle: LoadedBundle = await loadBundle(config.bundle.dir, loadOpts);
  parts.onBundle?.(bundle);
  const alertSink = config.alerts.webhook
    ? new WebhookAlertSink({ ...config.alerts.webhook })
    : undefined;
  const engine = new PolicyEngine({
    bundle,
    limits: parts.limits?.counters ?? new LimitCounters({ maxEntries: config.counters.maxEntries }),
    // UTC needs no Intl formatting (toISOString): measurably cheaper per decision
    ...(config.timeZone === "UTC" ? {} : { timeZone: config.timeZone }),
    ...(clock ? { clock } : {}),
    ...(alertSink ? { alerts: [alertSink] } : {}),
  });
  if ("onCommit" in parts.audit) parts.audit.onCommit = (_n, ms) => metrics.observeAuditCommit(ms);
  const enforcer = new Enforcer({
    engine: () => engine,
    audit: parts.audit,
    approvals: parts.approvals,
    redact: (value, obligations, where) => redact(value, obligations, where),
    approvalMode: config.approvals.mode,
    holdTimeoutMs: config.approvals.holdTimeoutMs,
    onDecision: (d, ms) => {
      metrics.observeDecision(d.decision, ms);
      if (d.limited) metrics.observeLimited(d.limited.kind, d.limited.policy);
    },
    onAuditFailure: () => metrics.auditFailures.inc(),
  });
  const system = { id: "paracle-sidecar", kind: "system" as const };
  await enforcer.event({
    type: "system.start",
    actor: system,
    outcome: "success",
    context: {
      bundle: bundle.hash,
      counters: {
        persisted: parts.limits?.persisted ?? false,
        restored: parts.limits?.restored ?? 0,
      },
    },
  });
  await enforcer.event({
    type: "config.bundle_loaded",
    actor: system,
    outcome: "success",
    context: {
      hash: bundle.hash,
      signed: bundle.signed,
      dir: bundle.dir,
      policies: bundle.manifest.policies,
    },
  });

  const identity: IdentityResolver =
    config.identity.mode === "jwt" && config.identity.jwt
      ? await jwtIdentity(config.identity.jwt, config.agent)
      : staticIdentity(config.agent);
  const upstreams = new Upstreams(config.upstreams.values());
  const configuredKind = kindResolver(config.routes.kinds);
  const learnt = new Map<string, string>();
  const ctx: DataPlaneContext = {
    config,
    enforcer,
    upstreams,
    identity,
    metrics,
    kindOf: (tool) => configuredKind(tool) ?? learnt.get(tool),
    learnKind: (tool, kind) => {
      if (learnt.size < 10_000 || learnt.has(tool)) learnt.set(tool, kind);
    },
  };

  let previousHash = bundle.hash;
  const reloadBundle = async (): Promise<string> => {
    const next = await loadBundle(config.bundle.dir, loadOpts);
    previousHash = engine.bundle.hash;
    engine.swap(next);
    parts.onBundle?.(next);
    return next.hash;
  };
  const watcher = new BundleWatcher({
    dir: config.bundle.dir,
    current: () => engine.bundle.hash,
    reload: reloadBundle,
    onResult: (r) => {
      metrics.bundleReloads.labels(r.status).inc();
      if (r.status === "unchanged") return;
      void enforcer.event(
        r.status === "loaded"
          ? {
              type: "config.bundle_loaded",
              actor: system,
              outcome: "success",
              context: {
                hash: r.hash,
                previous: previousHash,
                signed: engine.bundle.signed,
                dir: engine.bundle.dir,
                policies: engine.bundle.manifest.policies,
              },
            }
          : {
              type: "config.bundle_rejected",
              actor: system,
              outcome: "failure",
              context: { error: r.error, code: r.code, kept: engine.bundle.hash },
            },
      );
    },
  });
  if (config.bundle.watch) watcher.start();

  const data = createDataPlane(ctx);
  let inFlight = 0;
  data.on("request", (_req, res) => {
    inFlight++;
    res.once("close", () => inFlight--);
  });
  await listen(data, config.listen.host, config.listen.port);
  let closing = false;

  const authenticate = await adminAuthenticator(config.admin.tokens, config.admin.jwt);
  const admin = adminApp({
    authenticate,
    metrics,
    publicMetrics: config.admin.publicMetrics,
    health: () => {
      const auditOk = enforcer.healthy;
      return {
        healthy: auditOk,
        ready: auditOk && !closing,
        checks: {
          audit: auditOk
            ? "ok"
            : `failing: ${String((enforcer.lastAuditError as Error)?.message ?? "unhealthy")}`,
          bundle: engine.bundle.hash,
          in_flight: inFlight,
        },
      };
    },
    beforeScrape: async () => {
      metrics.auditHealthy.set(enforcer.healthy ? 1 : 0);
      if (parts.audit.size !== undefined) metrics.auditRecords.set(parts.audit.size);
      const counterFailures = parts.limits?.failures?.();
      if (counterFailures !== undefined) metrics.counterWriteFailures.set(counterFailures);
      const lag = parts.audit.lag?.();
      if (lag) {
        metrics.auditUnindexed.set(lag.unindexed);
        metrics.auditUncheckpointed.set(lag.uncheckpointed);
      }
      if (parts.pendingApprovals) metrics.approvalsPending.set(await parts.pendingApprovals());
    },
    bundle: () => ({
      hash: engine.bundle.hash,
      signed: engine.bundle.signed,
      dir: engine.bundle.dir,
      loaded_at: new Date(engine.bundle.loadedAt).toISOString(),
      policies: engine.bundle.manifest.policies,
    }),
    reload: () => watcher.check(true),
    approvals: parts.approvalRoutes,
    onAuthFailure: (reason, req) =>
      enforcer.event({
        type: "auth.failure",
        actor: { id: "unknown", kind: "user" },
        action: "admin",
        outcome: "failure",
        context: { reason, method: req.method, path: req.path },
      }),
  });
  const adminServer = serve({
    fetch: admin.fetch,
    hostname: config.admin.host,
    port: config.admin.port,
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    if (adminServer.listening) resolve();
    adminServer.once("listening", resolve);
    adminServer.once("error", reject);
  });
  await parts.approvals?.start?.();

  const url = `http://${hostFor((data.address() as AddressInfo).address)}:${(data.address() as AddressInfo).port}`;
  const adminUrl = `http://${hostFor((adminServer.address() as AddressInfo).address)}:${(adminServer.address() as AddressInfo).port}`;

  return {
    url,
    adminUrl,
    engine,
    enforcer,
    metrics,
    reload: (force) => watcher.check(force),
    async close() {
      if (closing) return;
      closing = true;
      await watcher.stop();
      const drained = new Promise<void>((resolve) => data.close(() => resolve()));
      // a keep-alive connection turns idle when its in-flight response ends: close it then, so
      // the drain ends with the last call rather than at the grace deadline
      data.closeIdleConnections();
      const sweep = setInterval(() => data.closeIdleConnections(), 25);
      const grace = setTimeout(() => data.closeAllConnections(), config.shutdownGraceMs);
      await drained;
      clearInterval(sweep);
      clearTimeout(grace);
      adminServer.closeAllConnections?.();
      await new Promise<void>((resolve) => adminServer.close(() => resolve()));
      await upstreams.close();
      await parts.approvals?.stop?.();
      // no call is in flight any more: the counters' last changes are final
      await parts.limits?.stop?.().catch(() => {});
      // alerts still in delivery get what is left of the grace period, never more
      if (alertSink) await bounded(alertSink.drain(), config.shutdownGraceMs);
      await enforcer.event({ type: "system.stop", actor: system, outcome: "success" });
      await parts.audit.close?.();
    },
  };
}

function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/** Waits for `p` at most `ms` (its rejection is ignored). */
export async function bounded(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    p.catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]);
  clearTimeout(timer);
}

function hostFor(address: string): string {
  return address.includes(":") ? `[${address}]` : address;
}
