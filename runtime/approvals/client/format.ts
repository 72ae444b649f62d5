/**
 * Plain-text renderings of requests and stats for the CLI (no colours: pipes stay clean).
 */
import type { ApprovalStats } from "../stats.js";
import type { ApprovalRequest } from "../types.js";

/** `90s`, `12m`, `3h05m`, `2d04h`. Negative durations read as `0s`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h${String(m % 60).padStart(2, "0")}m`;
  return `${Math.floor(h / 24)}d${String(h % 24).padStart(2, "0")}h`;
}

/** The roles (and users) who can act on the open level, e.g. `lead` or `security 1/2`. */
export function openLevelOf(r: ApprovalRequest): string {
  const level = r.chain.levels[r.currentLevel];
  if (!level) return "-";
  const approvals = new Set(
    r.votes
      .filter((v) => v.level === r.currentLevel && v.vote === "approve")
      .map((v) => v.approver.id),
  ).size;
  const who = [...level.roles, ...(level.users ?? []).map((u) => `@${u}`)];
  if (r.state === "escalated") who.push(...r.chain.escalate_to.filter((x) => !who.includes(x)));
  const count = level.required > 1 ? ` ${approvals}/${level.required}` : "";
  return `${r.currentLevel + 1}/${r.chain.levels.length} ${who.join(",")}${count}`;
}

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join("  ")
        .trimEnd(),
    )
    .join("\n");
}

export function formatList(requests: ApprovalRequest[], now: number): string {
  if (requests.length === 0) return "no approval requests";
  const rows = [["ID", "PRIORITY", "STATE", "AGENT", "ACTION", "RISK", "LEVEL", "AGE", "EXPIRES"]];
  for (const r of requests) {
    rows.push([
      r.id,
      r.priority,
      r.state,
      r.agent.id,
      r.action,
      `${r.risk.score} ${r.risk.level}`,
      openLevelOf(r),
      formatDuration(now - r.createdAt),
      r.state === "pending" || r.state === "escalated"
        ? `in ${formatDuration(r.expiresAt - now)}`
        : "-",
    ]);
  }
  return table(rows);
}

export function formatRequest(r: ApprovalRequest, now: number): string {
  const lines = [
    `request   ${r.id}`,
    `state     ${r.state}${r.decidedBy ? ` by ${r.decidedBy.id}` : ""}${r.reason ? ` (${r.reason})` : ""}`,
    `priority  ${r.priority} (risk ${r.risk.score}, ${r.risk.level})`,
    `agent     ${r.agent.id}${r.agent.owner ? ` (owner ${r.agent.owner})` : ""}`,
    `action    ${r.action}`,
    `policies  ${r.policies.join(", ") || "-"}`,
    `reasons   ${r.decision.reasons.join("; ") || "-"}`,
    `created   ${new Date(r.createdAt).toISOString()} (${formatDuration(now - r.createdAt)} ago)`,
    `expires   ${new Date(r.expiresAt).toISOString()} (on timeout: ${r.chain.on_timeout})`,
    `args      ${JSON.stringify(r.input.args ?? {})}`,
    "chain:",
  ];
  r.chain.levels.forEach((l, i) => {
    const mark =
      i < r.currentLevel
        ? "done"
        : i === r.currentLevel && r.state !== "approved"
          ? "open"
          : "    ";
    const users = l.users?.length ? ` users ${l.users.join(",")}` : "";
    lines.push(
      `  [${mark}] ${i + 1}. ${l.roles.join(",") || "-"}${users}, ${l.required}${l.of ? ` of ${l.of}` : ""}`,
    );
  });
  if (r.votes.length > 0) lines.push("votes:");
  for (const v of r.votes) {
    lines.push(
      `  level ${v.level + 1}: ${v.vote} by ${v.approver.id}${v.reason ? ` (${v.reason})` : ""}`,
    );
  }
  for (const e of r.escalations) {
    lines.push(
      `escalated ${new Date(e.at).toISOString()} at level ${e.level + 1} to ${e.to.join(",")}`,
    );
  }
  return lines.join("\n");
}

export function formatStats(s: ApprovalStats): string {
  const pct = s.approvalRate === null ? "-" : `${(s.approvalRate * 100).toFixed(1)}%`;
  const d = (x: number | null) => (x === null ? "-" : formatDuration(x));
  return [
    `requests          ${s.total}`,
    `by state          ${Object.entries(s.byState)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    `open by priority  ${Object.entries(s.openByPriority)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
    `approval rate     ${pct}`,
    `time to decision  p50 ${d(s.timeToDecisionMs.p50)}, p90 ${d(s.timeToDecisionMs.p90)} (${s.timeToDecisionMs.count} decided by people)`,
    `escalations       ${s.escalations} (${s.escalatedRequests} requests)`,
    `auto-approved     ${s.autoApproved}`,
  ].join("\n");
}
