import { describe, expect, it } from "vitest";
import type { DecisionInput } from "../../runtime/decision/types.js";
import type { EngineDecision } from "../ports.js";
import { Enforcer } from "./enforcer.js";

const allow: EngineDecision = {
  decision: "allow",
  reasons: [],
  matched: [{ id: "allow-echo", type: "allow" }],
  obligations: [],
  risk: { score: 0, level: "low", factors: [] },
  bundle: { hash: "h" },
} as unknown as EngineDecision;

const input: DecisionInput = { agent: { id: "a" }, action: { name: "echo" }, args: { text: "x" } };

function deferredAudit() {
  const pending: { resolve(): void; reject(e: Error): void; event: { type: string } }[] = [];
  return {
    pending,
    append(event: { type: string }) {
      return new Promise<void>((resolve, reject) => pending.push({ resolve, reject, event }));
    },
  };
}

const enforcer = (audit: ReturnType<typeof deferredAudit>) =>
  new Enforcer({
    engine: () => ({ decide: () => allow }),
    audit,
    approvalMode: "async",
    holdTimeoutMs: 1000,
  });

describe("Enforcer.check", () => {
  it("returns no verdict before the decision record is committed", async () => {
    const audit = deferredAudit();
    const e = enforcer(audit);
    let verdict: string | undefined;
    const p = e.check(input, { protocol: "mcp", correlationId: "c1" }).then((v) => {
      verdict = v.kind;
    });
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(verdict).toBeUndefined();
    expect(audit.pending.map((x) => x.event.type)).toEqual(["policy.evaluation"]);
    audit.pending[0]!.resolve();
    await p;
    expect(verdict).toBe("allow");
    expect(e.healthy).toBe(true);
  });

  it("denies (fail closed) and turns unhealthy when the append fails, healthy again after one succeeds", async () => {
    const audit = deferredAudit();
    const e = enforcer(audit);
    const p = e.check(input, { protocol: "mcp", correlationId: "c2" });
    audit.pending[0]!.reject(new Error("disk full"));
    const v = await p;
    expect(v).toMatchObject({ kind: "deny", status: 503, policy: "paracle.fail-closed" });
    expect(e.healthy).toBe(false);
    const q = e.check(input, { protocol: "mcp", correlationId: "c3" });
    audit.pending[1]!.resolve();
    expect((await q).kind).toBe("allow");
    expect(e.healthy).toBe(true);
  });

  it("denies when append throws synchronously", async () => {
    const e = new Enforcer({
      engine: () => ({ decide: () => allow }),
      audit: {
        append() {
          throw new Error("closed");
        },
      },
      approvalMode: "async",
      holdTimeoutMs: 1000,
    });
    expect(await e.check(input, { protocol: "http", correlationId: "c4" })).toMatchObject({
      kind: "deny",
      status: 503,
    });
    expect(e.healthy).toBe(false);
  });
});

describe("Enforcer.outcome", () => {
  it("appends the outcome record at once, after the decision record, without waiting for it", async () => {
    const audit = deferredAudit();
    const e = enforcer(audit);
    const ctx = { protocol: "mcp" as const, correlationId: "c5" };
    const first = e.check(input, ctx);
    audit.pending[0]!.resolve();
    const v = await first;
    e.outcome(input, v, ctx, { ok: true, status: 200, latencyMs: 1.5 });
    // appended synchronously: it joins the group commit of this turn
    expect(audit.pending.map((p) => p.event.type)).toEqual(["policy.evaluation", "agent.action"]);
    expect(audit.pending[1]!.event).toMatchObject({
      correlation_id: "c5",
      outcome: "success",
      context: { status: 200, latency_ms: 1.5 },
    });
    e.outcome(input, v, ctx, { ok: false, latencyMs: 3, error: "boom" });
    expect(audit.pending[2]!.event).toMatchObject({ outcome: "error", context: { error: "boom" } });
    const second = e.check(input, { protocol: "mcp", correlationId: "c6" });
    expect(audit.pending.map((p) => p.event.type)).toEqual([
      "policy.evaluation",
      "agent.action",
      "agent.action",
      "policy.evaluation",
    ]);
    for (const p of audit.pending.slice(1)) p.resolve();
    expect((await second).kind).toBe("allow");
    expect(e.healthy).toBe(true);
  });

  it("turns unhealthy when an outcome append fails", async () => {
    const audit = deferredAudit();
    const e = enforcer(audit);
    const ctx = { protocol: "mcp" as const, correlationId: "c8" };
    const first = e.check(input, ctx);
    audit.pending[0]!.resolve();
    e.outcome(input, await first, ctx, { ok: true, latencyMs: 1 });
    audit.pending[1]!.reject(new Error("disk full"));
    await new Promise((r) => setImmediate(r));
    expect(e.healthy).toBe(false);
  });
});
