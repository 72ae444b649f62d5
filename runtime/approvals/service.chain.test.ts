import { describe, expect, it } from "vitest";
import { decisionFor, inputFor } from "./test-helpers/fixtures.js";
import { harness, lead, sec } from "./test-helpers/harness.js";

const critical = {
  levels: [{ roles: ["lead"] }, { roles: ["security"], required: 2, of: 3 }],
};

describe("creating a request", () => {
  it("stores the redacted input, decision, risk, agent, policies, priority, times and chain", async () => {
    const { service, audit, notes } = await harness();
    const decision = decisionFor({}, { score: 91, level: "critical" });
    decision.obligations.push(
      { type: "redact", policy: "mask", paths: ["args.password"], in: ["args"] },
      { type: "redact", policy: "pii", detectors: ["email"] },
      { type: "redact", policy: "out", paths: ["args.table"], in: ["result"] },
    );
    const r = await service.request({
      input: inputFor({
        args: { table: "users", password: "hunter2", note: "mail bob@example.com" },
      }),
      decision,
    });
    expect(r).toMatchObject({
      id: "apr-1",
      state: "pending",
      agent: { id: "agent-1", owner: "olivia" },
      action: "db.delete",
      policies: ["approve-deletes"],
      priority: "urgent",
      risk: { score: 91, level: "critical" },
      currentLevel: 0,
      expiresAt: r.createdAt + 3_600_000,
      chain: {
        levels: [{ roles: ["lead"], required: 1 }],
        on_timeout: "reject",
        policy: "approve-deletes",
      },
    });
    expect(r.input.args).toEqual({
      table: "users",
      password: "[REDACTED]",
      note: "mail [REDACTED:email]",
    });
    expect(audit.events).toHaveLength(1);
    expect(audit.events[0]).toMatchObject({
      type: "approval.requested",
      actor: { id: "agent-1", kind: "agent" },
      outcome: "pending",
      resource: "approval:apr-1",
      risk: { score: 91, level: "critical" },
      policy: { decision: "require_approval", matched: ["approve-deletes"], bundle: "abc" },
      session_id: "s-1",
    });
    expect(notes.kinds()).toEqual(["requested"]);
    expect(JSON.stringify(audit.events)).not.toContain("hunter2");
  });

  it("uses an injected redactor (the engine's) when given", async () => {
    const { service } = await harness({
      redact: (v, _o, where) => ({ masked: where, keys: Object.keys(v as object) }),
    });
    const decision = decisionFor();
    decision.obligations.push({ type: "redact", policy: "m", detectors: ["email"] });
    const r = await service.request({ input: inputFor(), decision });
    expect(r.input.args).toEqual({ masked: "args", keys: ["table", "password"] });
  });

  it("refuses a decision that does not require approval", async () => {
    const { service } = await harness();
    await expect(
      service.request({ input: inputFor(), decision: { ...decisionFor(), decision: "allow" } }),
    ).rejects.toThrow("the decision is `allow`, not `require_approval`");
  });

  it("selects the chain by risk level from the templates", async () => {
    const { service } = await harness({
      templates: {
        "lead-only": { levels: [{ roles: ["lead"] }], timeout_ms: 60_000 },
        "critical-chain": {
          ...critical,
          timeout_ms: 4 * 3_600_000,
          on_timeout: "escalate",
          escalate_to: ["oncall"],
        },
      },
    });
    const byRisk = { high: "lead-only", critical: "critical-chain" } as const;
    const high = await service.request({
      input: inputFor(),
      decision: decisionFor({ by_risk: byRisk }, { score: 70, level: "high" }),
    });
    expect(high.chain).toMatchObject({ template: "lead-only", timeout_ms: 60_000 });
    expect(high.chain.levels).toHaveLength(1);
    const crit = await service.request({
      input: inputFor(),
      decision: decisionFor({ by_risk: byRisk }, { score: 95, level: "critical" }),
    });
    expect(crit.chain).toMatchObject({
      template: "critical-chain",
      on_timeout: "escalate",
      escalate_to: ["oncall"],
      levels: [
        { roles: ["lead"], required: 1 },
        { roles: ["security"], required: 2, of: 3 },
      ],
    });
  });

  it("fails with a clear error on an unknown template", async () => {
    const { service } = await harness();
    await expect(
      service.request({ input: inputFor(), decision: decisionFor({ template: "nope" }) }),
    ).rejects.toMatchObject({
      code: "approval_unknown_template",
      message: "unknown approval template `nope`",
    });
  });

  it("approves at once under the auto-approve risk score, as the system, audited", async () => {
    const { service, audit, notes } = await harness();
    const r = await service.request({
      input: inputFor(),
      decision: decisionFor({ auto_approve_below: 20 }, { score: 12, level: "low" }),
    });
    expect(r.state).toBe("approved");
    expect(r.decidedBy).toEqual({ id: "system", kind: "system" });
    expect(audit.types()).toEqual(["approval.requested", "approval.granted"]);
    expect(audit.events[1]).toMatchObject({ outcome: "approved", context: { auto: "risk" } });
    expect(notes.kinds()).toEqual(["decided"]);
    const above = await service.request({
      input: inputFor(),
      decision: decisionFor({ auto_approve_below: 20 }, { score: 20, level: "low" }),
    });
    expect(above.state).toBe("pending");
  });
});

describe("chains", () => {
  it("sequential levels: each level opens after the previous one closes", async () => {
    const { service, audit, notes } = await harness();
    const r = await service.request({
      input: inputFor(),
      decision: decisionFor({ levels: [{ roles: ["lead"] }, { roles: ["security"] }] }),
    });
    await expect(service.approve(r.id, sec("sam"))).rejects.toMatchObject({
      code: "approval_not_eligible",
    });
    const one = await service.approve(r.id, lead("lea"), "looks fine");
    expect(one).toMatchObject({ state: "pending", currentLevel: 1 });
    await expect(service.approve(r.id, lead("leo"))).rejects.toThrow(
      "`leo` may not vote on level 2: it needs one of the roles `security` or a named approver",
    );
    const two = await service.approve(r.id, sec("sam"));
    expect(two).toMatchObject({
      state: "approved",
      currentLevel: 2,
      decidedBy: { id: "sam", kind: "user" },
    });
    expect(two.votes.map((v) => [v.level, v.approver.id])).toEqual([
      [0, "lea"],
      [1, "sam"],
    ]);
    expect(audit.types()).toEqual(["approval.requested", "approval.granted", "approval.granted"]);
    expect(audit.events.map((e) => e.outcome)).toEqual(["pending", "pending", "approved"]);
    expect(audit.events[2]!.actor).toEqual({ id: "sam", kind: "user" });
    expect(notes.kinds()).toEqual(["requested", "advanced", "decided"]);
    await expect(service.approve(r.id, sec("sue"))).rejects.toMatchObject({
      code: "approval_not_open",
    });
  });

  it("N of M: a level needs N distinct approvers and the same person counts once", async () => {
    const { service } = await harness();
    const r = await service.request({
      input: inputFor(),
      decision: decisionFor({ levels: [{ roles: ["security"], required: 2, of: 3 }] }),
    });
    const a = await service.approve(r.id, sec("s1"));
    expect(a.state).toBe("pending");
    await expect(service.approve(r.id, sec("s1"))).rejects.toMatchObject({
      code: "approval_duplicate_vote",
      message: "`s1` already approved level 1; the same person counts once",
    });
    const b = await service.approve(r.id, sec("s2"));
    expect(b.state).toBe("approved");
  });

  it("parallel all-of: every named user must approve", async () => {
    const { service } = await harness();
    const r = await service.request({
      input: inputFor(),
      decision: decisionFor({ levels: [{ roles: [], users: ["ann", "bob", "cid"], required: 3 }] }),
    });
    await service.approve(r.id, { id: "ann", roles: [] });
    await service.approve(r.id, { id: "bob", roles: [] });
    await expect(service.approve(r.id, { id: "dan", roles: ["lead"] })).rejects.toMatchObject({
      code: "approval_not_eligible",
    });
    expect((await service.approve(r.id, { id: "cid", roles: [] })).state).toBe("approved");
  });

  it("the critical chain: team lead, then 2 of 3 security", async () => {
    const { service } = await harness();
    const r = await service.request({ input: inputFor(), decision: decisionFor(critical) });
    await service.approve(r.id, lead("lea"));
    await service.approve(r.id, sec("s1"));
    const done = await service.approve(r.id, sec("s2"));
    expect(done.state).toBe("approved");
  });

  it("one rejection ends the request; the reason is recorded", async () => {
    const { service, audit, notes } = await harness();
    const r = await service.request({ input: inputFor(), decision: decisionFor(critical) });
    await service.approve(r.id, lead("lea"));
    const x = await service.reject(r.id, sec("s1"), "  not during the freeze ");
    expect(x).toMatchObject({
      state: "rejected",
      reason: "not during the freeze",
      decidedBy: { id: "s1" },
    });
    expect(audit.events.at(-1)).toMatchObject({
      type: "approval.rejected",
      outcome: "rejected",
      actor: { id: "s1", kind: "user" },
      context: { reason: "not during the freeze", level: 1 },
    });
    expect(notes.kinds().at(-1)).toBe("decided");
    await expect(service.reject(r.id, sec("s2"), "x")).rejects.toMatchObject({
      code: "approval_not_open",
    });
  });

  it("a mandatory reason on rejection when configured", async () => {
    const { service } = await harness();
    const r = await service.request({
      input: inputFor(),
      decision: decisionFor({ require_reason_on_reject: true }),
    });
    await expect(service.reject(r.id, lead("lea"), "   ")).rejects.toMatchObject({
      code: "approval_reason_required",
      message: "a reason is required to reject this request",
    });
    expect((await service.reject(r.id, lead("lea"), "too risky")).state).toBe("rejected");
  });

  it("cancel by the agent, an admin or a routed approver; not by others", async () => {
    const { service, audit } = await harness();
    const mk = () => service.request({ input: inputFor(), decision: decisionFor() });
    const a = await mk();
    await expect(service.cancel(a.id, { id: "eve", roles: ["intern"] })).rejects.toMatchObject({
      code: "approval_not_eligible",
    });
    expect((await service.cancel(a.id, { id: "agent-1", roles: [], kind: "agent" })).state).toBe(
      "cancelled",
    );
    expect(audit.events.at(-1)).toMatchObject({ type: "approval.cancelled", outcome: "cancelled" });
    const b = await mk();
    expect((await service.cancel(b.id, { id: "root", roles: ["admin"] }, "dup")).reason).toBe(
      "dup",
    );
    const c = await mk();
    expect((await service.cancel(c.id, lead("lea"))).state).toBe("cancelled");
    await expect(service.cancel(c.id, lead("lea"))).rejects.toMatchObject({
      code: "approval_not_open",
    });
  });

  it("unknown ids are not found", async () => {
    const { service } = await harness();
    await expect(service.approve("nope", lead("x"))).rejects.toMatchObject({
      code: "approval_not_found",
    });
    await expect(service.get("nope")).rejects.toThrow("no approval request `nope`");
  });
});

describe("separation of duties", () => {
  it("the agent's owner cannot approve (but another lead can)", async () => {
    const { service } = await harness();
    const r = await service.request({ input: inputFor(), decision: decisionFor() });
    await expect(service.approve(r.id, lead("olivia"))).rejects.toMatchObject({
      code: "approval_owner_cannot_approve",
      message: "`olivia` owns the requesting agent `agent-1` and cannot approve its request",
    });
    expect((await service.approve(r.id, lead("lea"))).state).toBe("approved");
  });

  it("one person cannot approve two levels of the same request", async () => {
    const { service } = await harness();
    const r = await service.request({
      input: inputFor(),
      decision: decisionFor({ levels: [{ roles: ["lead"] }, { roles: ["security"] }] }),
    });
    const both = { id: "max", roles: ["lead", "security"] };
    await service.approve(r.id, both);
    await expect(service.approve(r.id, both)).rejects.toMatchObject({
      code: "approval_duplicate_approver",
      message: "`max` already approved level 1 of this request and cannot approve another level",
    });
    expect((await service.get(r.id)).state).toBe("pending");
  });

  it("the requesting agent cannot vote on its own request", async () => {
    const { service } = await harness();
    const r = await service.request({ input: inputFor(), decision: decisionFor() });
    await expect(service.approve(r.id, { id: "agent-1", roles: ["lead"] })).rejects.toMatchObject({
      code: "approval_agent_cannot_approve",
    });
  });
});
