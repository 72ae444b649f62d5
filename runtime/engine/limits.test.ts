import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LimitCounters } from "./limits.js";

const rate = { policy: "r", limit: 3, window_ms: 60_000 };

function take(c: LimitCounters, key: string, now: number) {
  const check = c.checkRate(key, rate, now);
  if (check.ok) check.commit();
  return check.ok ? "ok" : check.retryAfterMs;
}

describe("LimitCounters rate limit (sliding window)", () => {
  it("allows exactly N in a window, refuses N+1, and slides", () => {
    const c = new LimitCounters();
    expect([take(c, "k", 0), take(c, "k", 10_000), take(c, "k", 20_000)]).toEqual([
      "ok",
      "ok",
      "ok",
    ]);
    expect(take(c, "k", 30_000)).toBe(30_000); // first call leaves the window at 60 000
    expect(take(c, "k", 59_999)).toBe(1);
    expect(take(c, "k", 60_000)).toBe("ok"); // (0, 60 000] no longer holds the call at 0
    expect(take(c, "k", 60_001)).toBe(9_999); // next to leave: the call at 10 000
    expect(take(c, "k", 70_000)).toBe("ok");
  });

  it("a refused call is not counted, and keys are independent", () => {
    const c = new LimitCounters();
    for (let i = 0; i < 3; i++) take(c, "a", 0);
    for (let i = 0; i < 10; i++) expect(take(c, "a", 1)).not.toBe("ok");
    expect(take(c, "b", 1)).toBe("ok");
    expect(take(c, "a", 60_000)).toBe("ok");
  });

  it("a check that is not committed consumes nothing", () => {
    const c = new LimitCounters();
    for (let i = 0; i < 5; i++) c.checkRate("k", rate, 0);
    expect(c.stats().keys).toBe(0);
  });

  it("keeps memory bounded (LRU eviction, expiry)", () => {
    const c = new LimitCounters({ maxEntries: 100 });
    for (let i = 0; i < 10_000; i++) take(c, `k${i}`, i);
    const s = c.stats();
    expect(s.entries).toBeLessThanOrEqual(100 + 100 / 8);
    expect(s.evictions).toBeGreaterThan(9_000);
    // entries whose window is over are dropped as new keys arrive
    const d = new LimitCounters({ maxEntries: 1_000_000 });
    for (let i = 0; i < 1_000; i++) take(d, `k${i}`, i * 61_000);
    expect(d.stats().keys).toBeLessThan(20);
  });
});

describe("LimitCounters rate limit against a brute-force model", () => {
  it("property: same verdicts and retry times as counting accepted calls in (t - window, t]", () => {
    const spec = fc.record({
      limit: fc.integer({ min: 0, max: 5 }),
      window: fc.integer({ min: 1, max: 100 }),
    });
    const gaps = fc.array(fc.integer({ min: 0, max: 60 }), { maxLength: 60 });
    fc.assert(
      fc.property(spec, gaps, ({ limit, window }, steps) => {
        const c = new LimitCounters();
        const accepted: number[] = [];
        let t = 0;
        for (const gap of steps) {
          t += gap;
          const inWindow = accepted.filter((a) => a > t - window);
          const check = c.checkRate("k", { policy: "p", limit, window_ms: window }, t);
          const expectOk = inWindow.length < limit;
          if (check.ok !== expectOk) return false;
          if (check.ok) {
            check.commit();
            accepted.push(t);
          } else {
            const expected = limit === 0 ? window : inWindow[inWindow.length - limit]! + window - t;
            if (check.retryAfterMs !== expected) return false;
          }
        }
        return true;
      }),
      { numRuns: 300 },
    );
  });
});

describe("LimitCounters quota (fixed windows)", () => {
  const quota = { policy: "q", limit: 100, window_ms: 86_400_000, amount: 0 };
  const spend = (c: LimitCounters, amount: number, now: number) => {
    const check = c.checkQuota("k", { ...quota, amount }, now);
    if (check.ok) check.commit();
    return check.ok ? "ok" : check.retryAfterMs;
  };

  it("sums amounts up to the budget exactly, then refuses until the window resets", () => {
    const c = new LimitCounters();
    const day = 86_400_000 * 20_000; // a UTC midnight
    expect(spend(c, 60, day + 1_000)).toBe("ok");
    expect(spend(c, 40, day + 2_000)).toBe("ok"); // exactly at budget
    expect(spend(c, 0.5, day + 3_000)).toBe(86_400_000 - 3_000);
    expect(spend(c, 0, day + 3_000)).toBe("ok");
    expect(spend(c, 100, day + 86_400_000)).toBe("ok"); // next day
  });

  it("refuses an amount that alone exceeds the budget", () => {
    const c = new LimitCounters();
    expect(spend(c, 101, 0)).toBe(86_400_000);
  });
});
