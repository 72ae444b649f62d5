/**
 * Notifications about requests (issue 6 §7), so chat tools can be wired in: on request, on a
 * level opening, on escalation, on reminders and on the final decision. Never blocking: `notify`
 * returns at once and delivery happens in the background.
 */
import { WebhookDelivery, type WebhookOptions } from "../webhook.js";
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

/** Options of {@link WebhookNotifier}; see {@link WebhookOptions}. */
export type WebhookNotifierOptions = WebhookOptions;

/**
 * POSTs each notification as JSON to a webhook; never blocks (retries and back-off as in
 * runtime/webhook.ts). Outcomes are counted, never thrown.
 */
export class WebhookNotifier implements Notifier {
  readonly #delivery: WebhookDelivery;

  constructor(opts: WebhookNotifierOptions) {
    this.#delivery = new WebhookDelivery(opts);
  }

  notify(notification: ApprovalNotification): void {
    this.#delivery.send(notification);
  }

  /** Resolves when every notification handed in so far is delivered or given up. */
  flush(): Promise<void> {
    return this.#delivery.drain();
  }

  get counts(): Readonly<{ delivered: number; failed: number; retries: number; dropped: number }> {
    return this.#delivery.counts;
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
