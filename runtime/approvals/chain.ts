/**
 * Resolves the chain of a request from the decision's approval requirement and the bundle's
 * approval templates (docs/policy-format.md, ApprovalTemplate).
 *
 * Precedence: a template selected by the risk level (`by_risk[risk.level]`) supplies the whole
 * chain, its levels included; otherwise a named `template` supplies defaults that the policy's own
 * fields override (the policy's levels win when it declares any). With neither, the policy's
 * fields stand alone, and `defaultChain` fills what is still missing.
 */
import type { Decision } from "../decision/types.js";
import { ApprovalError } from "./errors.js";
import { approvalMessages } from "./messages.js";
import type { ApprovalChain, ApprovalTemplate, ChainLevel } from "./types.js";

/** One hour: the deadline when neither the policy nor its template sets `timeout`. */
export const DEFAULT_TIMEOUT_MS = 3_600_000;

/** The chain used when a `require_approval` decision carries no approval settings at all. */
export const DEFAULT_CHAIN: ApprovalTemplate = { levels: [{ roles: ["approver"], required: 1 }] };

export function resolveChain(
  decision: Decision,
  templates: Readonly<Record<string, ApprovalTemplate>>,
  defaultChain: ApprovalTemplate = DEFAULT_CHAIN,
): ApprovalChain {
  const req = decision.approval;
  const policy = req?.policy ?? decision.matched[0]?.id ?? "default";
  const byRisk = req?.by_risk?.[decision.risk.level];
  const name = byRisk ?? req?.template;
  let template: ApprovalTemplate | undefined;
  if (name !== undefined) {
    template = Object.hasOwn(templates, name) ? templates[name] : undefined;
    if (!template) throw new ApprovalError(approvalMessages.unknownTemplate(name));
  }
  const policyLevels = req?.levels && req.levels.length > 0 ? req.levels : undefined;
  const rawLevels =
    byRisk !== undefined
      ? template?.levels
      : (policyLevels ?? template?.levels ?? defaultChain.levels);
  const levels = (rawLevels ?? []).map((l, i) => normaliseLevel(policy, i, l));
  if (levels.length === 0) throw new ApprovalError(approvalMessages.noLevels(policy));

  const pick = <K extends keyof ApprovalTemplate>(key: K): ApprovalTemplate[K] => {
    const own = req?.[key as keyof typeof req] as ApprovalTemplate[K] | undefined;
    if (byRisk !== undefined) return template?.[key] ?? own ?? defaultChain[key];
    return own ?? template?.[key] ?? defaultChain[key];
  };
  const timeout = pick("timeout_ms") ?? DEFAULT_TIMEOUT_MS;
  if (!(Number.isFinite(timeout) && timeout > 0)) {
    throw new ApprovalError(approvalMessages.badLevel(policy, 0, `has a bad timeout ${timeout}`));
  }
  const reminders = [...(pick("reminders_ms") ?? [])]
    .filter((r) => Number.isFinite(r) && r > 0 && r < timeout)
    .sort((a, b) => a - b);
  const chain: ApprovalChain = {
    levels,
    timeout_ms: timeout,
    on_timeout: pick("on_timeout") ?? "reject",
    escalate_to: [...(pick("escalate_to") ?? [])],
    mode: pick("mode") ?? "hold",
    reminders_ms: reminders,
    require_reason_on_reject: pick("require_reason_on_reject") ?? false,
    policy,
  };
  const auto = pick("auto_approve_below");
  if (auto !== undefined) chain.auto_approve_below = auto;
  if (name !== undefined) chain.template = name;
  return chain;
}

function normaliseLevel(
  policy: string,
  index: number,
  level: { roles?: string[]; users?: string[]; required?: number; of?: number },
): ChainLevel {
  const roles = [...(level.roles ?? [])];
  const users = level.users ? [...level.users] : undefined;
  const required = level.required ?? 1;
  const bad = (detail: string) =>
    new ApprovalError(approvalMessages.badLevel(policy, index, detail));
  if (roles.length === 0 && (!users || users.length === 0)) {
    throw bad("names no roles and no users");
  }
  if (!Number.isInteger(required) || required < 1) {
    throw bad(`needs a positive whole number of approvals, not \`${required}\``);
  }
  if (level.of !== undefined && required > level.of) {
    throw bad(`needs ${required} approvals out of only ${level.of}`);
  }
  if (roles.length === 0 && users && required > new Set(users).size) {
    throw bad(`needs ${required} approvals but names only ${new Set(users).size} users`);
  }
  const out: ChainLevel = { roles, required };
  if (users) out.users = users;
  if (level.of !== undefined) out.of = level.of;
  return out;
}
