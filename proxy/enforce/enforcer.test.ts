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
