/** The service writing to the real hash-chained audit trail (runtime/audit) in LMDB. */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { AuditTrail } from "../audit/index.js";
import { ManualClock } from "../clock.js";
import { LmdbApprovalStore } from "./store/lmdb.js";
import { decisionFor, inputFor } from "./test-helpers/fixtures.js";
import { harness, lead, sec, T0 } from "./test-helpers/harness.js";

it("every transition lands in the real audit trail, which verifies", async () => {
  const dir = await mkdtemp(join(tmpdir(), "paracle-approvals-audit-"));
  const clock = new ManualClock(T0);
  const trail = await AuditTrail.open({ path: join(dir, "audit"), clock });
  const store = await LmdbApprovalStore.open(join(dir, "approvals"));
  try {
    const { service, timers } = await harness({ store, audit: trail, clock });
    const a = await service.request({
      input: inputFor(),
      decision: decisionFor({ levels: [{ roles: ["lead"] }, { roles: ["security"] }] }),
      correlationId: "call-1",
    });
    await service.approve(a.id, lead("lea"));
    await service.approve(a.id, sec("sam"));
    const b = await service.request({
      input: inputFor(),
      decision: decisionFor({ timeout_ms: 1_000, on_timeout: "escalate", escalate_to: ["oncall"] }),
    });
    await timers.advance(1_000);
    await service.reject(b.id, { id: "otto", roles: ["oncall"] }, "no");
    const c = await service.request({ input: inputFor(), decision: decisionFor() });
    await service.cancel(c.id, { id: "agent-1", roles: [], kind: "agent" });

    const { records } = await trail.query({ correlation_id: "call-1" });
    expect(records.map((r) => [r.type, r.outcome, r.actor.id])).toEqual([
      ["approval.requested", "pending", "agent-1"],
      ["approval.granted", "pending", "lea"],
      ["approval.granted", "approved", "sam"],
    ]);
    const all = await trail.query({});
    expect(all.records.map((r) => r.type)).toEqual([
      "approval.requested",
      "approval.granted",
      "approval.granted",
      "approval.requested",
      "approval.escalated",
      "approval.rejected",
      "approval.requested",
      "approval.cancelled",
    ]);
    expect((await trail.verify()).ok).toBe(true);
    await service.stop();
  } finally {
    await store.close();
    await trail.close();
  }
});
