// The audit event of bench/audit.mjs and bench/audit-ids.mjs: a tool call's record with a
// realistic spread of actors, actions, risk, outcomes and context; `correlationId` is the caller's.
export const auditEvent = (i, correlationId) => ({
  type: "agent.action",
  actor: { id: `agent-${i % 50}`, kind: "agent" },
  action: i % 3 ? "db.query" : "db.delete",
  resource: `orders/${i % 1000}`,
  risk: { score: i % 100, level: i % 100 > 80 ? "high" : "low" },
  policy: {
    decision: i % 7 ? "allow" : "deny",
    matched: ["baseline.allow-reads"],
    bundle: "9f".repeat(32),
  },
  outcome: i % 7 ? "success" : "denied",
  context: { tool: "postgres", args: { table: "orders", limit: 10 }, latency_ms: i % 40 },
  correlation_id: correlationId,
  session_id: `s-${i % 200}`,
});
