/**
 * Who may vote on a request: routing by role or named user, and separation of duties.
 *
 * Invariants (issue 6): the requesting agent's owner (`input.agent.owner`) never approves; one
 * person approves at most one level of a request; the same person counts once in an N-of-M
 * level. The agent itself never votes.
 */
import { ApprovalError } from "./errors.js";
import { approvalMessages } from "./messages.js";
import { isOpen } from "./state.js";
import type { ApprovalRequest, Approver } from "./types.js";

/** Roles that may vote on `level`: the level's own, plus the escalation roles once escalated. */
export function eligibleRoles(request: ApprovalRequest, level: number): string[] {
  const own = request.chain.levels[level]?.roles ?? [];
  const escalated = request.escalations.some((e) => e.level <= level);
  return escalated ? [...new Set([...own, ...request.chain.escalate_to])] : own;
}

/** True when `approver` is routed to `level` (by role or by name). */
export function isRoutedTo(request: ApprovalRequest, level: number, approver: Approver): boolean {
  const users = request.chain.levels[level]?.users ?? [];
  if (users.includes(approver.id)) return true;
  const roles = eligibleRoles(request, level);
  return approver.roles.some((r) => roles.includes(r));
}

/** Throws the reason `approver` may not cast `vote` on the open level of `request`. */
export function assertMayVote(
  request: ApprovalRequest,
  approver: Approver,
  vote: "approve" | "reject",
): void {
  if (!isOpen(request.state)) {
    throw new ApprovalError(approvalMessages.notOpen(request.id, request.state));
  }
  const level = request.currentLevel;
  if (approver.id === request.agent.id) {
    throw new ApprovalError(approvalMessages.agentCannotApprove(approver.id));
  }
  if (!isRoutedTo(request, level, approver)) {
    throw new ApprovalError(
      approvalMessages.notEligible(approver.id, level, eligibleRoles(request, level)),
    );
  }
  if (vote === "reject") return;
  if (request.agent.owner !== undefined && approver.id === request.agent.owner) {
    throw new ApprovalError(approvalMessages.ownerCannotApprove(approver.id, request.agent.id));
  }
  for (const v of request.votes) {
    if (v.approver.id !== approver.id || v.vote !== "approve") continue;
    if (v.level === level) {
      throw new ApprovalError(approvalMessages.alreadyVotedThisLevel(approver.id, level));
    }
    throw new ApprovalError(approvalMessages.alreadyVotedEarlierLevel(approver.id, v.level));
  }
}

/** Distinct approvals collected on `level`. */
export function approvalsOn(request: ApprovalRequest, level: number): number {
  const ids = new Set<string>();
  for (const v of request.votes)
    if (v.level === level && v.vote === "approve") ids.add(v.approver.id);
  return ids.size;
}
