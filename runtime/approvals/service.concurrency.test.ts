import { expect, it } from "vitest";
import { decisionFor, inputFor } from "./test-helpers/fixtures.js";
import { harness, sec } from "./test-helpers/harness.js";

it("concurrent votes are serialised: both N-of-M approvers count, a double click counts once", async () => {
  const { service, audit } = await harness();
  const r = await service.request({
    input: inputFor(),
    decision: decisionFor({ levels: [{ roles: ["security"], required: 3 }] }),
  });
  const outcomes = await Promise.allSettled([
    service.approve(r.id, sec("s1")),
    service.approve(r.id, sec("s1")),
    service.approve(r.id, sec("s2")),
  ]);
  expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
  const now = await service.get(r.id);
  expect(now.votes.map((v) => v.approver.id)).toEqual(["s1", "s2"]);
  expect(now.version).toBe(3);
  expect(audit.types().filter((t) => t === "approval.granted")).toHaveLength(2);
});

it("a vote racing the deadline: whichever runs first wins, never both", async () => {
  const { service, timers } = await harness();
  const r = await service.request({
    input: inputFor(),
    decision: decisionFor({ levels: [{ roles: ["security"] }], timeout_ms: 1_000 }),
  });
  const [, vote] = await Promise.allSettled([
    timers.advance(1_000),
    service.approve(r.id, sec("s1")),
  ]);
  const final = await service.get(r.id);
  if (vote.status === "fulfilled") expect(final.state).toBe("approved");
  else expect(final.state).toBe("expired");
  expect(final.history.filter((h) => h.to !== "pending")).toHaveLength(1);
});
