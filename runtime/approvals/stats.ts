import type { ApprovalPriority, ApprovalRequest, ApprovalState } from "./types.js";

/** Summary figures for the admin API (issue 6 §5). */
export interface ApprovalStats {
  total: number;
  byState: Record<ApprovalState, number>;
  /** Open requests by priority. */
  openByPriority: Record<ApprovalPriority, number>;
  /** approved / (approved + rejected + expired); null before any decision. */
  approvalRate: number | null;
  /** Creation → final decision for requests decided by a person, in ms (nearest-rank). */
  timeToDecisionMs: { p50: number | null; p90: number | null; count: number };
  /** Escalations recorded, and requests escalated at least once. */
  escalations: number;
  escalatedRequests: number;
  /** Requests approved without a person: under the risk threshold or on timeout. */
  autoApproved: number;
}

/** Nearest-rank percentile of sorted `xs` (null when empty). */
export function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export function computeStats(requests: ApprovalRequest[]): ApprovalStats {
  const byState: Record<ApprovalState, number> = {
    pending: 0,
    escalated: 0,
    approved: 0,
    rejected: 0,
    expired: 0,
    cancelled: 0,
  };
  const openByPriority: Record<ApprovalPriority, number> = {
    urgent: 0,
    high: 0,
    normal: 0,
    low: 0,
  };
  const durations: number[] = [];
  let escalations = 0;
  let escalatedRequests = 0;
  let autoApproved = 0;
  for (const r of requests) {
    byState[r.state]++;
    if (r.state === "pending" || r.state === "escalated") openByPriority[r.priority]++;
    escalations += r.escalations.length;
    if (r.escalations.length > 0) escalatedRequests++;
    if (r.decidedAt !== undefined && r.decidedBy?.kind === "user") {
      if (r.state === "approved" || r.state === "rejected")
        durations.push(r.decidedAt - r.createdAt);
    }
    if (r.state === "approved" && r.decidedBy?.kind === "system") autoApproved++;
  }
  durations.sort((a, b) => a - b);
  const decided = byState.approved + byState.rejected + byState.expired;
  return {
    total: requests.length,
    byState,
    openByPriority,
    approvalRate: decided === 0 ? null : byState.approved / decided,
    timeToDecisionMs: {
      p50: percentile(durations, 50),
      p90: percentile(durations, 90),
      count: durations.length,
    },
    escalations,
    escalatedRequests,
    autoApproved,
  };
}
