import { WebhookDelivery, type WebhookOptions } from "../webhook.js";
import type { Alert, AlertSink } from "./alerts.js";

/** Options of {@link WebhookAlertSink}; see {@link WebhookOptions}. */
export type WebhookAlertOptions = WebhookOptions;

/**
 * POSTs each alert as JSON to a webhook, fire and forget: `emit` returns at once; retries and
 * back-off as in runtime/webhook.ts. Outcomes are counted, never thrown.
 */
export class WebhookAlertSink implements AlertSink {
  readonly name = "webhook";
  readonly #delivery: WebhookDelivery;

  constructor(opts: WebhookAlertOptions) {
    this.#delivery = new WebhookDelivery(opts);
  }

  emit(alert: Alert): void {
    this.#delivery.send(alert);
  }

  /** Resolves when every alert emitted so far is delivered or given up (graceful shutdown, tests). */
  drain(): Promise<void> {
    return this.#delivery.drain();
  }

  stats(): Record<string, number> {
    return { ...this.#delivery.counts, pending: this.#delivery.pending };
  }
}
