/**
 * The runtime's public face: bundle loading and enforcement (engine), behaviour history and alerts
 * (risk state), human approvals. Re-exports only; see docs/runtime.md.
 */
export * from "./approvals/index.js";
export * from "./engine/index.js";
export {
  type Alert,
  type AlertRuleOptions,
  type AlertSink,
  alertFor,
  dispatchAlert,
  RISK_LEVELS,
} from "./risk/alerts.js";
export { LogAlertSink } from "./risk/alerts-log.js";
export { type AlertCounter, type AlertLabels, MetricAlertSink } from "./risk/alerts-metrics.js";
export { type WebhookAlertOptions, WebhookAlertSink } from "./risk/alerts-webhook.js";
export { type HistoryOptions, type HistoryStats, HistoryTracker } from "./risk/history.js";
