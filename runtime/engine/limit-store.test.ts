/**
 * Counters that survive a restart: persisted state restored into fresh counters decides every
 * later call exactly as the counters that never stopped would (property test), on real LMDB files.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { ManualClock } from "../clock.js";
import { LmdbLimitStore, PersistentLimits } from "./limit-store.js";
import { type CounterState, LimitCounters, type LimitStore } from "./limits.js";

const root = mkdtempSync(join(tmpdir(), "paracle-limits-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const dir = () => join(root, `store-${n++}`);

/** A store in memory with the same semantics as the LMDB one (for the property test). */
class MemoryStore implements LimitStore {
  readonly map = new Map<string, CounterState>();
  load() {
    return [...this.map.values()];
  }
  async save(changes: CounterState[]) {
    for (const c of changes) {
      const k = `${c.kind}\u0000${c.key}`;
      if ("removed" in c) this.map.delete(k);
      else this.map.set(k, structuredClone(c));
    }
  }
}

type Call = { kind: "rate" | "quota"; key: string; dt: number; amount: number };
const rateSpec = { policy: "r", limit: 3, window_ms: 10_000 };
const quotaSpec = (amount: number) => ({ policy: "q", limit: 5, window_ms: 20_000, amount });

function decide(c: LimitCounters, call: Call, now: number): string {
  const check =
    call.kind === "rate"
      ? c.checkRate(call.key, rateSpec, now)
      : c.checkQuota(call.key, quotaSpec(call.amount), now);
  if (check.ok) {
    check.commit();
    return "ok";
  }
  return `refused:${check.retryAfterMs}`;
}

describe("PersistentLimits", () => {
  it("restored counters decide every later call as the uninterrupted ones do (property)", async () => {
    const call = fc.record({
      kind: fc.constantFrom("rate" as const, "quota" as const),
      key: fc.constantFrom("a", "b"),
      dt: fc.integer({ min: 0, max: 4_000 }),
      amount: fc.integer({ min: 0, max: 3 }),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(call, { maxLength: 40 }),
        fc.array(call, { maxLength: 40 }),
        // mostly shorter than the windows (10 s, 20 s), so that restored state matters
        fc.oneof(
          fc.constant(0),
          fc.integer({ min: 0, max: 5_000 }),
          fc.integer({ min: 0, max: 30_000 }),
        ),
        async (before, after, downtime) => {
          const clock = new ManualClock(1_700_000_000_000);
          const store = new MemoryStore();
          const live = new LimitCounters();
          const persisted = new LimitCounters();
          const p1 = new PersistentLimits({ counters: persisted, store, clock });
          await p1.start();
          for (const c of before) {
            clock.advance(c.dt);
            expect(decide(persisted, c, clock.now())).toBe(decide(live, c, clock.now()));
          }
          await p1.stop(); // the sidecar shuts down ...
          clock.advance(downtime); // ... is down for a while ...
          const restored = new LimitCounters();
          const p2 = new PersistentLimits({ counters: restored, store, clock });
          await p2.start(); // ... and starts again on the same data
          for (const c of after) {
            clock.advance(c.dt);
            expect(decide(restored, c, clock.now())).toBe(decide(live, c, clock.now()));
          }
          await p2.stop();
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps a daily quota used across a restart, on LMDB files", async () => {
    const path = dir();
    const clock = new ManualClock(Date.parse("2026-11-25T09:00:00Z"));
    const spec = { policy: "refunds", limit: 1000, window_ms: 86_400_000, amount: 400 };
    let counters = new LimitCounters();
    let store = LmdbLimitStore.open(path);
    let limits = new PersistentLimits({ counters, store, clock });
    expect(await limits.start()).toEqual({ restored: 0 });
    for (let i = 0; i < 2; i++) {
      const c = counters.checkQuota("refunds|support-bot", spec, clock.now());
      expect(c.ok).toBe(true);
      if (c.ok) c.commit();
    }
    await limits.stop();
    await store.close();

    clock.advance(3_600_000); // an hour later, a new process
    counters = new LimitCounters();
    store = LmdbLimitStore.open(path);
    limits = new PersistentLimits({ counters, store, clock });
    expect(await limits.start()).toEqual({ restored: 1 });
    const third = counters.checkQuota("refunds|support-bot", spec, clock.now());
    // 800 of 1000 used: another 400 is refused until midnight UTC
    expect(third).toEqual({
      ok: false,
      retryAfterMs: Date.parse("2026-11-26T00:00:00Z") - clock.now(),
    });
    await limits.stop();
    await store.close();
  });

  it("flushes on its interval, and deletes counters that expired while the process was down", async () => {
    const path = dir();
    const clock = new ManualClock(1_700_000_000_000);
    const store = LmdbLimitStore.open(path);
    const counters = new LimitCounters();
    const limits = new PersistentLimits({ counters, store, clock, flushIntervalMs: 20 });
    await limits.start();
    const c = counters.checkRate("k", { policy: "r", limit: 2, window_ms: 60_000 }, clock.now());
    if (c.ok) c.commit();
    // no stop: the timer writes it (polled, so a busy machine only makes the test slower)
    for (let i = 0; i < 200 && [...store.load()].length === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    expect([...store.load()]).toEqual([
      { kind: "rate", key: "k", times: [clock.now()], expiresAt: clock.now() + 60_000 },
    ]);
    await limits.stop();

    clock.advance(61_000);
    const again = new PersistentLimits({ counters: new LimitCounters(), store, clock });
    expect(await again.start()).toEqual({ restored: 0 });
    await again.stop();
    expect([...store.load()]).toEqual([]);
    await store.close();
  });

  it("keeps changes whose write failed and writes them with the next flush", async () => {
    const clock = new ManualClock(0);
    const inner = new MemoryStore();
    let fail = true;
    const errors: unknown[] = [];
    const store: LimitStore = {
      load: () => inner.load(),
      save: async (changes) => {
        if (fail) throw new Error("disk full");
        await inner.save(changes);
      },
    };
    const counters = new LimitCounters();
    const limits = new PersistentLimits({ counters, store, clock, onError: (e) => errors.push(e) });
    await limits.start();
    const c = counters.checkQuota("k", quotaSpec(2), 0);
    if (c.ok) c.commit();
    await expect(limits.flush()).rejects.toThrow("disk full");
    expect(errors).toHaveLength(1);
    expect(limits.failures).toBe(1);
    fail = false;
    await limits.stop();
    expect(inner.load()).toEqual([
      { kind: "quota", key: "k", windowStart: 0, used: 2, expiresAt: 20_000 },
    ]);
  });
});
