import { fetch as undiciFetch } from "undici";
import type { Alert, AlertSink } from "./alerts.js";

export interface WebhookAlertOptions {
  url: string;
  headers?: Record<string, string>;
  /** Attempts per alert, first included (default 5). */
  maxAttempts?: number;
  /** Back-off base: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs·2ⁿ)) (default 250). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-attempt timeout (default 5 s). */
  timeoutMs?: number;
  /** Alerts being delivered at most; beyond, new alerts are dropped and counted (default 1,000). */
  maxPending?: number;
  /** Injected for tests; `undici`'s fetch by default. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  random?: () => number;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

/**
 * POSTs each alert as JSON to a webhook, fire and forget: `emit` returns at once; delivery retries
 * on network errors, timeouts, 429 and 5xx with exponential back-off and full jitter (AWS
 * Architecture Blog, "Exponential Backoff And Jitter"), a bounded number of times; other 4xx are
 * not retried. Outcomes are counted, never thrown.
 */
export class WebhookAlertSink implements AlertSink {
  readonly name = "webhook";
  readonly #opts: Required<Omit<WebhookAlertOptions, "headers" | "fetch">> & {
    headers: Record<string, string>;
  };
  readonly #fetch: (url: string, init: RequestInit) => Promise<Response>;
  readonly #pending = new Set<Promise<void>>();
  readonly #counts = { delivered: 0, failed: 0, retries: 0, dropped: 0 };

  constructor(opts: WebhookAlertOptions) {
    this.#opts = {
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

  emit(alert: Alert): void {
    if (this.#pending.size >= this.#opts.maxPending) {
      this.#counts.dropped++;
      return;
    }
    const delivery = this.#deliver(JSON.stringify(alert)).finally(() => {
      this.#pending.delete(delivery);
    });
    this.#pending.add(delivery);
  }

  /** Resolves when every alert emitted so far is delivered or given up (graceful shutdown, tests). */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  stats(): Record<string, number> {
    return { ...this.#counts, pending: this.#pending.size };
  }

  async #deliver(body: string): Promise<void> {
    const o = this.#opts;
    for (let attempt = 0; attempt < o.maxAttempts; attempt++) {
      if (attempt > 0) {
        this.#counts.retries++;
        await sleep(o.random() * Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** attempt));
      }
      let retryable = true;
      try {
        const res = await this.#fetch(o.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...o.headers },
          body,
          signal: AbortSignal.timeout(o.timeoutMs),
        });
        await res.body?.cancel().catch(() => {});
        if (res.ok) {
          this.#counts.delivered++;
          return;
        }
        retryable = res.status === 429 || res.status >= 500;
      } catch {
        // network error or timeout: retry
      }
      if (!retryable) break;
    }
    this.#counts.failed++;
  }
}
