/** The worked example of docs/approvals.md, step by step. */
import { expect, it } from "vitest";
import { decisionFor, inputFor } from "./test-helpers/fixtures.js";
import { harness } from "./test-helpers/harness.js";

const MIN = 60_000;

it("docs/approvals.md: critical risk ⇒ team lead, then 2 of 3 security", async () => {
  const { service, timers, audit, notes } = await harness({
    templates: {
      "lead-only": { levels: [{ roles: ["team-lead"] }], timeout_ms: 60 * MIN },
      "critical-chain": {
        levels: [
          { roles: ["team-lead"], required: 1 },
          { roles: ["security"], required: 2, of: 3 },
        ],
        timeout_ms: 240 * MIN,
        on_timeout: "escalate",
        escalate_to: ["security-oncall"],
        reminders_ms: [30 * MIN, 120 * MIN],
        require_reason_on_reject: true,
      },
    },
  });
  const r = await service.request({
    input: inputFor({ agent: { id: "etl-bot", owner: "olivia" }, resource: { env: "prod" } }),
    decision: decisionFor(
      {
        policy: "approve-prod-deletes",
        levels: [{ roles: ["team-lead"] }],
        by_risk: { high: "lead-only", critical: "critical-chain" },
      },
      { score: 91, level: "critical" },
    ),
    idempotencyKey: "etl-bot:call-1",
  });
  expect(r).toMatchObject({ priority: "urgent", chain: { template: "critical-chain" } });
  const olivia = { id: "olivia", roles: ["team-lead"] };
  const max = { id: "max", roles: ["team-lead", "security"] };
  const sam = { id: "sam", roles: ["security"] };
  const sue = { id: "sue", roles: ["security"] };
  const sid = { id: "sid", roles: ["security"] };
  await expect(service.approve(r.id, olivia)).rejects.toMatchObject({
    code: "approval_owner_cannot_approve",
  });
  expect((await service.approve(r.id, max)).currentLevel).toBe(1);
  expect(notes.kinds()).toEqual(["requested", "advanced"]);
  await expect(service.approve(r.id, max)).rejects.toMatchObject({
    code: "approval_duplicate_approver",
  });
  await service.approve(r.id, sam);
  await expect(service.approve(r.id, sam)).rejects.toMatchObject({
    code: "approval_duplicate_vote",
  });
  await expect(service.reject(r.id, sid)).rejects.toMatchObject({
    code: "approval_reason_required",
  });
  await timers.advance(30 * MIN);
  expect(audit.types().at(-1)).toBe("approval.reminder");
  const done = await service.approve(r.id, sue);
  expect(done).toMatchObject({ state: "approved", decidedBy: { id: "sue" } });
  expect(await service.claimForward(r.id)).toBe(true);
  expect(await service.claimForward(r.id)).toBe(false);
  expect(audit.types()).toEqual([
    "approval.requested",
    "approval.granted",
    "approval.granted",
    "approval.reminder",
    "approval.granted",
  ]);
});
