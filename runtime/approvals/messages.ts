/**
 * Every message the approval service produces, in one catalogue (Cedar's style: lowercase, no
 * final period, user input in backticks). Codes are stable; the admin API maps them to HTTP.
 */
const q = (s: unknown) => `\`${String(s)}\``;

export const approvalMessages = {
  notFound: (id: string) => ({
    code: "approval_not_found",
    message: `no approval request ${q(id)}`,
  }),
  invalidTransition: (id: string, from: string, to: string) => ({
    code: "approval_invalid_transition",
    message: `approval request ${q(id)} is ${from} and cannot become ${to}`,
  }),
  notOpen: (id: string, state: string) => ({
    code: "approval_not_open",
    message: `approval request ${q(id)} is already ${state}`,
  }),
  notEligible: (who: string, level: number, roles: string[]) => ({
    code: "approval_not_eligible",
    message: `${q(who)} may not vote on level ${level + 1}: it needs one of the roles ${roles.map(q).join(", ") || "(none)"} or a named approver`,
  }),
  ownerCannotApprove: (who: string, agent: string) => ({
    code: "approval_owner_cannot_approve",
    message: `${q(who)} owns the requesting agent ${q(agent)} and cannot approve its request`,
    help: "separation of duties: another approver must decide",
  }),
  agentCannotApprove: (who: string) => ({
    code: "approval_agent_cannot_approve",
    message: `the requesting agent ${q(who)} cannot approve its own request`,
  }),
  alreadyVotedEarlierLevel: (who: string, level: number) => ({
    code: "approval_duplicate_approver",
    message: `${q(who)} already approved level ${level + 1} of this request and cannot approve another level`,
    help: "separation of duties: each level needs a different person",
  }),
  alreadyVotedThisLevel: (who: string, level: number) => ({
    code: "approval_duplicate_vote",
    message: `${q(who)} already approved level ${level + 1}; the same person counts once`,
  }),
  reasonRequired: () => ({
    code: "approval_reason_required",
    message: "a reason is required to reject this request",
  }),
  unknownTemplate: (name: string) => ({
    code: "approval_unknown_template",
    message: `unknown approval template ${q(name)}`,
  }),
  noLevels: (policy: string) => ({
    code: "approval_no_levels",
    message: `the approval required by policy ${q(policy)} has no levels`,
    help: "declare `approval.levels` on the policy or name a `template`",
  }),
  badLevel: (policy: string, level: number, detail: string) => ({
    code: "approval_bad_level",
    message: `level ${level + 1} of the approval required by policy ${q(policy)} ${detail}`,
  }),
  notRequired: (decision: string) => ({
    code: "approval_not_required",
    message: `the decision is ${q(decision)}, not \`require_approval\``,
  }),
  conflict: (id: string) => ({
    code: "approval_conflict",
    message: `approval request ${q(id)} was changed concurrently`,
  }),
  notApproved: (id: string, state: string) => ({
    code: "approval_not_approved",
    message: `approval request ${q(id)} is ${state}, not approved`,
  }),
  stopped: () => ({ code: "approval_service_stopped", message: "the approval service is stopped" }),
  aborted: (id: string) => ({
    code: "approval_wait_aborted",
    message: `stopped waiting for approval request ${q(id)}`,
  }),
} as const;

export type ApprovalErrorCode = ReturnType<
  (typeof approvalMessages)[keyof typeof approvalMessages]
>["code"];
