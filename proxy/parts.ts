/**
 * Opens the runtime parts a sidecar drives, in its data directory: approvals in LMDB
 * (`<data_dir>/approvals`), the audit log (`<data_dir>/audit`) and the rate-limit and quota
 * counters (`<data_dir>/limits`, unless `counters.persist` is off).
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { ApprovalService, LmdbApprovalStore, WebhookNotifier } from "../runtime/approvals/index.js";
import type { ApprovalTemplate } from "../runtime/approvals/types.js";
import { AuditTrail } from "../runtime/audit/index.js";
import {
  LimitCounters,
  LmdbLimitStore,
  PersistentLimits,
  redact,
} from "../runtime/engine/index.js";
import { approvalRoutes } from "./admin/approvals.js";
import type { SidecarConfig } from "./config/types.js";
import { bounded, type SidecarParts } from "./sidecar.js";

export interface RuntimeParts extends SidecarParts {
  approvalService: ApprovalService;
}

export interface OpenPartsOptions {
  /** An audit log to use instead of the one in the data directory. */
  audit?: SidecarParts["audit"];
  templates?: Record<string, ApprovalTemplate>;
}

/** Opens (creating if needed) the data directory's stores. */
export async function openRuntimeParts(
  config: SidecarConfig,
  opts: OpenPartsOptions = {},
): Promise<RuntimeParts> {
  mkdirSync(config.dataDir, { recursive: true });
  const audit = opts.audit ?? (await openAuditTrail(join(config.dataDir, "audit"), config.audit));
  const store = await LmdbApprovalStore.open(join(config.dataDir, "approvals"));
  const limits = await openLimits(config);
  const notifier = config.approvals.webhook
    ? new WebhookNotifier({ ...config.approvals.webhook })
    : undefined;
  const approvalService = new ApprovalService({
    store,
    audit,
    redact: (value, obligations, where) => redact(value, obligations, where),
    ...(notifier ? { notifier } : {}),
    ...(opts.templates ? { templates: opts.templates } : {}),
  });
  return {
    audit,
    limits,
    approvals: {
      request: (args) => approvalService.request(args),
      waitForDecision: (id, signal) => approvalService.waitForDecision(id, signal),
      claimForward: (id) => approvalService.claimForward(id),
      start: () => approvalService.start(),
      // stop the timers and waiters, give pending notifications a bounded time, close the store
      stop: async () => {
        await approvalService.stop();
        if (notifier) await bounded(notifier.flush(), config.shutdownGraceMs);
        await store.close();
      },
    },
    approvalService,
    approvalRoutes: approvalRoutes(approvalService),
    onBundle: (bundle) => {
      const t = (bundle.module as { approvalTemplates?: Record<string, ApprovalTemplate> })
        .approvalTemplates;
      approvalService.setTemplates(t ?? {});
    },
    pendingApprovals: async () => {
      const s = await approvalService.stats();
      return s.byState.pending + s.byState.escalated;
    },
  };
}

/**
 * Opens the hash-chained audit log with committed durability (and, with a signing key, a signed
 * checkpoint every `checkpointIntervalMs` while it grows); throws (fail closed) if it cannot.
 */
async function openAuditTrail(path: string, audit: SidecarConfig["audit"]): Promise<AuditTrail> {
  mkdirSync(path, { recursive: true });
  return AuditTrail.open({
    path,
    durability: "committed",
    ...(audit.signingKey
      ? { signingKey: audit.signingKey, checkpointIntervalMs: audit.checkpointIntervalMs }
      : {}),
    ...(audit.keyName ? { keyName: audit.keyName } : {}),
  });
}

/** The counters, restored from `<data_dir>/limits` and written back while the sidecar runs. */
async function openLimits(config: SidecarConfig): Promise<NonNullable<SidecarParts["limits"]>> {
  const counters = new LimitCounters({ maxEntries: config.counters.maxEntries });
  if (!config.counters.persist) return { counters, persisted: false, restored: 0 };
  const store = LmdbLimitStore.open(join(config.dataDir, "limits"));
  const persistent = new PersistentLimits({
    counters,
    store,
    flushIntervalMs: config.counters.flushIntervalMs,
    // a failed write keeps its changes for the next flush; counting goes on in memory
    onError: (e) =>
      process.stderr.write(
        `paracle sidecar: could not write the rate-limit counters: ${(e as Error).message}\n`,
      ),
  });
  const { restored } = await persistent.start();
  return {
    counters,
    persisted: true,
    restored,
    failures: () => persistent.failures,
    stop: async () => {
      try {
        await persistent.stop();
      } finally {
        await store.close();
      }
    },
  };
}
