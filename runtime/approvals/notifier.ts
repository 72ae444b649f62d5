/**
 * Notifications about requests (issue 6 §7), so chat tools can be wired in: on request, on a
 * level opening, on escalation, on reminders and on the final decision. Never blocking: `notify`
 * returns at once and delivery happens in the background.
 */
import { fetch as undiciFetch } from "undici";
import { eligibleRoles } from "./rules.js";
import type { ApprovalRequest } from "./types.js";

export type ApprovalNotificationKind =
  | "requested"
  | "advanced"
  | "escalated"
  | "reminder"
  | "decided";

/** The JSON body a webhook receives. It carries no arguments: approvers read them in the admin API. */
export interface ApprovalNotification {
  kind: ApprovalNotificationKind;
  at: number;
  request: {
    id: string;
    state: string;
    action: string;
    agent: string;
    priority: string;
    risk: { score: number; level: string };
    reasons: string[];
    level: number;
    levels: number;
    /** Roles and users who may vote on the open level. */
    roles: string[];
    users: string[];
    expiresAt: number;
    decidedBy?: string;
    reason?: string;
  };
}

export interface Notifier {
  notify(notification: ApprovalNotification): void;
}

/** Builds the notification body for `request`. */
export function notificationOf(
  kind: ApprovalNotificationKind,
  request: ApprovalRequest,
  at: number,
): ApprovalNotification {
  const level = Math.min(request.currentLevel, request.chain.levels.length - 1);
  const body: ApprovalNotification = {
    kind,
    at,
    request: {
      id: request.id,
      state: request.state,
      action: request.action,
      agent: request.agent.id,
      priority: request.priority,
      risk: { score: request.risk.score, level: request.risk.level },
      reasons: request.decision.reasons,
      level: request.currentLevel,
      levels: request.chain.levels.length,
      roles: eligibleRoles(request, level),
      users: request.chain.levels[level]?.users ?? [],
      expiresAt: request.expiresAt,
    },
  };
  if (request.decidedBy) body.request.decidedBy = request.decidedBy.id;
  if (request.reason !== undefined) body.request.reason = request.reason;
  return body;
}

export interface WebhookNotifierOptions {
  url: string;
  headers?: Record<string, string>;
  /** Attempts per notification, first included (default 5). */
  maxAttempts?: number;
  /** Attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs·2ⁿ)) (default 250). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-attempt timeout (default 5 s). */
  timeoutMs?: number;
  /** Deliveries in flight at most; beyond, new notifications are dropped and counted (1,000). */
  maxPending?: number;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  random?: () => number;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * POSTs each notification as JSON to a webhook. Retries network errors, timeouts, 429 and 5xx
 * with exponential back-off and full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"); other 4xx are final. Outcomes are counted, never thrown.
 */
export class WebhookNotifier implements Notifier {
  readonly #o: Required<Omit<WebhookNotifierOptions, "fetch">>;
  readonly #fetch: (url: string, init: RequestInit) => Promise<Response>;
  readonly #pending = new Set<Promise<void>>();
  readonly #counts = { delivered: 0, failed: 0, retries: 0, dropped: 0 };

  constructor(opts: WebhookNotifierOptions) {
    this.#o = {
      url: opts.url,
      headers: opts.headers ?? {},
      maxAttempts: Math.max(1, opts.maxAttempts ?? 5),
      baseDelayMs: opts.baseDelayMs ?? 250,
      maxDelayMs: opts.maxDelayMs ?? 30_000,
      timeoutMs: opts.timeoutMs ?? 5_000,
      maxPending: opts.maxPending ?? 1_000,
      random: opts.random ?? Math.random,
    };
    this.#fetch =
      opts.fetch ??
      ((url, init) =>
        undiciFetch(
          url,
          init as Parameters<typeof undiciFetch>[1],
        ) as unknown as Promise<Response>);
  }

  notify(notification: ApprovalNotification): void {
    if (this.#pending.size >= this.#o.maxPending) {
      this.#counts.dropped++;
      return;
    }
    const p = this.#deliver(JSON.stringify(notification)).finally(() => this.#pending.delete(p));
    this.#pending.add(p);
  }

  /** Resolves when every notification handed in so far is delivered or given up. */
  async flush(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  get counts(): Readonly<{ delivered: number; failed: number; retries: number; dropped: number }> {
    return { ...this.#counts };
  }

  async #deliver(body: string): Promise<void> {
    for (let attempt = 0; attempt < this.#o.maxAttempts; attempt++) {
      if (attempt > 0) {
        this.#counts.retries++;
        const cap = Math.min(this.#o.maxDelayMs, this.#o.baseDelayMs * 2 ** attempt);
        await sleep(Math.floor(this.#o.random() * cap));
      }
      let retry = true;
      try {
        const res = await this.#fetch(this.#o.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...this.#o.headers },
          body,
          signal: AbortSignal.timeout(this.#o.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) {
          this.#counts.delivered++;
          return;
        }
        retry = res.status === 429 || res.status >= 500;
      } catch {
        retry = true;
      }
      if (!retry) break;
    }
    this.#counts.failed++;
  }
}

/** Sends each notification to every notifier. */
export function fanOut(...notifiers: Notifier[]): Notifier {
  return {
    notify: (n) => {
      for (const x of notifiers) x.notify(n);
    },
  };
}
