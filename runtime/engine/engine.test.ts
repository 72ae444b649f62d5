import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock.js";
import type { DecisionInput } from "../decision/types.js";
import type { Alert, AlertSink } from "../risk/alerts.js";
import { PolicyEngine } from "./engine.js";
import { ENGINE_ERROR_POLICY } from "./evaluate.js";
import { PolicyEvaluator } from "./evaluator.js";
import { type LoadedBundle, loadBundle } from "./loader.js";
import { bundleSource, writeBundle } from "./test-helpers/bundle-fixture.js";

const T0 = Date.parse("2025-01-06T09:00:00Z");

async function bundleOf(decideSource: string): Promise<LoadedBundle> {
  return loadBundle(writeBundle(bundleSource(decideSource)).dir);
}

const input = (agent = "a1", extra: Partial<DecisionInput> = {}): DecisionInput => ({
  agent: { id: agent },
  action: { name: "search.web" },
  ...extra,
});

// Echoes what the engine gave the bundle, so tests can see `time` and `history`.
const echo = `return { decision: "allow", reasons: [JSON.stringify({ time: input.time, history: input.history })] };`;

describe("PolicyEngine.decide", () => {
  it("fills time from the clock (UTC, or the configured zone) and keeps a given time", async () => {
    const bundle = await bundleOf(echo);
    const clock = new ManualClock(T0);
    const utc = new PolicyEngine({ bundle, clock });
    expect(JSON.parse(utc.decide(input()).reasons[0]!).time).toBe("2025-01-06T09:00:00.000Z");
    const paris = new PolicyEngine({ bundle, clock, timeZone: "Europe/Paris" });
    expect(JSON.parse(paris.decide(input()).reasons[0]!).time).toBe(
      "2025-01-06T10:00:00.000+01:00",
    );
    const ny = new PolicyEngine({ bundle, clock, timeZone: "America/New_York" });
    expect(JSON.parse(ny.decide(input()).reasons[0]!).time).toBe("2025-01-06T04:00:00.000-05:00");
    const given = utc.decide(input("a1", { time: "2024-12-31T23:00:00Z" }));
    expect(JSON.parse(given.reasons[0]!).time).toBe("2024-12-31T23:00:00Z");
  });

  it("refuses an unknown time zone at construction", async () => {
    const bundle = await bundleOf(echo);
    expect(() => new PolicyEngine({ bundle, timeZone: "Mars/Olympus" })).toThrow(RangeError);
  });

  it("sets bundle.hash and injects history (overriding what the caller sent)", async () => {
    const bundle = await bundleOf(echo);
    const engine = new PolicyEngine({ bundle, clock: new ManualClock(T0) });
    engine.decide(input());
    const d = engine.decide(input("a1", { history: { calls: 0, denials: 0 } }));
    expect(d.bundle.hash).toBe(bundle.hash);
    expect(JSON.parse(d.reasons[0]!).history).toEqual({
      calls: 2,
      denials: 0,
      errors: 0,
      rate: 0.4,
      anomaly: 0,
    });
  });

  it("counts denials and outcome errors in history", async () => {
    const bundle = await bundleOf(
      `return { decision: input.action.name === "bad" ? "deny" : "allow", reasons: [JSON.stringify(input.history)] };`,
    );
    const engine = new PolicyEngine({ bundle, clock: new ManualClock(T0) });
    const denied = engine.decide({ agent: { id: "a" }, action: { name: "bad" } });
    const allowed = engine.decide(input("a"));
    engine.recordOutcome(input("a"), allowed, { ok: false, latencyMs: 3 });
    expect(denied.decision).toBe("deny");
    expect(engine.history.stats("a")).toMatchObject({ calls: 2, denials: 1, errors: 1 });
  });

  it("a list-phase decision (tools/list visibility) counts nothing and consumes no budget", async () => {
    const bundle = await bundleOf(
      `return { decision: "allow", risk: { score: 99, level: "critical", factors: [] }, obligations: [{ type: "rate_limit", policy: "r", limit: 1, window_ms: 60000, per: [] }] };`,
    );
    const alerts: Alert[] = [];
    const engine = new PolicyEngine({
      bundle,
      clock: new ManualClock(T0),
      alerts: [{ name: "c", emit: (a) => alerts.push(a) }],
    });
    for (let i = 0; i < 5; i++) {
      expect(
        engine.decide({ agent: { id: "a" }, action: { name: "x", phase: "list" } }).decision,
      ).toBe("allow");
    }
    expect(engine.history.stats("a").calls).toBe(0);
    expect(alerts).toHaveLength(0);
    expect(engine.decide(input("a")).decision).toBe("allow");
    expect(engine.decide(input("a")).limited?.policy).toBe("r");
    expect(alerts).toHaveLength(2);
  });

  it("fails closed when the bundle throws, returns garbage, or the input is not an object", async () => {
    const engine = new PolicyEngine({
      bundle: await bundleOf(`throw new TypeError("no such field: args.x");`),
    });
    const d = engine.decide(input());
    expect(d.decision).toBe("deny");
    expect(d.errors).toEqual([
      { policy: ENGINE_ERROR_POLICY, message: "decide threw: TypeError: no such field: args.x" },
    ]);
    expect(d.bundle.hash).toBe(engine.bundle.hash);

    const garbage = new PolicyEngine({ bundle: await bundleOf(`return { decision: "maybe" };`) });
    expect(garbage.decide(input()).errors?.[0]?.message).toBe(
      "the bundle returned an unknown decision `maybe`",
    );

    const notObject = engine.decide(null as unknown as DecisionInput);
    expect(notObject.decision).toBe("deny");
    expect(notObject.errors?.[0]?.message).toBe("engine error: TypeError: input is not an object");
    expect(engine.stats().errors).toBe(2);
  });

  it("swaps bundles atomically and keeps counters across the swap", async () => {
    const limited = `return { decision: "allow", obligations: [{ type: "rate_limit", policy: "rl", limit: 1, window_ms: 60000, per: ["agent"] }], reasons: ["v1"] };`;
    const engine = new PolicyEngine({
      bundle: await bundleOf(limited),
      clock: new ManualClock(T0),
    });
    expect(engine.decide(input()).decision).toBe("allow");
    const next = await bundleOf(limited.replace('"v1"', '"v2"'));
    engine.swap(next);
    expect(engine.bundle).toBe(next);
    const d = engine.decide(input());
    expect(d.decision).toBe("deny");
    expect(d.bundle.hash).toBe(next.hash);
    expect(d.reasons).toEqual(["rate limit `rl` exceeded: 1 calls per 1m", "v2"]);
  });
});

describe("PolicyEngine rate_limit and quota", () => {
  const rl = (per: string[]) =>
    `return { decision: "allow", reasons: ["ok"], obligations: [{ type: "rate_limit", policy: "search-rl", limit: 3, window_ms: 60000, per: ${JSON.stringify(per)} }] };`;

  it("allows exactly N per window per agent, denies N+1 with retry_after, and slides", async () => {
    const clock = new ManualClock(T0);
    const engine = new PolicyEngine({ bundle: await bundleOf(rl(["agent"])), clock });
    for (let i = 0; i < 3; i++) {
      expect(engine.decide(input()).decision).toBe("allow");
      clock.advance(1_000);
    }
    const d = engine.decide(input());
    expect(d.decision).toBe("deny");
    expect(d.limited).toEqual({ policy: "search-rl", kind: "rate_limit", retry_after_ms: 57_000 });
    expect(d.reasons[0]).toBe("rate limit `search-rl` exceeded: 3 calls per 1m");
    expect(engine.decide(input("a2")).decision).toBe("allow"); // another agent has its own budget
    clock.advance(57_000);
    expect(engine.decide(input()).decision).toBe("allow");
    expect(engine.stats().limited.rate_limit).toBe(1);
  });

  it("counts per agent, tool and session when asked", async () => {
    const engine = new PolicyEngine({
      bundle: await bundleOf(rl(["agent", "tool", "session"])),
      clock: new ManualClock(T0),
    });
    for (let i = 0; i < 3; i++) engine.decide(input("a", { session: { id: "s1" } }));
    expect(engine.decide(input("a", { session: { id: "s1" } })).decision).toBe("deny");
    expect(engine.decide(input("a", { session: { id: "s2" } })).decision).toBe("allow");
    expect(
      engine.decide({ agent: { id: "a" }, action: { name: "other" }, session: { id: "s1" } })
        .decision,
    ).toBe("allow");
  });

  it("a call denied by the bundle consumes no budget", async () => {
    const engine = new PolicyEngine({
      bundle: await bundleOf(
        `return { decision: input.args.ok ? "allow" : "deny", obligations: [{ type: "rate_limit", policy: "r", limit: 1, window_ms: 1000, per: [] }] };`,
      ),
      clock: new ManualClock(T0),
    });
    for (let i = 0; i < 5; i++) engine.decide(input("a", { args: { ok: false } }));
    expect(engine.decide(input("a", { args: { ok: true } })).decision).toBe("allow");
  });

  it("quota sums the obligation's amount per window; over budget is a deny until the window resets", async () => {
    const clock = new ManualClock(Date.parse("2025-01-06T00:00:00Z"));
    const engine = new PolicyEngine({
      bundle: await bundleOf(`return { decision: "allow", obligations: [
        { type: "quota", policy: "refunds", limit: 500, window_ms: 86400000, amount: input.args.amount, per: ["agent"] },
        { type: "rate_limit", policy: "r", limit: 100, window_ms: 86400000, per: ["agent"] }] };`),
      clock,
    });
    const refund = (amount: number) => engine.decide(input("a", { args: { amount } }));
    expect(refund(300).decision).toBe("allow");
    expect(refund(200).decision).toBe("allow");
    clock.advance(3_600_000);
    const d = refund(1);
    expect(d.decision).toBe("deny");
    expect(d.limited).toEqual({ policy: "refunds", kind: "quota", retry_after_ms: 23 * 3_600_000 });
    expect(d.reasons[0]).toBe("quota `refunds` exceeded: budget 500 per 1d");
    clock.advance(23 * 3_600_000);
    expect(refund(500).decision).toBe("allow");
    expect(engine.limits.stats().keys).toBe(2); // one quota key and one rate key for agent `a`
  });

  it("a call refused by one limit consumes none of the others", async () => {
    const engine = new PolicyEngine({
      bundle: await bundleOf(`return { decision: "allow", obligations: [
        { type: "rate_limit", policy: "r", limit: 2, window_ms: 60000, per: [] },
        { type: "quota", policy: "q", limit: 1, window_ms: 60000, amount: input.args.amount, per: [] }] };`),
      clock: new ManualClock(T0),
    });
    const call = (amount: number) => engine.decide(input("a", { args: { amount } }));
    expect(call(1).decision).toBe("allow");
    for (let i = 0; i < 5; i++) expect(call(1).limited?.policy).toBe("q");
    expect(call(0).decision).toBe("allow"); // the rate limit counted 2 calls, not 7
    expect(call(0).limited?.policy).toBe("r");
  });

  it("fails closed on a quota whose amount is not a number", async () => {
    const engine = new PolicyEngine({
      bundle: await bundleOf(
        `return { decision: "allow", obligations: [{ type: "quota", policy: "q", limit: 5, window_ms: 1000, amount: input.args.amount, per: [] }] };`,
      ),
    });
    const d = engine.decide(input("a", { args: { amount: "lots" } }));
    expect(d.decision).toBe("deny");
    expect(d.errors?.[0]?.message).toBe(
      "quota `q` got amount `lots`; a finite number >= 0 is required",
    );
  });

  it("a limited require_approval becomes a deny without an approval", async () => {
    const engine = new PolicyEngine({
      bundle: await bundleOf(
        `return { decision: "require_approval", approval: { policy: "ap", levels: [{ roles: ["lead"] }] }, obligations: [{ type: "rate_limit", policy: "r", limit: 0, window_ms: 1000, per: [] }] };`,
      ),
    });
    const d = engine.decide(input());
    expect(d.decision).toBe("deny");
    expect(d.approval).toBeUndefined();
    expect(d.limited?.kind).toBe("rate_limit");
  });
});

describe("PolicyEngine alerts", () => {
  class Collect implements AlertSink {
    readonly name = "collect";
    alerts: Alert[] = [];
    emit(a: Alert) {
      this.alerts.push(a);
    }
  }
  const risky = `return { decision: "require_approval", reasons: ["risky"], matched: [{ id: "gate", type: "max_risk", source: { file: "p.yaml", line: 3 } }],
    risk: { score: input.args.score, level: input.args.score > 80 ? "critical" : input.args.score > 60 ? "high" : "low", factors: [] },
    obligations: input.args.alert ? [{ type: "alert", policy: "notify", severity: "high", message: "payment flagged" }] : [] };`;

  it("alerts at or above the configured level or on an alert obligation, without argument values", async () => {
    const sink = new Collect();
    const throwing: AlertSink = {
      name: "bad",
      emit: () => {
        throw new Error("sink down");
      },
    };
    const engine = new PolicyEngine({
      bundle: await bundleOf(risky),
      alerts: [sink, throwing],
      alertLevel: "high",
      clock: new ManualClock(T0),
    });
    expect(engine.decide(input("a", { args: { score: 10, secret: "hunter2" } })).decision).toBe(
      "require_approval",
    );
    expect(sink.alerts).toHaveLength(0);
    engine.decide(input("a", { args: { score: 70, secret: "hunter2" }, session: { id: "s9" } }));
    engine.decide(input("a", { args: { score: 10, alert: true, secret: "hunter2" } }));
    expect(sink.alerts).toHaveLength(2);
    expect(sink.alerts[0]).toMatchObject({
      level: "high",
      score: 70,
      decision: "require_approval",
      severity: "high",
      agent_id: "a",
      action: "search.web",
      session_id: "s9",
      policies: ["gate"],
      alert_policies: [],
      time: "2025-01-06T09:00:00.000Z",
    });
    expect(sink.alerts[1]).toMatchObject({
      level: "low",
      alert_policies: ["notify"],
      messages: ["payment flagged"],
      severity: "high",
    });
    expect(JSON.stringify(sink.alerts)).not.toContain("hunter2");
    expect(engine.stats()).toMatchObject({ alerts: 2, alertSinkErrors: 2 });
  });
});

describe("PolicyEvaluator", () => {
  it("is stateless: obligations returned, not enforced; history as given", async () => {
    const bundle = await bundleOf(
      `return { decision: "allow", reasons: [JSON.stringify(input.history ?? null)], obligations: [{ type: "rate_limit", policy: "r", limit: 1, window_ms: 60000, per: [] }] };`,
    );
    const evaluator = new PolicyEvaluator(bundle, { clock: new ManualClock(T0) });
    for (let i = 0; i < 3; i++) expect(evaluator.evaluate(input()).decision).toBe("allow");
    expect(evaluator.evaluate(input("a", { history: { calls: 7 } })).reasons).toEqual([
      '{"calls":7}',
    ]);
    expect(evaluator.evaluate(input()).bundle.hash).toBe(bundle.hash);
  });
});
