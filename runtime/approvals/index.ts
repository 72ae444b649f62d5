/**
 * Human approval workflows: multi-level chains, escalation, role routing, durable holds
 * (issue 6). Re-exports only.
 */
export type { ApprovalAuditType, AuditEventInputLike, AuditSinkLike } from "./audit.js";
export { DEFAULT_CHAIN, DEFAULT_TIMEOUT_MS, resolveChain } from "./chain.js";
export { ApprovalError, statusOf } from "./errors.js";
export { type ApprovalErrorCode, approvalMessages } from "./messages.js";
export {
  type ApprovalNotification,
  type ApprovalNotificationKind,
  fanOut,
  type Notifier,
  notificationOf,
  WebhookNotifier,
  type WebhookNotifierOptions,
} from "./notifier.js";
export { type Redactor, redactInput } from "./redact.js";
export { assertMayVote, eligibleRoles, isRoutedTo } from "./rules.js";
export {
  ADMIN_ROLE,
  ApprovalService,
  type ApprovalServiceOptions,
  type BatchArgs,
  type BatchResult,
  type Canceller,
  type RequestArgs,
} from "./service.js";
export { canTransition, FINAL_STATES, isOpen, OPEN_STATES } from "./state.js";
export { type ApprovalStats, computeStats, percentile } from "./stats.js";
export { LmdbApprovalStore } from "./store/lmdb.js";
export { MemoryApprovalStore } from "./store/memory.js";
export type { ApprovalStore, StoreQuery } from "./store/types.js";
export { FakeScheduler, systemScheduler, type TimerHandle, type TimerScheduler } from "./timers.js";
export * from "./types.js";
