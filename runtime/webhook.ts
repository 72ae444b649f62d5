/**
 * Fire-and-forget JSON webhook delivery shared by the alert sink (runtime/risk) and the approval
 * notifier (runtime/approvals). `send` returns at once; delivery retries network errors,
 * timeouts, 429 and 5xx with exponential back-off and full jitter (AWS Architecture Blog,
 * "Exponential Backoff And Jitter"), a bounded number of times; other 4xx are final. Outcomes are
 * counted, never thrown, so a webhook can never block or fail a decision.
 */
import { fetch as undiciFetch } from "undici";

export interface WebhookOptions {
  url: string;
  headers?: Record<string, string>;
  /** Attempts per payload, first included (default 5). */
  maxAttempts?: number;
  /** Back-off base: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs·2ⁿ)) (default 250). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Per-attempt timeout (default 5 s). */
  timeoutMs?: number;
  /** Deliveries in flight at most; beyond, new payloads are dropped and counted (default 1,000). */
  maxPending?: number;
  /** Injected for tests; `undici`'s fetch by default. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  random?: () => number;
}

export interface WebhookCounts {
  delivered: number;
  failed: number;
  retries: number;
  dropped: number;
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    setTimeout(resolve, ms).unref();
  });

export class WebhookDelivery {
  readonly #o: Required<Omit<WebhookOptions, "fetch">>;
  readonly #fetch: (url: string, init: RequestInit) => Promise<Response>;
  readonly #pending = new Set<Promise<void>>();
  readonly #counts: WebhookCounts = { delivered: 0, failed: 0, retries: 0, dropped: 0 };

  constructor(opts: WebhookOptions) {
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

  /** Queues `payload` (serialised as JSON) for delivery; returns at once. */
  send(payload: unknown): void {
    if (this.#pending.size >= this.#o.maxPending) {
      this.#counts.dropped++;
      return;
    }
    const delivery = this.#deliver(JSON.stringify(payload)).finally(() => {
      this.#pending.delete(delivery);
    });
    this.#pending.add(delivery);
  }

  /** Resolves when every payload sent so far is delivered or given up (shutdown, tests). */
  async drain(): Promise<void> {
    while (this.#pending.size > 0) await Promise.allSettled([...this.#pending]);
  }

  get counts(): Readonly<WebhookCounts> {
    return { ...this.#counts };
  }

  get pending(): number {
    return this.#pending.size;
  }

  async #deliver(body: string): Promise<void> {
    const o = this.#o;
    for (let attempt = 0; attempt < o.maxAttempts; attempt++) {
      if (attempt > 0) {
        this.#counts.retries++;
        await sleep(Math.floor(o.random() * Math.min(o.maxDelayMs, o.baseDelayMs * 2 ** attempt)));
      }
      let retryable = true;
      try {
        const res = await this.#fetch(o.url, {
          method: "POST",
          headers: { "content-type": "application/json", ...o.headers },
          body,
          signal: AbortSignal.timeout(o.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
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
