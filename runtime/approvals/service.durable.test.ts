import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock.js";
import { LmdbApprovalStore } from "./store/lmdb.js";
import { decisionFor, inputFor, MemoryAuditSink } from "./test-helpers/fixtures.js";
import { harness, lead, sec, T0 } from "./test-helpers/harness.js";
import { FakeScheduler } from "./timers.js";

const MIN = 60_000;

async function lmdbDir(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), "paracle-approvals-")), "approvals");
}

describe("restart", () => {
  it("pending requests stay pending and their timers resume from the stored deadlines", async () => {
    const dir = await lmdbDir();
    const clock = new ManualClock(T0);
    const audit = new MemoryAuditSink();
    const first = await harness({ store: await LmdbApprovalStore.open(dir), clock, audit });
    const escalating = await first.service.request({
      input: inputFor(),
      decision: decisionFor({
        timeout_ms: 10 * MIN,
        on_timeout: "escalate",
        escalate_to: ["oncall"],
      }),
    });
    const expiring = await first.service.request({
      input: inputFor(),
      decision: decisionFor({
        levels: [{ roles: ["lead"] }, { roles: ["security"] }],
        timeout_ms: 30 * MIN,
        reminders_ms: [20 * MIN],
      }),
    });
    await first.service.approve(expiring.id, lead("lea"));
    await first.timers.advance(5 * MIN);
    await first.service.stop();
    await first.store.close();

    // Down for a while; the new process has its own scheduler with nothing armed yet.
    clock.advance(6 * MIN);
    const timers = new FakeScheduler(clock);
    const second = await harness({
      store: await LmdbApprovalStore.open(dir),
      clock,
      audit,
      timers,
    });
    expect((await second.service.get(expiring.id)).currentLevel).toBe(1);
    expect(timers.size).toBe(2);
    await timers.runDue();
    const escalated = await second.service.get(escalating.id);
    expect(escalated).toMatchObject({ state: "escalated", expiresAt: T0 + 21 * MIN });
    expect((await second.service.list({ state: "escalated" })).map((r) => r.id)).toEqual([
      escalating.id,
    ]);
    await timers.advance(9 * MIN);
    expect(audit.types().at(-1)).toBe("approval.reminder");
    await expect(
      second.service.approve(escalating.id, { id: "otto", roles: ["oncall"] }),
    ).resolves.toMatchObject({
      state: "approved",
    });
    await timers.advance(10 * MIN);
    expect((await second.service.get(expiring.id)).state).toBe("expired");
    expect(timers.size).toBe(0);
    await second.service.stop();
    await second.store.close();
  });

  it("separation of duties holds across a restart", async () => {
    const dir = await lmdbDir();
    const clock = new ManualClock(T0);
    const a = await harness({ store: await LmdbApprovalStore.open(dir), clock });
    const r = await a.service.request({
      input: inputFor(),
      decision: decisionFor({ levels: [{ roles: ["lead"] }, { roles: ["security"] }] }),
    });
    const both = { id: "max", roles: ["lead", "security"] };
    await a.service.approve(r.id, both);
    await a.service.stop();
    await a.store.close();
    const b = await harness({ store: await LmdbApprovalStore.open(dir), clock });
    await expect(b.service.approve(r.id, both)).rejects.toMatchObject({
      code: "approval_duplicate_approver",
    });
    expect((await b.service.approve(r.id, sec("sam"))).state).toBe("approved");
    await b.store.close();
  });
});

describe("idempotent resume", () => {
  it("the same idempotency key returns the same request, also after a restart", async () => {
    const dir = await lmdbDir();
    const clock = new ManualClock(T0);
    const a = await harness({ store: await LmdbApprovalStore.open(dir), clock });
    const args = { input: inputFor(), decision: decisionFor(), idempotencyKey: "agent-1:call-7" };
    const [one, two] = await Promise.all([a.service.request(args), a.service.request(args)]);
    expect(two.id).toBe(one.id);
    expect(a.audit.types()).toEqual(["approval.requested"]);
    await a.service.approve(one.id, lead("lea"));
    expect(await a.service.claimForward(one.id)).toBe(true);
    await a.service.stop();
    await a.store.close();

    const b = await harness({ store: await LmdbApprovalStore.open(dir), clock });
    const again = await b.service.request(args);
    expect(again).toMatchObject({ id: one.id, state: "approved" });
    expect(again.forwardedAt).toBeDefined();
    // The call was forwarded before the restart: never twice.
    expect(await b.service.claimForward(one.id)).toBe(false);
    await b.store.close();
  });

  it("claimForward is true exactly once, and only for approved requests", async () => {
    const { service } = await harness();
    const r = await service.request({ input: inputFor(), decision: decisionFor() });
    expect(await service.claimForward(r.id)).toBe(false);
    await service.approve(r.id, lead("lea"));
    const claims = await Promise.all([1, 2, 3].map(() => service.claimForward(r.id)));
    expect(claims.filter(Boolean)).toHaveLength(1);
    const rejected = await service.request({ input: inputFor(), decision: decisionFor() });
    await service.reject(rejected.id, lead("lea"));
    expect(await service.claimForward(rejected.id)).toBe(false);
  });
});

describe("waitForDecision", () => {
  it("resolves on the final decision, at once when already final, and aborts on a signal", async () => {
    const { service } = await harness();
    const r = await service.request({
      input: inputFor(),
      decision: decisionFor({ levels: [{ roles: ["lead"] }, { roles: ["security"] }] }),
    });
    let settled = false;
    const waiting = service.waitForDecision(r.id).then((x) => {
      settled = true;
      return x;
    });
    await service.approve(r.id, lead("lea"));
    await new Promise((res) => setImmediate(res));
    expect(settled).toBe(false);
    await service.approve(r.id, sec("sam"));
    expect((await waiting).state).toBe("approved");
    expect((await service.waitForDecision(r.id)).state).toBe("approved");

    const other = await service.request({ input: inputFor(), decision: decisionFor() });
    const ctl = new AbortController();
    const aborted = service.waitForDecision(other.id, ctl.signal);
    ctl.abort();
    await expect(aborted).rejects.toMatchObject({ code: "approval_wait_aborted" });
    await expect(service.waitForDecision("nope")).rejects.toMatchObject({
      code: "approval_not_found",
    });
    const last = service.waitForDecision(other.id);
    await service.stop();
    await expect(last).rejects.toMatchObject({ code: "approval_service_stopped" });
    await expect(service.waitForDecision(other.id)).rejects.toMatchObject({
      code: "approval_service_stopped",
    });
    await expect(service.approve(other.id, lead("lea"))).rejects.toMatchObject({
      code: "approval_service_stopped",
    });
  });
});
