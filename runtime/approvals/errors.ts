import type { ApprovalErrorCode } from "./messages.js";

/**
 * An approval operation refused for a stated reason. `code` is stable (see messages.ts); the admin
 * API maps it to an HTTP status with `statusOf`.
 */
export class ApprovalError extends Error {
  readonly code: ApprovalErrorCode;
  readonly help?: string;

  constructor(entry: { code: ApprovalErrorCode; message: string; help?: string }) {
    super(entry.message);
    this.name = "ApprovalError";
    this.code = entry.code;
    if (entry.help !== undefined) this.help = entry.help;
  }
}

const STATUS: Record<ApprovalErrorCode, number> = {
  approval_not_found: 404,
  approval_invalid_transition: 409,
  approval_not_open: 409,
  approval_not_eligible: 403,
  approval_owner_cannot_approve: 403,
  approval_agent_cannot_approve: 403,
  approval_duplicate_approver: 403,
  approval_duplicate_vote: 409,
  approval_reason_required: 422,
  approval_unknown_template: 422,
  approval_no_levels: 422,
  approval_bad_level: 422,
  approval_not_required: 422,
  approval_conflict: 409,
  approval_not_approved: 409,
  approval_service_stopped: 503,
  approval_wait_aborted: 499,
};

/** HTTP status for an approval error code. */
export function statusOf(code: ApprovalErrorCode): number {
  return STATUS[code] ?? 500;
}
