import { describe, expect, it } from "vitest";
import { decisionFor, inputFor } from "./test-helpers/fixtures.js";
import { harness, lead } from "./test-helpers/harness.js";

describe("batch", () => {
  it("approves by ids, each on its own", async () => {
    const { service } = await harness();
    const a = await service.request({ input: inputFor(), decision: decisionFor() });
    const b = await service.request({
      input: inputFor(),
      decision: decisionFor({ levels: [{ roles: ["security"] }] }),
    });
    const out = await service.batch({ action: "approve", ids: [a.id, b.id, "nope"] }, lead("lea"));
    expect(out.succeeded).toBe(1);
    expect(out.failed).toBe(2);
    expect(out.results).toEqual([
      { id: a.id, ok: true, state: "approved" },
      {
        id: b.id,
        ok: false,
        code: "approval_not_eligible",
        error: expect.stringContaining("`lea`"),
      },
      { id: "nope", ok: false, code: "approval_not_found", error: "no approval request `nope`" },
    ]);
  });

  it("rejects by filter: only open requests matching it", async () => {
    const { service } = await harness();
    const mk = (agent: string, level: "high" | "low") =>
      service.request({
        input: inputFor({ agent: { id: agent } }),
        decision: decisionFor({}, { level }),
      });
    const x1 = await mk("x", "high");
    const x2 = await mk("x", "low");
    const y = await mk("y", "high");
    await service.approve(x2.id, lead("lea"));
    const out = await service.batch(
      { action: "reject", filter: { agent: "x" }, reason: "bulk" },
      lead("leo"),
    );
    expect(out.results).toEqual([{ id: x1.id, ok: true, state: "rejected" }]);
    expect((await service.get(y.id)).state).toBe("pending");
    const byPriority = await service.batch(
      { action: "reject", filter: { priority: "high" } },
      lead("leo"),
    );
    expect(byPriority.results.map((r) => r.id)).toEqual([y.id]);
  });
});

describe("list and stats", () => {
  it("lists by priority first, and filters by role, agent and priority", async () => {
    const { service, clock } = await harness();
    const low = await service.request({
      input: inputFor(),
      decision: decisionFor({}, { level: "low" }),
    });
    clock.advance(1);
    const crit = await service.request({
      input: inputFor({ agent: { id: "b" } }),
      decision: decisionFor({ levels: [{ roles: ["security"] }] }, { level: "critical" }),
    });
    expect((await service.list({ state: "pending" })).map((r) => r.id)).toEqual([crit.id, low.id]);
    expect((await service.list({ role: "security" })).map((r) => r.id)).toEqual([crit.id]);
    expect((await service.list({ agent: "b" })).map((r) => r.id)).toEqual([crit.id]);
    expect((await service.list({ priority: "low" })).map((r) => r.id)).toEqual([low.id]);
    expect(await service.list({ limit: 1 })).toHaveLength(1);
  });

  it("computes approval rate, time to decision p50/p90 and escalations", async () => {
    const { service, clock, timers } = await harness();
    const mins = [1, 2, 3, 4, 10];
    for (const m of mins) {
      const r = await service.request({ input: inputFor(), decision: decisionFor() });
      clock.advance(m * 60_000);
      if (m === 10) await service.reject(r.id, lead("lea"));
      else await service.approve(r.id, lead("lea"));
    }
    await service.request({
      input: inputFor(),
      decision: decisionFor({ timeout_ms: 1_000, on_timeout: "escalate", escalate_to: ["x"] }),
    });
    await timers.advance(1_000);
    const s = await service.stats();
    expect(s).toMatchObject({
      total: 6,
      byState: { approved: 4, rejected: 1, escalated: 1 },
      approvalRate: 0.8,
      timeToDecisionMs: { p50: 3 * 60_000, p90: 10 * 60_000, count: 5 },
      escalations: 1,
      escalatedRequests: 1,
      openByPriority: { high: 1 },
    });
  });
});
