/**
 * The request state machine. Open states collect votes; final states never change again.
 *
 *   pending ──► approved | rejected | expired | cancelled | escalated
 *   escalated ─► approved | rejected | expired | cancelled
 */
import { ApprovalError } from "./errors.js";
import { approvalMessages } from "./messages.js";
import type { ApprovalState } from "./types.js";

const MOVES: Record<ApprovalState, readonly ApprovalState[]> = {
  pending: ["approved", "rejected", "expired", "cancelled", "escalated"],
  escalated: ["approved", "rejected", "expired", "cancelled"],
  approved: [],
  rejected: [],
  expired: [],
  cancelled: [],
};

export const OPEN_STATES: readonly ApprovalState[] = ["pending", "escalated"];
export const FINAL_STATES: readonly ApprovalState[] = [
  "approved",
  "rejected",
  "expired",
  "cancelled",
];

/** True for states that still collect votes. */
export function isOpen(state: ApprovalState): boolean {
  return state === "pending" || state === "escalated";
}

/** True when `from → to` is an allowed move. */
export function canTransition(from: ApprovalState, to: ApprovalState): boolean {
  return MOVES[from].includes(to);
}

/** Throws `approval_invalid_transition` (or `approval_not_open` from a final state) otherwise. */
export function assertTransition(id: string, from: ApprovalState, to: ApprovalState): void {
  if (canTransition(from, to)) return;
  if (!isOpen(from)) throw new ApprovalError(approvalMessages.notOpen(id, from));
  throw new ApprovalError(approvalMessages.invalidTransition(id, from, to));
}
