/**
 * Resolves a policy's `approval:` settings against ApprovalTemplate documents at compile time, so
 * the bundle carries ready-to-use requirements (durations in ms). `template` gives the base, the
 * policy's own keys override it; `by_risk` picks a whole template by the decision's risk level.
 */
import type { ApprovalRequirement } from "../../runtime/decision/types.js";
import { durationMs } from "../duration.js";
import type { ApprovalSettings, ApprovalTemplateNode } from "../model.js";

export type ResolvedApproval = Omit<ApprovalRequirement, "policy">;
export interface ApprovalTable {
  base: ResolvedApproval;
  by_risk?: Record<string, ResolvedApproval>;
}

export function normalizeApproval(a: ApprovalSettings, template?: string): ResolvedApproval {
  const out: ResolvedApproval = { levels: (a.levels ?? []).map((l) => sortKeys(l)) };
  if (a.timeout !== undefined) out.timeout_ms = durationMs(a.timeout);
  if (a.on_timeout !== undefined) out.on_timeout = a.on_timeout;
  if (a.escalate_to !== undefined) out.escalate_to = [...a.escalate_to];
  if (a.mode !== undefined) out.mode = a.mode;
  if (template !== undefined) out.template = template;
  if (a.by_risk !== undefined) out.by_risk = sortKeys(a.by_risk);
  if (a.auto_approve_below !== undefined) out.auto_approve_below = a.auto_approve_below;
  if (a.reminders !== undefined) out.reminders_ms = a.reminders.map(durationMs);
  if (a.require_reason_on_reject !== undefined)
    out.require_reason_on_reject = a.require_reason_on_reject;
  return out;
}

export function resolveApproval(
  settings: ApprovalSettings | undefined,
  templates: readonly ApprovalTemplateNode[],
): ApprovalTable {
  const byName = new Map(templates.map((t) => [t.name, t.spec]));
  const fallback = byName.get("default");
  const s = settings ?? {};
  const templateName = s.template ?? (settings === undefined && fallback ? "default" : undefined);
  const baseSpec = templateName !== undefined ? (byName.get(templateName) ?? {}) : {};
  const { template: _t, by_risk: _b, ...own } = s;
  const table: ApprovalTable = {
    base: normalizeApproval({ ...baseSpec, ...own, by_risk: s.by_risk }, templateName),
  };
  if (s.by_risk !== undefined) {
    const byRisk: Record<string, ResolvedApproval> = {};
    for (const level of Object.keys(s.by_risk).sort()) {
      const name = s.by_risk[level as keyof typeof s.by_risk]!;
      byRisk[level] = normalizeApproval(byName.get(name) ?? {}, name);
    }
    table.by_risk = byRisk;
  }
  return table;
}

/** Approval used when the risk level's action requires approval: `risk-<level>`, else `default`. */
export function riskApproval(templates: readonly ApprovalTemplateNode[]): ApprovalTable {
  const byName = new Map(templates.map((t) => [t.name, t.spec]));
  const fallback = byName.get("default");
  const table: ApprovalTable = {
    base: fallback ? normalizeApproval(fallback, "default") : { levels: [] },
  };
  const byRisk: Record<string, ResolvedApproval> = {};
  for (const level of ["critical", "high", "low", "medium"]) {
    const spec = byName.get(`risk-${level}`);
    if (spec) byRisk[level] = normalizeApproval(spec, `risk-${level}`);
  }
  if (Object.keys(byRisk).length > 0) table.by_risk = byRisk;
  return table;
}

/** Templates as exported by the bundle: name → resolved requirement. */
export function templateTable(
  templates: readonly ApprovalTemplateNode[],
): Record<string, ResolvedApproval> {
  const out: Record<string, ResolvedApproval> = {};
  for (const t of [...templates].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    out[t.name] = normalizeApproval(t.spec, t.name);
  }
  return out;
}

function sortKeys<T extends object>(o: T): T {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o).sort()) out[k] = (o as Record<string, unknown>)[k];
  return out as T;
}
