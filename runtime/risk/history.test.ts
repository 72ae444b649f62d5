import { describe, expect, it } from "vitest";
import { ManualClock } from "../clock.js";
import { HistoryTracker } from "./history.js";

const T0 = 1_700_000_000_000 - (1_700_000_000_000 % 10_000); // on a bucket boundary

describe("HistoryTracker window statistics", () => {
  it("counts calls, denials and errors over the sliding window and gives a per-minute rate", () => {
    const clock = new ManualClock(T0);
    const h = new HistoryTracker({ clock, windowMs: 60_000, bucketMs: 10_000 });
    expect(h.stats("a")).toEqual({ calls: 0, denials: 0, errors: 0, rate: 0, anomaly: 0 });
    for (let i = 0; i < 6; i++) {
      h.recordCall("a");
      clock.advance(5_000);
    }
    h.recordDenial("a");
    h.recordError("a");
    expect(h.stats("a")).toMatchObject({ calls: 6, denials: 1, errors: 1, rate: 6 });
    expect(h.stats("b").calls).toBe(0); // agents are separate
    // calls at 0, 5, 10, 15, 20, 25 s; the window is the current bucket and the 5 before it, so at
    // 65 s it starts at 10 s, and at 70 s at 20 s
    clock.set(T0 + 65_000);
    expect(h.stats("a")).toMatchObject({ calls: 4, denials: 1, errors: 1 });
    clock.set(T0 + 70_000);
    expect(h.stats("a")).toMatchObject({ calls: 2, denials: 1, errors: 1 });
    clock.set(T0 + 200_000);
    expect(h.stats("a")).toMatchObject({ calls: 0, denials: 0, errors: 0, rate: 0 });
  });

  it("forgets the least recently seen agent beyond maxAgents", () => {
    const h = new HistoryTracker({ clock: new ManualClock(T0), maxAgents: 100 });
    for (let i = 0; i < 1_000; i++) h.recordCall(`agent-${i}`);
    expect(h.size).toBe(100);
    expect(h.stats("agent-0").calls).toBe(0);
    expect(h.stats("agent-999").calls).toBe(1);
  });

  it("refuses a window shorter than a bucket", () => {
    expect(() => new HistoryTracker({ windowMs: 1_000, bucketMs: 10_000 })).toThrow(RangeError);
  });
});

describe("HistoryTracker anomaly (EWMA z-score)", () => {
  it("is 0 during warm-up, near 0 at a steady rate, and high on a burst", () => {
    const clock = new ManualClock(T0);
    const h = new HistoryTracker({ clock, bucketMs: 10_000, warmupBuckets: 6 });
    const bucket = (calls: number) => {
      for (let i = 0; i < calls; i++) h.recordCall("a");
      clock.advance(10_000);
    };
    bucket(5);
    bucket(5);
    expect(h.stats("a").anomaly).toBe(0); // not warmed up
    for (let i = 0; i < 30; i++) bucket(i % 2 === 0 ? 4 : 6);
    for (let i = 0; i < 5; i++) h.recordCall("a");
    const steady = h.stats("a").anomaly;
    expect(Math.abs(steady)).toBeLessThan(1);
    for (let i = 0; i < 45; i++) h.recordCall("a"); // 50 calls in the current bucket
    expect(h.stats("a").anomaly).toBeGreaterThan(10);
  });

  it("scores a burst after a long silence (silence folds in as zero-call buckets)", () => {
    const clock = new ManualClock(T0);
    const h = new HistoryTracker({ clock, bucketMs: 10_000, warmupBuckets: 3 });
    for (let i = 0; i < 10; i++) {
      h.recordCall("a");
      clock.advance(10_000);
    }
    clock.advance(86_400_000); // a day later: 8,640 empty buckets, folded in bounded time
    for (let i = 0; i < 20; i++) h.recordCall("a");
    expect(h.stats("a").anomaly).toBeGreaterThanOrEqual(19);
  });
});
