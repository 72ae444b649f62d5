import { describe, expect, it } from "vitest";
import { decisionFor, inputFor } from "./test-helpers/fixtures.js";
import { harness, lead } from "./test-helpers/harness.js";

const MIN = 60_000;

describe("timers", () => {
  it("auto-rejects on expiry: the request expires, waiters wake, the event is audited", async () => {
    const { service, timers, audit, notes } = await harness();
    const r = await service.request({
      input: inputFor(),
      decision: decisionFor({ timeout_ms: 30 * MIN, on_timeout: "reject" }),
    });
    const waiting = service.waitForDecision(r.id);
    await timers.advance(30 * MIN - 1);
    expect((await service.get(r.id)).state).toBe("pending");
    await timers.advance(1);
    const done = await waiting;
    expect(done).toMatchObject({ state: "expired", decidedBy: { id: "system", kind: "system" } });
    expect(done.decidedAt).toBe(r.createdAt + 30 * MIN);
    expect(audit.events.at(-1)).toMatchObject({ type: "approval.expired", outcome: "expired" });
    expect(notes.kinds()).toEqual(["requested", "decided"]);
    expect(timers.size).toBe(0);
    await expect(service.approve(r.id, lead("lea"))).rejects.toMatchObject({
      code: "approval_not_open",
    });
  });

  it("auto-approves on expiry when configured", async () => {
    const { service, timers, audit } = await harness();
    const r = await service.request({
      input: inputFor(),
      decision: decisionFor({ timeout_ms: MIN, on_timeout: "approve" }),
    });
    await timers.advance(MIN);
    expect(await service.get(r.id)).toMatchObject({
      state: "approved",
      decidedBy: { kind: "system" },
    });
    expect(audit.events.at(-1)).toMatchObject({
      type: "approval.granted",
      outcome: "approved",
      context: { auto: "timeout" },
    });
  });

  it("escalates after the timeout to another role (recorded), then expires after a second one", async () => {
    const { service, timers, audit, notes } = await harness();
    const r = await service.request({
      input: inputFor(),
      decision: decisionFor({
        timeout_ms: 10 * MIN,
        on_timeout: "escalate",
        escalate_to: ["oncall"],
      }),
    });
    const oncall = { id: "otto", roles: ["oncall"] };
    await expect(service.approve(r.id, oncall)).rejects.toMatchObject({
      code: "approval_not_eligible",
    });
    await timers.advance(10 * MIN);
    const esc = await service.get(r.id);
    expect(esc.state).toBe("escalated");
    expect(esc.escalations).toEqual([{ at: r.createdAt + 10 * MIN, level: 0, to: ["oncall"] }]);
    expect(esc.expiresAt).toBe(r.createdAt + 20 * MIN);
    expect(audit.events.at(-1)).toMatchObject({
      type: "approval.escalated",
      outcome: "escalated",
      context: { to: ["oncall"] },
    });
    expect(notes.sent.at(-1)).toMatchObject({
      kind: "escalated",
      request: { roles: ["lead", "oncall"] },
    });
    expect((await service.list({ role: "oncall" })).map((x) => x.id)).toEqual([r.id]);
    await timers.advance(10 * MIN);
    expect((await service.get(r.id)).state).toBe("expired");
    expect((await service.stats()).escalations).toBe(1);
  });

  it("an escalated request can be approved by the escalation role", async () => {
    const { service, timers } = await harness();
    const r = await service.request({
      input: inputFor(),
      decision: decisionFor({ timeout_ms: MIN, on_timeout: "escalate", escalate_to: ["oncall"] }),
    });
    await timers.advance(MIN);
    const ok = await service.approve(r.id, { id: "otto", roles: ["oncall"] });
    expect(ok.state).toBe("approved");
    expect(ok.history.map((h) => h.to)).toEqual(["pending", "escalated", "approved"]);
  });

  it("sends reminders at their offsets while the request is open", async () => {
    const { service, timers, audit, notes } = await harness();
    const r = await service.request({
      input: inputFor(),
      decision: decisionFor({ timeout_ms: 60 * MIN, reminders_ms: [30 * MIN, 10 * MIN, 90 * MIN] }),
    });
    expect(r.chain.reminders_ms).toEqual([10 * MIN, 30 * MIN]);
    await timers.advance(10 * MIN);
    expect(audit.types().at(-1)).toBe("approval.reminder");
    await timers.advance(20 * MIN);
    expect(audit.types().filter((t) => t === "approval.reminder")).toHaveLength(2);
    expect(notes.kinds()).toEqual(["requested", "reminder", "reminder"]);
    expect((await service.get(r.id)).remindersSent).toBe(2);
    await service.approve(r.id, lead("lea"));
    expect(timers.size).toBe(0);
  });

  it("a timer whose audit append fails changes nothing and retries later", async () => {
    const errors: unknown[] = [];
    const { service, timers, audit } = await harness({
      retryDelayMs: 1_000,
      onError: (e) => errors.push(e),
    });
    const r = await service.request({
      input: inputFor(),
      decision: decisionFor({ timeout_ms: MIN }),
    });
    audit.failNext = 1;
    await timers.advance(MIN);
    expect(errors).toHaveLength(1);
    expect((await service.get(r.id)).state).toBe("pending");
    await timers.advance(1_000);
    expect((await service.get(r.id)).state).toBe("expired");
  });

  it("a vote whose audit append fails is refused and not stored", async () => {
    const { service, audit } = await harness();
    const r = await service.request({ input: inputFor(), decision: decisionFor() });
    audit.failNext = 1;
    await expect(service.approve(r.id, lead("lea"))).rejects.toThrow("audit log unavailable");
    expect(await service.get(r.id)).toMatchObject({ state: "pending", votes: [] });
  });
});
